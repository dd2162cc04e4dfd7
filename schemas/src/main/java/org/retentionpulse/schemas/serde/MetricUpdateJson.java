package org.retentionpulse.schemas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;

/**
 * Reads and writes the metric update record of docs/METRICS.md section 5. The components are written and read by
 * walking the {@link MetricComponents} schema, so a component added to the schema needs no code here.
 */
final class MetricUpdateJson {

    private static final Schema COMPONENTS_SCHEMA = MetricComponents.getClassSchema();

    /** Scale of {@code value} in the Avro schema. */
    private static final int VALUE_SCALE = decimalScale(
        MetricUpdate.getClassSchema().getField("value").schema());

    private MetricUpdateJson() {
    }

    static void write(JsonGenerator out, MetricUpdate update) throws IOException {
        out.writeStartObject();
        out.writeStringField("metric", update.getMetric());
        out.writeStringField("window", update.getWindow());
        out.writeStringField("window_start", CanonicalJson.formatInstant(update.getWindowStart()));
        out.writeStringField("window_end", CanonicalJson.formatInstant(update.getWindowEnd()));
        out.writeStringField("segment", update.getSegment());
        if (update.getReason() != null) {
            out.writeStringField("reason", update.getReason()); // churn_reason_share only (contract section 8)
        }
        out.writeFieldName("value");
        BigDecimal value = update.getValue();
        if (value == null) {
            out.writeNull();
        } else {
            // Plain text written as a raw number: BigDecimal#toString would switch to exponent notation.
            out.writeNumber(value.stripTrailingZeros().toPlainString());
        }
        // Only present for rates with a defined interval (docs/METRICS.md section 10), so other records keep their section-5 form.
        optionalNumber(out, "ci_low", update.getCiLow());
        optionalNumber(out, "ci_high", update.getCiHigh());
        out.writeObjectFieldStart("components");
        MetricComponents components = update.getComponents();
        if (components != null) {
            for (Schema.Field field : COMPONENTS_SCHEMA.getFields()) {
                Object component = components.get(field.pos());
                if (component instanceof BigDecimal decimal) {
                    out.writeFieldName(field.name());
                    out.writeNumber(decimal.toPlainString());
                } else if (component instanceof Long count) {
                    out.writeNumberField(field.name(), count);
                } else if (component != null) {
                    throw new IllegalStateException("Unexpected component type " + component.getClass());
                }
            }
        }
        out.writeEndObject();
        out.writeBooleanField("final", update.getFinal$());
        out.writeStringField("computed_at", CanonicalJson.formatInstant(update.getComputedAt()));
        out.writeEndObject();
    }

    static MetricUpdate read(JsonNode root) {
        return new MetricUpdate(
            JsonFields.text(root, "metric"),
            JsonFields.text(root, "window"),
            CanonicalJson.instant(root.get("window_start"), "window_start"),
            CanonicalJson.instant(root.get("window_end"), "window_end"),
            JsonFields.text(root, "segment"),
            optionalText(root, "reason"),
            optionalDecimal(root.get("value"), "value", VALUE_SCALE),
            optionalDecimal(root.get("ci_low"), "ci_low", VALUE_SCALE),
            optionalDecimal(root.get("ci_high"), "ci_high", VALUE_SCALE),
            components(root.get("components")),
            JsonFields.bool(root, "final"),
            CanonicalJson.instant(root.get("computed_at"), "computed_at"));
    }

    static void optionalNumber(JsonGenerator out, String field, BigDecimal number) throws IOException {
        if (number != null) {
            out.writeFieldName(field);
            out.writeNumber(number.stripTrailingZeros().toPlainString());
        }
    }

    private static MetricComponents components(JsonNode node) {
        MetricComponents components = new MetricComponents();
        if (node == null || node.isNull()) {
            return components;
        }
        if (!node.isObject()) {
            throw CanonicalJson.wrongType("components", "an object", node);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            Schema.Field field = COMPONENTS_SCHEMA.getField(entry.getKey());
            if (field == null) {
                continue; // a component from a newer schema
            }
            String name = "components." + field.name();
            JsonNode value = entry.getValue();
            Schema type = nonNullBranch(field.schema());
            if (type.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
                components.put(field.pos(), optionalDecimal(value, name, decimal.getScale()));
            } else if (value == null || value.isNull()) {
                components.put(field.pos(), null);
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                components.put(field.pos(), value.longValue());
            } else {
                throw CanonicalJson.wrongType(name, "an integer", value);
            }
        }
        return components;
    }

    static BigDecimal optionalDecimal(JsonNode node, String field, int scale) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw CanonicalJson.wrongType(field, "a number", node);
        }
        try {
            return node.decimalValue().setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw CanonicalJson.wrongType(field, "a number with at most " + scale + " decimals", node);
        }
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

    private static Schema nonNullBranch(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalStateException("Union without a non-null branch: " + schema);
    }

    private static int decimalScale(Schema schema) {
        return ((LogicalTypes.Decimal) nonNullBranch(schema).getLogicalType()).getScale();
    }
}
