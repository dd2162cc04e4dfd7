package org.retentionpulse.app.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.reference.FinalValue;
import org.retentionpulse.reference.FinalValueComparison;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;

/** Replay on a real Kafka broker (KRaft, in-process) against the spec's worked example. */
class ReplayIT {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** The spec's example files ship in the topology test jar; copy one out to a real file. */
    static Path resource(String name, Path dir) throws IOException {
        Path file = dir.resolve(name);
        try (var in = ReplayIT.class.getResourceAsStream("/reference/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    static Replay.Result replay(Path input, Path metrics, String windows) throws IOException, InterruptedException {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.WINDOWS, windows);
        Settings settings = Settings.load(null, Map.of(), overrides);
        return new Replay(new ReplayOptions(input, metrics, null, broker.bootstrapServers(), Duration.ofMinutes(5), false),
                settings, new PrintStream(OutputStream.nullOutputStream())).run();
    }

    static SortedMap<MetricKey, BigDecimal> readFinals(Path metrics) throws IOException {
        SortedMap<MetricKey, BigDecimal> out = new TreeMap<>();
        for (FinalValue v : ReferenceModel.readExpected(metrics)) {
            out.put(v.key(), v.value());
        }
        return out;
    }

    @Test
    void replayOfTheEdgesExampleWritesExactlyTheExpectedFinals(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("metrics.jsonl");
        Replay.Result result = replay(resource("edges.jsonl", dir), metrics, "P1D/P1D,P2D/P1D");
        SortedMap<MetricKey, BigDecimal> expected = FinalValue.toSortedMap(ReferenceModel.readExpected(resource("edges.expected.jsonl", dir)));
        List<String> differences = FinalValueComparison.differences(expected, readFinals(metrics));
        assertTrue(differences.isEmpty(), () -> String.join("\n", differences));
        assertEquals(24, result.lines());
        assertEquals(4, result.deadLetters(), "NPS 11, 3-decimal amount, USD, and the non-JSON line");
        assertEquals(Map.of("amount_scale", 1L, "currency_mismatch", 1L, "not_json", 1L, "score_out_of_range", 1L),
                result.rejectedByReason());
        assertTrue(Files.readAllLines(metrics).get(0).contains("\"final\":true"));
    }
}
