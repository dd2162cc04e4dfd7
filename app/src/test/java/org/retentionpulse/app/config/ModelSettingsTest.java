package org.retentionpulse.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.model.ModelPolicy;
import org.retentionpulse.topology.modelfit.ModelFitting;

/** The model.* settings: documented defaults, overrides, and invalid values refused with their key. */
class ModelSettingsTest {

    private static ModelPolicy policy(Map<String, String> env) {
        return new PipelineSettings(Settings.load(null, env, Map.of())).modelPolicy();
    }

    @Test
    void defaultsAreThePolicyDefaults() {
        assertEquals(ModelPolicy.defaults(), policy(Map.of()));
    }

    @Test
    void everyModelSettingCanBeOverridden() {
        ModelPolicy p = policy(Map.of("RETENTION_PULSE_MODEL_HORIZON", "P30D", "RETENTION_PULSE_MODEL_P_ALIVE_THRESHOLD", "0.2",
                "RETENTION_PULSE_MODEL_P_ALIVE_WEIGHT", "0.3", "RETENTION_PULSE_MODEL_FIT_SAMPLE_SIZE", "1000"));
        assertEquals(new ModelPolicy(Duration.ofDays(30), 0.2, 0.3, 1000), p);
    }

    @Test
    void invalidValuesAreRefusedNamingTheirKey() {
        Map<String, String> bad = Map.of(
                "RETENTION_PULSE_MODEL_HORIZON", "PT0S",
                "RETENTION_PULSE_MODEL_P_ALIVE_THRESHOLD", "1.5",
                "RETENTION_PULSE_MODEL_P_ALIVE_WEIGHT", "much",
                "RETENTION_PULSE_MODEL_FIT_SAMPLE_SIZE", "10");
        bad.forEach((env, value) -> {
            String key = env.substring("RETENTION_PULSE_".length()).toLowerCase(java.util.Locale.ROOT);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy(Map.of(env, value)));
            String expected = switch (key) {
                case "model_horizon" -> AppDefaults.MODEL_HORIZON;
                case "model_p_alive_threshold" -> AppDefaults.MODEL_P_ALIVE_THRESHOLD;
                case "model_p_alive_weight" -> AppDefaults.MODEL_P_ALIVE_WEIGHT;
                default -> AppDefaults.MODEL_FIT_SAMPLE_SIZE;
            };
            assertTrue(e.getMessage().contains("'" + expected + "'"), e::getMessage);
        });
    }

    @Test
    void theStreamFitsDailyByDefaultAndAnIntervalOfZeroTurnsTheModelOff() {
        ModelFitting daily = new PipelineSettings(Settings.load(null, Map.of(), Map.of())).modelFitting();
        assertEquals(Duration.ofDays(1), daily.interval());
        assertTrue(daily.enabled());
        assertEquals(ModelPolicy.defaults(), daily.policy());
        ModelFitting off = new PipelineSettings(Settings.load(null, Map.of("RETENTION_PULSE_MODEL_FIT_INTERVAL", "PT0S"),
                Map.of())).modelFitting();
        assertTrue(!off.enabled());
        assertEquals(off, new PipelineSettings(Settings.load(null, Map.of("RETENTION_PULSE_MODEL_FIT_INTERVAL", "PT0S"),
                Map.of())).topology(1).modelFitting());
    }

    @Test
    void aNegativeOrSubMinuteFitIntervalIsRefusedNamingItsKey() {
        for (String value : new String[] {"-P1D", "PT1S"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PipelineSettings(
                    Settings.load(null, Map.of("RETENTION_PULSE_MODEL_FIT_INTERVAL", value), Map.of())).modelFitting());
            assertTrue(e.getMessage().contains("'" + AppDefaults.MODEL_FIT_INTERVAL + "'"), e::getMessage);
        }
    }

    @Test
    void segmentFitsAreOffByDefaultAndTakeAConfiguredDimension() {
        ModelFitting overall = new PipelineSettings(Settings.load(null, Map.of(), Map.of())).modelFitting();
        assertEquals(Optional.empty(), overall.segmentDimension());
        assertEquals(500, overall.segmentMinRepeatBuyers());
        ModelFitting byPlan = new PipelineSettings(Settings.load(null, Map.of("RETENTION_PULSE_MODEL_FIT_SEGMENT_DIMENSION",
                "plan", "RETENTION_PULSE_MODEL_FIT_SEGMENT_MIN_CUSTOMERS", "200"), Map.of())).modelFitting();
        assertEquals(Optional.of(Dimension.PLAN), byPlan.segmentDimension());
        assertEquals(200, byPlan.segmentMinRepeatBuyers());
        assertEquals(byPlan, new PipelineSettings(Settings.load(null, Map.of("RETENTION_PULSE_MODEL_FIT_SEGMENT_DIMENSION",
                "plan", "RETENTION_PULSE_MODEL_FIT_SEGMENT_MIN_CUSTOMERS", "200"), Map.of())).topology(1).modelFitting());
    }

    @Test
    void aSegmentDimensionThatIsNotConfiguredOrABelowMinimumCountIsRefusedNamingItsKey() {
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("RETENTION_PULSE_MODEL_FIT_SEGMENT_DIMENSION", "colour"), AppDefaults.MODEL_FIT_SEGMENT_DIMENSION,
                Map.of("RETENTION_PULSE_DIMENSIONS", "plan,country", "RETENTION_PULSE_MODEL_FIT_SEGMENT_DIMENSION", "channel"),
                AppDefaults.MODEL_FIT_SEGMENT_DIMENSION,
                Map.of("RETENTION_PULSE_MODEL_FIT_SEGMENT_MIN_CUSTOMERS", "5"), AppDefaults.MODEL_FIT_SEGMENT_MIN_CUSTOMERS,
                Map.of("RETENTION_PULSE_MODEL_FIT_SEGMENT_MIN_CUSTOMERS", "many"), AppDefaults.MODEL_FIT_SEGMENT_MIN_CUSTOMERS);
        bad.forEach((env, key) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PipelineSettings(Settings.load(null, env, Map.of())).modelFitting(), env::toString);
            assertTrue(e.getMessage().contains("'" + key + "'"), e::getMessage);
        });
    }
}
