package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.reference.WindowSpecRef;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.InvalidEventException;

/**
 * The pipeline's JSON decoder and the reference model's independent one accept and reject the same edge cases of
 * docs/METRICS.md section 1 (their reason codes are their own; whether a record counts is what must agree).
 */
class ContractAgreementTest {
    private static final String HEAD = "\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\"";
    private static final String PURCHASE = "{\"type\":\"purchase\"," + HEAD + ",\"order_id\":\"o1\",\"currency\":\"EUR\",\"amount\":";

    static Stream<String> edgeCases() {
        return Stream.of(
                PURCHASE + "\"19.99\"}",
                PURCHASE + "\"20\"}",
                PURCHASE + "\"12.340\"}",
                PURCHASE + "\"0.00\"}",
                PURCHASE + "19.99}",
                PURCHASE + "20}",
                PURCHASE + "\"12.345\"}",
                PURCHASE + "\"-1.00\"}",
                PURCHASE + "\"1e3\"}",
                PURCHASE + "\"+1.00\"}",
                PURCHASE + "\".50\"}",
                PURCHASE + "\"\"}",
                "{\"type\":\"purchase\"," + HEAD + ",\"order_id\":\"o1\",\"currency\":\"USD\",\"amount\":\"1.00\"}",
                "{\"type\":\"purchase\"," + HEAD + ",\"order_id\":\"\",\"currency\":\"EUR\",\"amount\":\"1.00\"}",
                "{\"type\":\"purchase\"," + HEAD + ",\"currency\":\"EUR\",\"amount\":\"1.00\"}",
                "{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":1709251200000}",
                "{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":\"1709251200000\"}",
                "{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01\"}",
                "{\"type\":\"signup\",\"event_id\":\"e1\",\"customer_id\":\"\",\"occurred_at\":\"2024-03-01T00:00:00Z\"}",
                "{\"type\":\"signup\",\"event_id\":\"\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\"}",
                "{\"type\":\"signup\",\"customer_id\":\"c\",\"occurred_at\":\"2024-03-01T00:00:00Z\"}",
                "{\"type\":\"refund\"," + HEAD + "}",
                "{" + HEAD + "}",
                "{\"type\":\"signup\"," + HEAD + "}",
                "{\"type\":\"signup\"," + HEAD + ",\"plan\":\"pro\",\"unknown\":[1,2]}",
                "{\"type\":\"cancellation\"," + HEAD + ",\"reason\":\"price\"}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"NPS\",\"score\":10}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"NPS\",\"score\":11}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"NPS\",\"score\":-1}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"CSAT\",\"score\":0}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"CES\",\"score\":5}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"CES\",\"score\":6}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"nps\",\"score\":9}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"NPS\",\"score\":9.5}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"NPS\",\"score\":\"9\"}",
                "{\"type\":\"survey\"," + HEAD + ",\"survey\":\"NPS\"}",
                "not json",
                "[1,2]");
    }

    @ParameterizedTest
    @MethodSource("edgeCases")
    void pipelineAndReferenceModelAgreeWhetherTheRecordIsValid(String line) {
        ReferenceModel reference = new ReferenceModel(WindowSpecRef.parseAll("P1D/P1D"));
        reference.accept(line);
        boolean referenceRejects = !reference.rejectedByReason().isEmpty();

        boolean pipelineRejects = pipelineRejects(line);

        assertEquals(referenceRejects, pipelineRejects, () -> "reference " + (referenceRejects ? "rejects " : "accepts ")
                + reference.rejectedByReason() + ", pipeline " + (pipelineRejects ? "rejects" : "accepts"));
    }

    private static boolean pipelineRejects(String line) {
        try {
            CanonicalJson.parseEvent(line, "EUR");
            return false;
        } catch (InvalidEventException e) {
            return true;
        }
    }
}
