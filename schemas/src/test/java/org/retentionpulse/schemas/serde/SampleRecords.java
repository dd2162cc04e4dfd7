package org.retentionpulse.schemas.serde;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;

/** Valid records of every type, with optional fields both set and unset. */
final class SampleRecords {

    static final Instant MIDNIGHT = Instant.parse("2024-03-01T00:00:00Z");
    static final Instant LAST_MILLI = Instant.parse("2024-03-01T23:59:59.999Z");

    private SampleRecords() {
    }

    static Signup signup() {
        return new Signup("e01", "ann", MIDNIGHT, "pro", "DE", "referral");
    }

    static Purchase purchase(String amount) {
        return new Purchase("e03", "ann", LAST_MILLI, "o1", new BigDecimal(amount), "EUR");
    }

    static Stream<SpecificRecord> events() {
        return Stream.of(
            signup(),
            new Signup("e02", "bob", Instant.parse("2024-03-01T09:30:00Z"), "basic", "AT", null),
            new Signup("e02b", "cid", MIDNIGHT, null, null, null),
            purchase("19.99"),
            purchase("0.00"),
            purchase("99999999.99"),
            new Cancellation("e14", "bob", Instant.parse("2024-03-02T00:00:00Z"), "price"),
            new Cancellation("e15", "bob", Instant.parse("2024-03-02T12:00:00Z"), null),
            new SurveyResponse("e07", "ann", Instant.parse("2024-03-02T09:00:00.001Z"), SurveyType.NPS, 9, null),
            new SurveyResponse("e10", "ann", MIDNIGHT, SurveyType.CSAT, 4, "fast \"delivery\" ✓"),
            new SurveyResponse("e12", "bob", MIDNIGHT, SurveyType.CES, 5, null));
    }

    static MetricUpdate npsUpdate() {
        MetricComponents components = MetricComponents.newBuilder().setProm(40L).setPass(25L).setDetr(15L).build();
        return new MetricUpdate("nps", "P30D/P1D", MIDNIGHT, Instant.parse("2024-03-31T00:00:00Z"), "all", null,
            new BigDecimal("12.5000"), null, null, components, false, Instant.parse("2024-03-15T10:22:05.120Z"));
    }

    static MetricUpdate revenueUpdate() {
        MetricComponents components = MetricComponents.newBuilder().setO(3L).setR(new BigDecimal("120.00")).build();
        return new MetricUpdate("revenue", "P1D/P1D", MIDNIGHT, Instant.parse("2024-03-02T00:00:00Z"),
            "channel=referral", null, new BigDecimal("120.0000"), null, null, components, true, Instant.parse("2024-03-02T06:00:00Z"));
    }

    /** A churn_reason_share record (contract section 8): the only metric with a reason. */
    static MetricUpdate reasonShareUpdate() {
        MetricComponents components = MetricComponents.newBuilder().setC(8L).build();
        return new MetricUpdate("churn_reason_share", "P7D/P1D", MIDNIGHT, Instant.parse("2024-03-08T00:00:00Z"),
            "plan=pro", "too expensive", new BigDecimal("37.5000"), null, null, components, true,
            Instant.parse("2024-03-08T06:00:01Z"));
    }

    /** The example of contract section 9. */
    static CohortCell cohortCell() {
        return new CohortCell("P1W", Instant.parse("2024-03-04T00:00:00Z"), 2, "plan=pro", 120L, 54L, 97L,
            new BigDecimal("4312.50"), new BigDecimal("45.0000"), new BigDecimal("80.8333"), new BigDecimal("35.9375"),
            true, Instant.parse("2024-03-25T06:00:00.250Z"),
            null, null, null, null);
    }

    static ChurnRiskAlert alert() {
        RiskReason inactive = new RiskReason(RiskSignal.INACTIVE, 0.5,
            Map.of("days_since_last_purchase", 41.0, "typical_gap_days", 12.5), "no purchase for 41 days");
        RiskReason detractor = new RiskReason(RiskSignal.DETRACTOR, 0.25, Map.of("nps_score", 3.0), "");
        return new ChurnRiskAlert("ann-HIGH-1709251200000", "ann", RiskLevel.HIGH, 0.75,
            List.of(inactive, detractor), Instant.parse("2024-03-01T00:00:00Z"),
            Instant.parse("2024-03-01T00:00:01.234Z"), "pro", "DE", null);
    }
}
