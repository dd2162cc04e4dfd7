package org.retentionpulse.schemas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.retentionpulse.schemas.CohortCell;

/**
 * Reads and writes the cohort cell record of contract section 9: {@code cohort_period, cohort_start, period,
 * segment, customers, retained, active, revenue, retention, active_share, revenue_per_customer, final,
 * computed_at}. {@code revenue} is a string with its exact decimal text (like amounts on input); the three values
 * are JSON numbers without trailing zeros, never in exponent notation.
 */
final class CohortCellJson {

    private static final int REVENUE_SCALE = 2;
    private static final int VALUE_SCALE = 4;

    private CohortCellJson() {
    }

    /** The compactable key of contract section 9: {@code period|segment|cohort_start|k}. */
    static String compactionKey(CohortCell cell) {
        return cell.getCohortPeriod() + "|" + cell.getSegment() + "|"
            + CanonicalJson.formatInstant(cell.getCohortStart()) + "|" + cell.getPeriod();
    }

    static void write(JsonGenerator out, CohortCell cell) throws IOException {
        out.writeStartObject();
        out.writeStringField("cohort_period", cell.getCohortPeriod());
        out.writeStringField("cohort_start", CanonicalJson.formatInstant(cell.getCohortStart()));
        out.writeNumberField("period", cell.getPeriod());
        out.writeStringField("segment", cell.getSegment());
        out.writeNumberField("customers", cell.getCustomers());
        out.writeNumberField("retained", cell.getRetained());
        out.writeNumberField("active", cell.getActive());
        out.writeStringField("revenue", cell.getRevenue().toPlainString());
        writeValue(out, "retention", cell.getRetention());
        writeValue(out, "active_share", cell.getActiveShare());
        writeValue(out, "revenue_per_customer", cell.getRevenuePerCustomer());
        out.writeBooleanField("final", cell.getFinal$());
        out.writeStringField("computed_at", CanonicalJson.formatInstant(cell.getComputedAt()));
        MetricUpdateJson.optionalNumber(out, "retention_ci_low", cell.getRetentionCiLow());
        MetricUpdateJson.optionalNumber(out, "retention_ci_high", cell.getRetentionCiHigh());
        MetricUpdateJson.optionalNumber(out, "active_share_ci_low", cell.getActiveShareCiLow());
        MetricUpdateJson.optionalNumber(out, "active_share_ci_high", cell.getActiveShareCiHigh());
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, String field, BigDecimal value) throws IOException {
        out.writeFieldName(field);
        out.writeNumber(value.stripTrailingZeros().toPlainString());
    }

    static CohortCell read(JsonNode root) {
        return new CohortCell(
            JsonFields.text(root, "cohort_period"),
            CanonicalJson.instant(root.get("cohort_start"), "cohort_start"),
            Math.toIntExact(JsonFields.integer(root, "period")),
            JsonFields.text(root, "segment"),
            JsonFields.integer(root, "customers"),
            JsonFields.integer(root, "retained"),
            JsonFields.integer(root, "active"),
            decimal(JsonFields.required(root, "revenue"), "revenue", REVENUE_SCALE, true),
            decimal(JsonFields.required(root, "retention"), "retention", VALUE_SCALE, false),
            decimal(JsonFields.required(root, "active_share"), "active_share", VALUE_SCALE, false),
            decimal(JsonFields.required(root, "revenue_per_customer"), "revenue_per_customer", VALUE_SCALE, false),
            JsonFields.bool(root, "final"),
            CanonicalJson.instant(root.get("computed_at"), "computed_at"),
            MetricUpdateJson.optionalDecimal(root.get("retention_ci_low"), "retention_ci_low", VALUE_SCALE),
            MetricUpdateJson.optionalDecimal(root.get("retention_ci_high"), "retention_ci_high", VALUE_SCALE),
            MetricUpdateJson.optionalDecimal(root.get("active_share_ci_low"), "active_share_ci_low", VALUE_SCALE),
            MetricUpdateJson.optionalDecimal(root.get("active_share_ci_high"), "active_share_ci_high", VALUE_SCALE));
    }

    /** {@code revenue} is a decimal string, the values JSON numbers; neither with more decimals than the schema. */
    private static BigDecimal decimal(JsonNode node, String field, int scale, boolean asText) {
        BigDecimal value;
        if (asText) {
            if (!node.isTextual()) {
                throw CanonicalJson.wrongType(field, "a decimal string", node);
            }
            try {
                value = new BigDecimal(node.textValue());
            } catch (NumberFormatException e) {
                throw CanonicalJson.wrongType(field, "a decimal string", node);
            }
        } else if (node.isNumber()) {
            value = node.decimalValue();
        } else {
            throw CanonicalJson.wrongType(field, "a number", node);
        }
        try {
            return value.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw CanonicalJson.wrongType(field, "a number with at most " + scale + " decimals", node);
        }
    }
}
