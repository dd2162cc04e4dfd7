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
import org.retentionpulse.reference.CohortCell;
import org.retentionpulse.reference.CohortKey;
import org.retentionpulse.reference.FinalValue;
import org.retentionpulse.reference.FinalValueComparison;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.reference.ReferenceRules;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.reference.WindowSpecRef;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.EventGenerator;
import org.retentionpulse.tools.generator.FaultRates;
import org.retentionpulse.tools.generator.GeneratorConfig;
import org.retentionpulse.tools.generator.JsonLinesSink;
import org.retentionpulse.tools.generator.ProgressListener;

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
        return replay(input, metrics, null, windows);
    }

    static Replay.Result replay(Path input, Path metrics, Path alerts, String windows) throws IOException, InterruptedException {
        return replay(input, metrics, alerts, Map.of(AppDefaults.WINDOWS, windows));
    }

    static Replay.Result replay(Path input, Path metrics, Path alerts, Map<String, String> settingsOverrides)
            throws IOException, InterruptedException {
        return replay(input, metrics, alerts, null, settingsOverrides);
    }

    static Replay.Result replay(Path input, Path metrics, Path alerts, Path cohorts, Map<String, String> settingsOverrides)
            throws IOException, InterruptedException {
        Map<String, String> overrides = new HashMap<>(settingsOverrides);
        Settings settings = Settings.load(null, Map.of(), overrides);
        return new Replay(new ReplayOptions(input, metrics, alerts, broker.bootstrapServers(), Duration.ofMinutes(5), false)
                .withCohortsOut(cohorts),
                settings, new PrintStream(OutputStream.nullOutputStream())).run();
    }

    /** The whole stream of 1,500 customers over 120 days: no event cap, which would count the faults and cut the dirty file short. */
    static Path generate(Path file, FaultRates faults) throws IOException {
        GeneratorConfig config = GeneratorConfig.builder().seed(7).customers(1500).days(120)
                .faults(faults).build();
        try (JsonLinesSink sink = JsonLinesSink.toFile(file)) {
            EventGenerator.create(config).writeTo(sink, ProgressListener.NONE);
        }
        return file;
    }

    /** Alerts as JSON with the wall-clock detection time blanked: everything else must be reproducible. */
    static List<String> alertsWithoutDetectionTime(Path alerts) throws IOException {
        return Files.readAllLines(alerts).stream()
                .map(line -> line.replaceAll("\"detected_at\":\"[^\"]*\"", "\"detected_at\":\"-\""))
                .toList();
    }

    @Test
    void alertsAreReproducibleAndDuplicatesOrInvalidLinesAddNone(@TempDir Path dir) throws Exception {
        Path clean = generate(dir.resolve("clean.jsonl"), FaultRates.NONE);
        Path dirty = generate(dir.resolve("dirty.jsonl"), FaultRates.NONE.withDuplicateRate(0.02).withInvalidRate(0.005));
        Path cleanAlerts = dir.resolve("clean-alerts.jsonl");
        Path dirtyAlerts = dir.resolve("dirty-alerts.jsonl");
        Replay.Result cleanRun = replay(clean, dir.resolve("m1.jsonl"), cleanAlerts, "P1D/P1D");
        Replay.Result dirtyRun = replay(dirty, dir.resolve("m2.jsonl"), dirtyAlerts, "P1D/P1D");

        List<String> alerts = alertsWithoutDetectionTime(cleanAlerts);
        List<String> fromDirty = alertsWithoutDetectionTime(dirtyAlerts);
        int firstDifference = 0;
        while (firstDifference < Math.min(alerts.size(), fromDirty.size()) && alerts.get(firstDifference).equals(fromDirty.get(firstDifference))) {
            firstDifference++;
        }
        int at = firstDifference;
        assertTrue(at == alerts.size() && at == fromDirty.size(), () -> alerts.size() + " alerts from the clean file, "
                + fromDirty.size() + " from the dirty one; first difference at " + at + ":\n  "
                + (at < alerts.size() ? alerts.get(at) : "-") + "\n  " + (at < fromDirty.size() ? fromDirty.get(at) : "-"));
        assertEquals(cleanRun.alerts(), alerts.size());
        assertTrue(dirtyRun.deadLetters() > 0);
        assertEquals(alerts.size(), alerts.stream().map(a -> a.replaceAll(".*\"alert_id\":\"([^\"]+)\".*", "$1")).distinct().count(),
                "alert ids are unique");
        for (String level : List.of("\"MEDIUM\"", "\"HIGH\"", "\"CHURNED\"")) {
            assertTrue(alerts.stream().anyMatch(a -> a.contains("\"level\":" + level)), "some alert at " + level);
        }
        for (String signal : List.of("INACTIVE", "DETRACTOR", "LOW_CSAT", "CHURNED")) {
            assertTrue(alerts.stream().anyMatch(a -> a.contains("\"signal\":\"" + signal + "\"")), "some alert for " + signal);
        }
    }

    static SortedMap<MetricKey, BigDecimal> readFinals(Path metrics) throws IOException {
        SortedMap<MetricKey, BigDecimal> out = new TreeMap<>();
        for (FinalValue v : ReferenceModel.readExpected(metrics)) {
            out.put(v.key(), v.value());
        }
        return out;
    }

    /** Sections 4 and 8 (and 7 with an inactivity), no cohorts: what the pipeline publishes. */
    static ReferenceModel reference(String windows, Duration inactivity, Path events) throws IOException {
        ReferenceModel reference = new ReferenceModel(WindowSpecRef.parseAll(windows), ReferenceModel.DEFAULT_GRACE, "EUR",
                ReferenceModel.DEFAULT_DIMENSIONS, new ReferenceRules(inactivity, ChurnPolicy.DEFAULT_REASONS_CAP, true, null, 12));
        for (String line : Files.readAllLines(events)) {
            if (!line.isBlank()) {
                reference.accept(line);
            }
        }
        return reference;
    }

    /**
     * The contract's edges file holds the section-4 records; section 8 adds its metrics and segments with only a
     * win-back pool: the file's records are exact, and everything equals the reference model with section 8.
     */
    @Test
    void replayOfTheEdgesExampleWritesExactlyTheExpectedFinals(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("metrics.jsonl");
        Path edges = resource("edges.jsonl", dir);
        Replay.Result result = replay(edges, metrics, "P1D/P1D,P2D/P1D");
        SortedMap<MetricKey, BigDecimal> expected = FinalValue.toSortedMap(ReferenceModel.readExpected(resource("edges.expected.jsonl", dir)));
        SortedMap<MetricKey, BigDecimal> finals = readFinals(metrics);
        List<String> withSectionEight = FinalValueComparison.differences(reference("P1D/P1D,P2D/P1D", null, edges).finals(), finals);
        assertTrue(withSectionEight.isEmpty(), () -> String.join("\n", withSectionEight));
        ReferenceModel sectionFour = new ReferenceModel(WindowSpecRef.parseAll("P1D/P1D,P2D/P1D"));
        Files.readAllLines(edges).forEach(sectionFour::accept);
        finals.keySet().retainAll(sectionFour.finals().keySet());
        List<String> differences = FinalValueComparison.differences(expected, finals);
        assertTrue(differences.isEmpty(), () -> String.join("\n", differences));
        assertEquals(24, result.lines());
        assertEquals(4, result.deadLetters(), "NPS 11, 3-decimal amount, USD, and the non-JSON line");
        assertEquals(Map.of("amount_scale", 1L, "currency_mismatch", 1L, "not_json", 1L, "score_out_of_range", 1L),
                result.rejectedByReason());
        assertTrue(Files.readAllLines(metrics).get(0).contains("\"final\":true"));
    }

    @Test
    void replayOfAGeneratedStreamWithFaultsEqualsTheReferenceModel(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("events.jsonl");
        GeneratorConfig config = GeneratorConfig.builder().seed(7).customers(3000).days(75).targetEvents(30_000)
                .faults(FaultRates.NONE.withDuplicateRate(0.01).withInvalidRate(0.005)
                        .withOutOfOrder(0.02, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY))
                .build();
        try (JsonLinesSink sink = JsonLinesSink.toFile(events)) {
            EventGenerator.create(config).writeTo(sink, ProgressListener.NONE);
        }
        Path metrics = dir.resolve("metrics.jsonl");
        Replay.Result result = replay(events, metrics, "P1D/P1D,P7D/P1D,P30D/P1D");

        ReferenceModel reference = reference("P1D/P1D,P7D/P1D,P30D/P1D", null, events);
        SortedMap<MetricKey, BigDecimal> expected = reference.finals();
        List<String> differences = FinalValueComparison.differences(expected, readFinals(metrics));
        assertTrue(differences.isEmpty(), () -> differences.size() + " differences, first: "
                + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));
        assertTrue(expected.size() > 10_000, "a stream this size has many windows and segments: " + expected.size());
        assertEquals(reference.rejectedByReason().values().stream().mapToLong(Long::longValue).sum(), result.deadLetters());
    }

    /** The contract's shop example (settings of its README) through replay on a real broker: exactly its expected finals and cohort cells. */
    @Test
    void replayOfTheShopExampleWritesExactlyTheExpectedFinals(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("metrics.jsonl");
        Path alerts = dir.resolve("alerts.jsonl");
        Path cohorts = dir.resolve("cohorts.jsonl");
        Replay.Result result = replay(resource("shop.jsonl", dir), metrics, alerts, cohorts, Map.of(AppDefaults.WINDOWS,
                "P1D/P1D,P7D/P1D", AppDefaults.CHURN_INACTIVITY, "P10D", AppDefaults.COHORTS_PERIOD, "P1W", AppDefaults.COHORTS_PERIODS, "4"));
        SortedMap<CohortKey, CohortCell> expectedCells = ReferenceModel.readExpectedCohorts(resource("shop.cohorts.expected.jsonl", dir));
        SortedMap<CohortKey, CohortCell> cells = ReferenceModel.readExpectedCohorts(cohorts);
        assertEquals(expectedCells.keySet(), cells.keySet(), "--cohorts-out: every final cohort cell");
        expectedCells.forEach((key, cell) -> assertTrue(cell.sameAs(cells.get(key)), () -> key + ": " + cells.get(key)));
        assertEquals(47, result.cohortCells());
        SortedMap<MetricKey, BigDecimal> expected = FinalValue.toSortedMap(ReferenceModel.readExpected(resource("shop.expected.jsonl", dir)));
        List<String> differences = FinalValueComparison.differences(expected, readFinals(metrics));
        assertTrue(differences.isEmpty(), () -> differences.size() + " differences, first: "
                + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));
        assertTrue(Files.readAllLines(alerts).stream().anyMatch(a -> a.contains("Lapsed: no purchase or signup for 10.0 days")),
                "lapses within the input end churn-risk tracking with a CHURNED alert");
    }

    /** A generated shop population (no cancellations, purchase rhythms, lapses, win-backs) equals the reference model. */
    @Test
    void replayOfAGeneratedShopPopulationUnderInactivityEqualsTheReferenceModel(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("shop.jsonl");
        GeneratorConfig config = GeneratorConfig.builder().seed(11).customers(1500).days(100).targetEvents(15_000)
                .profile(GeneratorConfig.Profile.SHOP)
                .faults(FaultRates.NONE.withDuplicateRate(0.01).withOutOfOrder(0.02, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY))
                .build();
        try (JsonLinesSink sink = JsonLinesSink.toFile(events)) {
            EventGenerator.create(config).writeTo(sink, ProgressListener.NONE);
        }
        Path metrics = dir.resolve("metrics.jsonl");
        replay(events, metrics, null, Map.of(AppDefaults.WINDOWS, "P1D/P1D,P7D/P1D,P30D/P1D", AppDefaults.CHURN_INACTIVITY, "P30D"));

        SortedMap<MetricKey, BigDecimal> expected = reference("P1D/P1D,P7D/P1D,P30D/P1D", Duration.ofDays(30), events).finals();
        List<String> differences = FinalValueComparison.differences(expected, readFinals(metrics));
        assertTrue(differences.isEmpty(), () -> differences.size() + " differences, first: "
                + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));
        assertTrue(expected.keySet().stream().anyMatch(k -> k.metric().equals("churn_reason_share") && "inactivity".equals(k.reason())),
                "the population lapses");
    }
}
