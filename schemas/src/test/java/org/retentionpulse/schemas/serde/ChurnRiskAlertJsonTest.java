package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;

class ChurnRiskAlertJsonTest {

    @Test
    void alertIsWrittenWithSnakeCaseKeysSymbolsAndSortedEvidence() {
        assertEquals("{\"alert_id\":\"ann-HIGH-1709251200000\",\"customer_id\":\"ann\",\"level\":\"HIGH\",\"score\":0.75,"
                + "\"reasons\":[{\"signal\":\"INACTIVE\",\"weight\":0.5,"
                + "\"evidence\":{\"days_since_last_purchase\":41.0,\"typical_gap_days\":12.5},"
                + "\"explanation\":\"no purchase for 41 days\"},"
                + "{\"signal\":\"DETRACTOR\",\"weight\":0.25,\"evidence\":{\"nps_score\":3.0},\"explanation\":\"\"}],"
                + "\"triggered_at\":\"2024-03-01T00:00:00Z\",\"detected_at\":\"2024-03-01T00:00:01.234Z\","
                + "\"plan\":\"pro\",\"country\":\"DE\"}",
            CanonicalJson.formatAlert(SampleRecords.alert()));
    }

    @Test
    void alertSurvivesFormatThenParse() {
        ChurnRiskAlert alert = SampleRecords.alert();

        assertEquals(alert, CanonicalJson.parseAlert(CanonicalJson.formatAlert(alert)));
    }

    @Test
    void nonFiniteEvidenceSurvivesTheRoundTrip() {
        ChurnRiskAlert alert = SampleRecords.alert();
        alert.setReasons(List.of(new RiskReason(RiskSignal.LOW_P_ALIVE, 1.0,
            Map.of("gap", Double.POSITIVE_INFINITY, "ratio", Double.NaN), "")));

        assertEquals(alert, CanonicalJson.parseAlert(CanonicalJson.formatAlert(alert)));
    }

    @Test
    void signalFromANewerVersionReadsAsOtherAndMissingDefaultsApply() {
        String line = "{\"alert_id\":\"a\",\"customer_id\":\"c\",\"level\":\"CHURNED\",\"score\":1,"
            + "\"reasons\":[{\"signal\":\"SEASONALITY\",\"weight\":1}],"
            + "\"triggered_at\":\"2024-03-04T00:00:00Z\",\"detected_at\":1709510400000}";

        ChurnRiskAlert parsed = CanonicalJson.parseAlert(line);

        assertEquals(RiskLevel.CHURNED, parsed.getLevel());
        assertEquals(new RiskReason(RiskSignal.OTHER, 1.0, Map.of(), ""), parsed.getReasons().get(0));
        assertEquals(parsed.getTriggeredAt(), parsed.getDetectedAt());
    }

    @Test
    void unknownLevelIsRejected() {
        String line = CanonicalJson.formatAlert(SampleRecords.alert()).replace("\"HIGH\"", "\"SEVERE\"");

        assertEquals(RejectReason.WRONG_TYPE,
            assertThrows(InvalidEventException.class, () -> CanonicalJson.parseAlert(line)).reason());
    }

    @Test
    void serdeRoundTripsInBothWireFormats() {
        ChurnRiskAlert alert = SampleRecords.alert();
        for (WireFormat format : WireFormat.values()) {
            ChurnRiskAlertSerde serde = new ChurnRiskAlertSerde(format);

            byte[] bytes = serde.serializer().serialize("alerts", alert);

            assertEquals(format == WireFormat.AVRO, SingleObjectAvro.isSingleObject(bytes));
            assertEquals(alert, serde.deserializer().deserialize("alerts", bytes));
        }
    }
}
