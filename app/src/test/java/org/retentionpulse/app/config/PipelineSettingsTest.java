package org.retentionpulse.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.combine.DeltaCombining;

/** The reliability settings: dedup horizon, processing guarantee, and secrets that never reach the startup log. */
class PipelineSettingsTest {
    private static final Map<String, String> BOOTSTRAP = Map.of(AppDefaults.BOOTSTRAP_SERVERS, "localhost:9092");

    private static PipelineSettings settings(Path file, Map<String, String> env, Map<String, String> cli) {
        return new PipelineSettings(Settings.load(file, env, cli));
    }

    @Test
    void dedupHorizonDefaultsToTheLongestWindowPlusGrace() {
        assertEquals(Duration.ofDays(30).plusHours(6), settings(null, Map.of(), BOOTSTRAP).topology(1).dedupHorizon());
        assertEquals(Duration.ofDays(7).plusHours(1), settings(null, Map.of(),
                Map.of(AppDefaults.WINDOWS, "P1D/P1D,P7D/P1D", AppDefaults.GRACE, "PT1H")).topology(1).dedupHorizon());
    }

    @Test
    void dedupHorizonComesFromFileEnvironmentOrCommandLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rp.properties");
        Files.writeString(file, "dedup.horizon=P40D\n");

        assertEquals(Duration.ofDays(40), settings(file, Map.of(), Map.of()).topology(1).dedupHorizon());
        assertEquals(Duration.ofDays(45), settings(file, Map.of("RETENTION_PULSE_DEDUP_HORIZON", "P45D"), Map.of())
                .topology(1).dedupHorizon());
        assertEquals(Duration.ofDays(50), settings(file, Map.of("RETENTION_PULSE_DEDUP_HORIZON", "P45D"),
                Map.of(AppDefaults.DEDUP_HORIZON, "P50D")).topology(1).dedupHorizon());
    }

    @Test
    void invalidDedupHorizonIsRefusedWithTheKeyInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(null, Map.of(), Map.of(AppDefaults.DEDUP_HORIZON, "30 days")).topology(1));
        assertTrue(e.getMessage().contains("dedup.horizon"), e.getMessage());
    }

    @Test
    void customerTasksCombineTheirChangesForATenthOfASecondUnlessConfigured() {
        assertEquals(new DeltaCombining(Duration.ofMillis(100), 10_000), settings(null, Map.of(), BOOTSTRAP).topology(1).combining());
        assertFalse(settings(null, Map.of("RETENTION_PULSE_SEGMENT_COMBINE_INTERVAL", "PT0S"), BOOTSTRAP).topology(1)
                .combining().combines(), "PT0S sends each record's changes at once");
        Map<String, String> bad = Map.of(AppDefaults.SEGMENT_COMBINE_INTERVAL, "-PT1S", AppDefaults.SEGMENT_COMBINE_MAX_EVENTS, "0");
        bad.forEach((key, value) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> settings(null, Map.of(), Map.of(key, value)).topology(1));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        });
    }

    @Test
    void eventsMayBeAtMostAnHourAheadOfTheClockUnlessConfigured() {
        assertEquals(Duration.ofHours(1), settings(null, Map.of(), BOOTSTRAP).topology(1).maxFuture());
        assertEquals(Duration.ofMinutes(5), settings(null, Map.of("RETENTION_PULSE_INPUT_MAX_FUTURE", "PT5M"), BOOTSTRAP)
                .topology(1).maxFuture());
        for (String bad : new String[] {"an hour", "-PT1H"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> settings(null, Map.of(), Map.of(AppDefaults.INPUT_MAX_FUTURE, bad)).topology(1));
            assertTrue(e.getMessage().contains("input.max-future"), e.getMessage());
        }
    }

    @Test
    void surveyThresholdsAreSettingsValidatedWithTheKeyInTheMessage() {
        assertEquals(2, settings(null, Map.of(), BOOTSTRAP).alertPolicy().lowCsatMax());
        assertEquals(2, settings(null, Map.of(), BOOTSTRAP).alertPolicy().highEffortMax());
        assertEquals(3, settings(null, Map.of("RETENTION_PULSE_ALERTS_LOW_CSAT_MAX_SCORE", "3"), BOOTSTRAP).alertPolicy().lowCsatMax());
        assertEquals(1, settings(null, Map.of(), Map.of(AppDefaults.ALERTS_HIGH_EFFORT_MAX, "1")).alertPolicy().highEffortMax());
        for (String key : new String[] {AppDefaults.ALERTS_LOW_CSAT_MAX, AppDefaults.ALERTS_HIGH_EFFORT_MAX}) {
            for (String bad : new String[] {"0", "5", "two"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> settings(null, Map.of(), Map.of(key, bad)).topology(1));
                assertTrue(e.getMessage().contains(key), e.getMessage());
            }
        }
    }

    @Test
    void exactlyOnceV2IsTheDefaultAndAtLeastOnceIsAConfigurationChoice() {
        PipelineSettings defaults = settings(null, Map.of(), BOOTSTRAP);
        PipelineSettings atLeastOnce = settings(null, Map.of("RETENTION_PULSE_PROCESSING_GUARANTEE", "at_least_once"), BOOTSTRAP);
        TopologyConfig topology = defaults.topology(1);

        assertEquals(StreamsConfig.EXACTLY_ONCE_V2,
                defaults.streamsProperties(topology, Map.of()).get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(StreamsConfig.AT_LEAST_ONCE,
                atLeastOnce.streamsProperties(topology, Map.of()).get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Test
    void theCommitIntervalIsOneSecondByDefaultAndAStreamsSettingStillHasTheLastWord() {
        TopologyConfig topology = settings(null, Map.of(), BOOTSTRAP).topology(1);
        assertEquals(1000L, settings(null, Map.of(), BOOTSTRAP).streamsProperties(topology, Map.of())
                .get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(250L, settings(null, Map.of("RETENTION_PULSE_COMMIT_INTERVAL", "PT0.25S"), BOOTSTRAP)
                .streamsProperties(topology, Map.of()).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals("100", settings(null, Map.of("RETENTION_PULSE_STREAMS_COMMIT_INTERVAL_MS", "100"), BOOTSTRAP)
                .streamsProperties(topology, Map.of()).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> settings(null, Map.of("RETENTION_PULSE_COMMIT_INTERVAL", "PT0S"), BOOTSTRAP).streamsProperties(topology, Map.of()));
        assertTrue(zero.getMessage().contains("commit.interval"), zero.getMessage());
    }

    @Test
    void secretsFromTheEnvironmentReachTheClientsButNotTheStartupDescription() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"rp\" password=\"pa55-word\";";
        PipelineSettings ps = settings(null, Map.of(
                "RETENTION_PULSE_KAFKA_SASL_JAAS_CONFIG", jaas,
                "RETENTION_PULSE_KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-me",
                "RETENTION_PULSE_KAFKA_SSL_KEY_PASSWORD", "key-pw"), BOOTSTRAP);

        assertEquals(jaas, ps.clientProperties().get("sasl.jaas.config"));
        assertEquals("trust-me", ps.clientProperties().get("ssl.truststore.password"));
        String described = ps.settings().describe().toString();
        for (String secret : new String[] {"pa55-word", "trust-me", "key-pw"}) {
            assertFalse(described.contains(secret), secret + " appears in " + described);
        }
        assertTrue(described.contains("kafka.sasl.jaas.config=******"), described);
    }
}
