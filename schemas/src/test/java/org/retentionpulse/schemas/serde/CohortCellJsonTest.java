package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.CohortCell;

class CohortCellJsonTest {

    /** The example of contract section 9, with a concrete computed_at. */
    private static final String SPEC_EXAMPLE = "{\"cohort_period\":\"P1W\",\"cohort_start\":\"2024-03-04T00:00:00Z\","
        + "\"period\":2,\"segment\":\"plan=pro\",\"customers\":120,\"retained\":54,\"active\":97,\"revenue\":\"4312.50\","
        + "\"retention\":45.0,\"active_share\":80.8333,\"revenue_per_customer\":35.9375,\"final\":true,"
        + "\"computed_at\":\"2024-03-25T06:00:00.250Z\"}";

    @Test
    void specExampleParsesToTheSampleCell() {
        assertEquals(SampleRecords.cohortCell(), CanonicalJson.parseCohortCell(SPEC_EXAMPLE));
    }

    @Test
    void cellIsWrittenInTheFieldOrderOfTheContractWithRevenueAsExactText() {
        String json = CanonicalJson.formatCohortCell(SampleRecords.cohortCell());

        assertEquals(SPEC_EXAMPLE.replace("\"retention\":45.0", "\"retention\":45"), json);
        assertEquals(SampleRecords.cohortCell(), CanonicalJson.parseCohortCell(json));
    }

    @Test
    void compactionKeyIsPeriodSegmentCohortStartAndK() {
        assertEquals("P1W|plan=pro|2024-03-04T00:00:00Z|2", CanonicalJson.cohortCellKey(SampleRecords.cohortCell()));
    }

    @Test
    void serdeWritesAvroOrJsonAndReadsBoth() {
        CohortCell cell = SampleRecords.cohortCell();
        CohortCellSerde avro = new CohortCellSerde(WireFormat.AVRO);
        CohortCellSerde json = new CohortCellSerde(WireFormat.JSON);

        assertTrue(SingleObjectAvro.isSingleObject(avro.encode(cell)));
        assertEquals(cell, json.decode(avro.encode(cell)));
        assertEquals(cell, avro.decode(json.encode(cell)));
    }

    @Test
    void malformedCellsAreRejectedWithReasons() {
        assertEquals(RejectReason.MISSING_FIELD, reject(SPEC_EXAMPLE.replace("\"customers\":120,", "")));
        assertEquals(RejectReason.WRONG_TYPE, reject(SPEC_EXAMPLE.replace("\"revenue\":\"4312.50\"", "\"revenue\":4312.5")));
        assertEquals(RejectReason.WRONG_TYPE, reject(SPEC_EXAMPLE.replace("\"4312.50\"", "\"4312.505\"")));
        assertEquals(RejectReason.WRONG_TYPE, reject(SPEC_EXAMPLE.replace("\"period\":2", "\"period\":\"2\"")));
        assertEquals(RejectReason.WRONG_TYPE, reject(SPEC_EXAMPLE.replace("80.8333", "80.83333")));
        assertEquals(new BigDecimal("4312.50"), CanonicalJson.parseCohortCell(SPEC_EXAMPLE).getRevenue());
    }

    private static RejectReason reject(String line) {
        return assertThrows(InvalidEventException.class, () -> CanonicalJson.parseCohortCell(line)).reason();
    }

    @Test
    void theIntervalsOfRetentionAndActiveShareAreWrittenWhenPresentAndReadBack() {
        CohortCell cell = SampleRecords.cohortCell();
        cell.setRetentionCiLow(new java.math.BigDecimal("36.3929"));
        cell.setRetentionCiHigh(new java.math.BigDecimal("53.9291"));
        cell.setActiveShareCiLow(new java.math.BigDecimal("72.9182"));
        cell.setActiveShareCiHigh(new java.math.BigDecimal("86.8391"));
        String json = CanonicalJson.formatCohortCell(cell);
        org.junit.jupiter.api.Assertions.assertTrue(json.endsWith(
                "\"retention_ci_low\":36.3929,\"retention_ci_high\":53.9291,\"active_share_ci_low\":72.9182,\"active_share_ci_high\":86.8391}"), json);
        org.junit.jupiter.api.Assertions.assertEquals(cell, CanonicalJson.parseCohortCell(json));
    }
}
