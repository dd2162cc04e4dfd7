package org.retentionpulse.schemas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.MetricAlertKind;

/**
 * Reads and writes the JSON form of a {@link MetricAlert} by walking its (flat) schema: keys as in the schema,
 * in schema order; decimals as plain numbers, instants as ISO strings, the kind as its symbol; null fields are
 * written as null. A field added to the schema needs no code here.
 */
final class MetricAlertJson {

    private static final Schema SCHEMA = MetricAlert.getClassSchema();

    private MetricAlertJson() {
    }

    static void write(JsonGenerator out, MetricAlert alert) throws IOException {
        out.writeStartObject();
        for (Schema.Field field : SCHEMA.getFields()) {
            Object value = alert.get(field.pos());
            out.writeFieldName(field.name());
            if (value == null) {
                out.writeNull();
            } else if (value instanceof BigDecimal decimal) {
                out.writeNumber(decimal.stripTrailingZeros().toPlainString());
            } else if (value instanceof Instant instant) {
                out.writeString(CanonicalJson.formatInstant(instant));
            } else if (value instanceof Long count) {
                out.writeNumber(count);
            } else if (value instanceof Double number) {
                out.writeNumber(number);
            } else {
                out.writeString(value.toString());
            }
        }
        out.writeEndObject();
    }

    static MetricAlert read(JsonNode root) {
        MetricAlert alert = new MetricAlert();
        for (Schema.Field field : SCHEMA.getFields()) {
            alert.put(field.pos(), value(field, root.get(field.name())));
        }
        return alert;
    }

    private static Object value(Schema.Field field, JsonNode node) {
        Schema type = field.schema();
        boolean optional = type.getType() == Schema.Type.UNION;
        if (node == null || node.isNull()) {
            if (optional) {
                return null;
            }
            throw CanonicalJson.missingField(field.name());
        }
        if (optional) {
            type = type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
        }
        if (type.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            if (!node.isNumber()) {
                throw CanonicalJson.wrongType(field.name(), "a number", node);
            }
            return node.decimalValue().setScale(decimal.getScale(), RoundingMode.HALF_EVEN);
        }
        if (type.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return CanonicalJson.instant(node, field.name());
        }
        return switch (type.getType()) {
            case STRING -> text(field, node);
            case ENUM -> MetricAlertKind.valueOf(text(field, node));
            case LONG -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw CanonicalJson.wrongType(field.name(), "an integer", node);
                }
                yield node.longValue();
            }
            case DOUBLE -> {
                if (!node.isNumber()) {
                    throw CanonicalJson.wrongType(field.name(), "a number", node);
                }
                yield node.doubleValue();
            }
            default -> throw new IllegalStateException("Unexpected field type in MetricAlert: " + type);
        };
    }

    private static String text(Schema.Field field, JsonNode node) {
        if (!node.isTextual()) {
            throw CanonicalJson.wrongType(field.name(), "a string", node);
        }
        return node.textValue();
    }
}
