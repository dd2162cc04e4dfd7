package org.retentionpulse.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds canonical JSON event lines for the reference model's tests; null optional fields are left out. */
final class EventLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventLines() {
    }

    static String signup(String eventId, String customer, String at, String plan, String country, String channel) {
        ObjectNode json = event("signup", eventId, customer, at);
        putIfPresent(json, "plan", plan);
        putIfPresent(json, "country", country);
        putIfPresent(json, "channel", channel);
        return write(json);
    }

    static String purchase(String eventId, String customer, String at, String amount) {
        ObjectNode json = event("purchase", eventId, customer, at);
        json.put("order_id", "o-" + eventId);
        json.put("amount", amount);
        json.put("currency", "EUR");
        return write(json);
    }

    static String cancellation(String eventId, String customer, String at) {
        return write(event("cancellation", eventId, customer, at));
    }

    static String cancellation(String eventId, String customer, String at, String reason) {
        ObjectNode json = event("cancellation", eventId, customer, at);
        putIfPresent(json, "reason", reason);
        return write(json);
    }

    static String survey(String eventId, String customer, String at, String survey, int score) {
        ObjectNode json = event("survey", eventId, customer, at);
        json.put("survey", survey);
        json.put("score", score);
        return write(json);
    }

    private static ObjectNode event(String type, String eventId, String customer, String at) {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", type);
        json.put("event_id", eventId);
        json.put("customer_id", customer);
        json.put("occurred_at", at);
        return json;
    }

    private static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    private static String write(ObjectNode json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
