package org.retentionpulse.schemas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;

/** Reads and writes the JSON form of a {@link ChurnRiskAlert}. */
final class ChurnRiskAlertJson {

    private ChurnRiskAlertJson() {
    }

    static void write(JsonGenerator out, ChurnRiskAlert alert) throws IOException {
        out.writeStartObject();
        out.writeStringField("alert_id", alert.getAlertId());
        out.writeStringField("customer_id", alert.getCustomerId());
        out.writeStringField("level", alert.getLevel().name());
        out.writeNumberField("score", alert.getScore());
        out.writeArrayFieldStart("reasons");
        for (RiskReason reason : alert.getReasons()) {
            out.writeStartObject();
            out.writeStringField("signal", reason.getSignal().name());
            out.writeNumberField("weight", reason.getWeight());
            out.writeObjectFieldStart("evidence");
            // Sorted so that the same alert always reads the same, whatever map the producer used.
            for (Map.Entry<String, Double> evidence : new TreeMap<>(reason.getEvidence()).entrySet()) {
                out.writeNumberField(evidence.getKey(), evidence.getValue());
            }
            out.writeEndObject();
            out.writeStringField("explanation", reason.getExplanation());
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeStringField("triggered_at", CanonicalJson.formatInstant(alert.getTriggeredAt()));
        out.writeStringField("detected_at", CanonicalJson.formatInstant(alert.getDetectedAt()));
        writeOptional(out, "plan", alert.getPlan());
        writeOptional(out, "country", alert.getCountry());
        writeOptional(out, "channel", alert.getChannel());
        out.writeEndObject();
    }

    static ChurnRiskAlert read(JsonNode root) {
        return new ChurnRiskAlert(
            text(root, "alert_id"),
            text(root, "customer_id"),
            level(root.get("level")),
            number(root.get("score"), "score"),
            reasons(root.get("reasons")),
            CanonicalJson.instant(root.get("triggered_at"), "triggered_at"),
            CanonicalJson.instant(root.get("detected_at"), "detected_at"),
            optionalText(root, "plan"),
            optionalText(root, "country"),
            optionalText(root, "channel"));
    }

    private static RiskLevel level(JsonNode node) {
        if (node == null || node.isNull()) {
            throw CanonicalJson.missingField("level");
        }
        for (RiskLevel level : RiskLevel.values()) {
            if (node.isTextual() && level.name().equals(node.textValue())) {
                return level;
            }
        }
        throw CanonicalJson.wrongType("level", "one of LOW, MEDIUM, HIGH, CHURNED", node);
    }

    private static List<RiskReason> reasons(JsonNode node) {
        List<RiskReason> reasons = new ArrayList<>();
        if (node == null || node.isNull()) {
            return reasons;
        }
        if (!node.isArray()) {
            throw CanonicalJson.wrongType("reasons", "an array", node);
        }
        for (JsonNode reason : node) {
            if (!reason.isObject()) {
                throw CanonicalJson.wrongType("reasons[]", "an object", reason);
            }
            String explanation = optionalText(reason, "explanation");
            reasons.add(new RiskReason(
                signal(reason.get("signal")),
                number(reason.get("weight"), "weight"),
                evidence(reason.get("evidence")),
                explanation == null ? "" : explanation));
        }
        return reasons;
    }

    /** An unknown signal reads as OTHER, the schema's default, so an older reader copes with newer signals. */
    private static RiskSignal signal(JsonNode node) {
        if (node == null || node.isNull()) {
            throw CanonicalJson.missingField("signal");
        }
        if (!node.isTextual()) {
            throw CanonicalJson.wrongType("signal", "a string", node);
        }
        for (RiskSignal signal : RiskSignal.values()) {
            if (signal.name().equals(node.textValue())) {
                return signal;
            }
        }
        return RiskSignal.OTHER;
    }

    private static Map<String, Double> evidence(JsonNode node) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return evidence;
        }
        if (!node.isObject()) {
            throw CanonicalJson.wrongType("evidence", "an object", node);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            evidence.put(entry.getKey(), number(entry.getValue(), "evidence." + entry.getKey()));
        }
        return evidence;
    }

    /** A double; Jackson writes non-finite doubles as the strings "NaN", "Infinity", "-Infinity". */
    private static double number(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw CanonicalJson.missingField(field);
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            switch (node.textValue()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw CanonicalJson.wrongType(field, "a number", node);
    }

    private static String text(JsonNode root, String field) {
        String text = optionalText(root, field);
        if (text == null) {
            throw CanonicalJson.missingField(field);
        }
        return text;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw CanonicalJson.wrongType(field, "a string", node);
        }
        return node.textValue();
    }

    private static void writeOptional(JsonGenerator out, String field, String value) throws IOException {
        if (value != null) {
            out.writeStringField(field, value);
        }
    }
}
