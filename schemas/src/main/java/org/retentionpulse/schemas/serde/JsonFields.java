package org.retentionpulse.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Required fields of a JSON output record, read with the same errors for every record type
 * ({@link CanonicalJson#missingField}, {@link CanonicalJson#wrongType}).
 */
final class JsonFields {
    private JsonFields() {
    }

    static JsonNode required(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw CanonicalJson.missingField(field);
        }
        return node;
    }

    static String text(JsonNode root, String field) {
        JsonNode node = required(root, field);
        if (!node.isTextual()) {
            throw CanonicalJson.wrongType(field, "a string", node);
        }
        return node.textValue();
    }

    static long integer(JsonNode root, String field) {
        JsonNode node = required(root, field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw CanonicalJson.wrongType(field, "an integer", node);
        }
        return node.longValue();
    }

    static double number(JsonNode root, String field) {
        JsonNode node = required(root, field);
        if (!node.isNumber()) {
            throw CanonicalJson.wrongType(field, "a number", node);
        }
        return node.doubleValue();
    }

    static boolean bool(JsonNode root, String field) {
        JsonNode node = required(root, field);
        if (!node.isBoolean()) {
            throw CanonicalJson.wrongType(field, "true or false", node);
        }
        return node.booleanValue();
    }
}
