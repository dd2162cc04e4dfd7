package org.retentionpulse.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;

/** The settings of contract sections 7-9 reach the typed topology config, and bad values name their key. */
class ChurnAndCohortSettingsTest {

    private static TopologyConfig topology(Map<String, String> env, Map<String, String> cli) {
        return new PipelineSettings(Settings.load(null, env, cli)).topology(1);
    }

    @Test
    void defaultsAreNoInactivityChurnTwentyReasonsAndTwelveWeeklyCohorts() {
        TopologyConfig config = topology(Map.of(), Map.of());
        assertEquals(ChurnPolicy.DEFAULT, config.churn());
        assertEquals(new CohortSpec(CohortSpec.Period.P1W, 12), config.cohorts());
    }

    @Test
    void valuesFromTheEnvironmentAndTheCommandLineReachTheTopologyConfig() {
        TopologyConfig config = topology(
                Map.of("RETENTION_PULSE_CHURN_INACTIVITY", "P90D", "RETENTION_PULSE_COHORTS_PERIOD", "P1M"),
                Map.of(AppDefaults.CHURN_REASONS_CAP, "5", AppDefaults.COHORTS_PERIODS, "6"));
        assertEquals(new ChurnPolicy(ChurnPolicy.Inactivity.after(Duration.ofDays(90)), 5), config.churn());
        assertEquals(new CohortSpec(CohortSpec.Period.P1M, 6), config.cohorts());
    }

    @ParameterizedTest
    @CsvSource({
            "churn.inactivity, 90 days",
            "churn.inactivity, P0D",
            "churn.inactivity, -P1D",
            "churn.reasons.cap, 0",
            "churn.reasons.cap, twenty",
            "cohorts.period, P2W",
            "cohorts.period, P7D",
            "cohorts.periods, 0",
            "cohorts.periods, 1.5"})
    void badValueIsRefusedWithTheKeyAndTheValueInTheMessage(String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> topology(Map.of(), Map.of(key, value)));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }
}
