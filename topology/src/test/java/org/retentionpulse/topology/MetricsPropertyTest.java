package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retentionpulse.reference.FinalValueComparison;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.reference.ReferenceRules;
import org.retentionpulse.reference.CohortKey;
import org.retentionpulse.reference.CohortPeriodRef;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.reference.SegmentCounts;
import org.retentionpulse.reference.WindowSegment;
import org.retentionpulse.reference.WindowSpecRef;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.combine.DeltaCombining;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * Random event streams ({@link RandomEventStream}) through the topology and through the independent
 * {@link ReferenceModel}: the same final records with the same values and published counts, the same number of
 * late events and of dead letters, and nothing after a final record under its key, also while open windows publish
 * updates. A failing seed is reported with its first differences and a stream shrunk to the fewest lines that still
 * disagree, ready to become a regression test. The seed is in the test name; the stream follows from it alone.
 */
class MetricsPropertyTest {
    /** More streams or other seeds for a deeper search: {@code -Dmetrics.property.streams=5000 -Dmetrics.property.firstSeed=10000}. */
    private static final int SHORT_WINDOW_STREAMS = Integer.getInteger("metrics.property.streams", 320);
    private static final long FIRST_SEED = Long.getLong("metrics.property.firstSeed", 0);
    private static final int DEFAULT_WINDOW_STREAMS = Math.max(6, SHORT_WINDOW_STREAMS / 50);
    private static final int SHOP_STREAMS = Math.max(6, SHORT_WINDOW_STREAMS / 8);
    private static final Duration SHRINK_BUDGET = Duration.ofSeconds(90);
    private static final Duration UPDATE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration COMBINE_INTERVAL = Duration.ofMillis(100);
    /** Daily cohorts with 3 periods after their own: the streams span days to weeks. */
    private static final CohortSpec COHORTS = new CohortSpec(CohortSpec.Period.P1D, 3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<List<String>> SHORT_WINDOW_SETS = List.of(
            List.of("P1D/P1D"),
            List.of("P1D/P1D", "P2D/P1D"),
            List.of("P1D/P1D", "P3D/P1D"),
            List.of("P1D/P1D", "P2D/P1D", "P3D/P1D"),
            List.of("P2D/P1D"),
            List.of("P3D/P1D"),
            List.of("P2D/P2D", "P1D/P1D"),
            List.of("PT12H/PT6H", "P1D/P1D"));
    private static final List<Duration> GRACES = List.of(Duration.ofHours(6), Duration.ofHours(6), Duration.ofHours(6),
            Duration.ofHours(6), Duration.ofHours(6), Duration.ofHours(6), Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1));

    /**
     * One generated run: the pipeline settings and the input lines in arrival order. With {@code updateEvery} > 0
     * the pipeline also publishes updates of open windows, one wall-clock update interval every that many lines;
     * they must not change any final record.
     */
    record Scenario(long seed, List<String> windows, Duration grace, List<Dimension> dimensions, int updateEvery,
                    List<String> lines, Duration inactivity) {

        Scenario(long seed, List<String> windows, Duration grace, List<Dimension> dimensions, int updateEvery,
                 List<String> lines) {
            this(seed, windows, grace, dimensions, updateEvery, lines, null);
        }

        /**
         * Short windows under {@code churn.inactivity} (contract section 7): a lapse after one to four days, so that
         * streams of days to weeks lapse customers, retract lapses by out-of-order activity and reactivate them.
         */
        static Scenario shops(long seed) {
            SplittableRandom random = new SplittableRandom(seed * 31 + 7);
            Duration inactivity = Duration.ofHours(24 * (1 + random.nextInt(4)) + (random.nextBoolean() ? 0 : 7));
            return shortWindows(seed).withInactivity(inactivity);
        }

        Scenario withInactivity(Duration d) {
            return new Scenario(seed, windows, grace, dimensions, updateEvery, lines, d);
        }

        /** Short windows, several days to three weeks; mostly the default grace and dimensions. */
        static Scenario shortWindows(long seed) {
            SplittableRandom random = new SplittableRandom(~seed);
            List<String> windows = SHORT_WINDOW_SETS.get(random.nextInt(SHORT_WINDOW_SETS.size()));
            Duration grace = GRACES.get(random.nextInt(GRACES.size()));
            List<Dimension> dimensions = List.of(Dimension.values());
            if (random.nextInt(8) == 0) {
                List<Dimension> subset = new ArrayList<>(dimensions);
                subset.remove(random.nextInt(subset.size()));
                if (random.nextBoolean()) {
                    subset.remove(random.nextInt(subset.size()));
                }
                dimensions = subset;
            }
            int events = 20 + random.nextInt(281);
            int customers = 5 + random.nextInt(56);
            int days = 2 + random.nextInt(20);
            int updateEvery = random.nextInt(6) == 0 ? 1 + random.nextInt(40) : 0;
            return new Scenario(seed, windows, grace, dimensions, updateEvery,
                    RandomEventStream.generate(seed, refs(windows), grace, events, customers, days));
        }

        /** The contract's defaults (P1D, P7D and P30D windows, grace PT6H) over five to six weeks. */
        static Scenario defaultWindows(long seed) {
            SplittableRandom random = new SplittableRandom(~seed);
            List<String> windows = TopologyConfig.DEFAULT_WINDOWS.stream().map(WindowSpec::toString).toList();
            Duration grace = TopologyConfig.DEFAULT_GRACE;
            return new Scenario(seed, windows, grace, List.of(Dimension.values()), 0, RandomEventStream.generate(seed,
                    refs(windows), grace, 200 + random.nextInt(101), 10 + random.nextInt(51), 32 + random.nextInt(12)));
        }

        Scenario withLines(List<String> shorter) {
            return new Scenario(seed, windows, grace, dimensions, updateEvery, shorter, inactivity);
        }

        @Override
        public String toString() {
            return "seed " + seed + ", windows " + windows + ", grace " + grace + ", dimensions " + dimensions
                    + (updateEvery > 0 ? ", updates every " + updateEvery + " lines" : "")
                    + (inactivity == null ? "" : ", churn.inactivity " + inactivity) + ", " + lines.size() + " lines";
        }
    }

    static LongStream shortWindowSeeds() {
        return LongStream.range(FIRST_SEED, FIRST_SEED + SHORT_WINDOW_STREAMS);
    }

    static LongStream shopSeeds() {
        return LongStream.range(FIRST_SEED + 2_000_000, FIRST_SEED + 2_000_000 + SHOP_STREAMS);
    }

    static LongStream defaultWindowSeeds() {
        return LongStream.range(FIRST_SEED + 1_000_000, FIRST_SEED + 1_000_000 + DEFAULT_WINDOW_STREAMS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("shortWindowSeeds")
    void shortWindowFinalsEqualTheReferenceModel(long seed) {
        assertAgreesWithReference(Scenario.shortWindows(seed));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("shopSeeds")
    void finalsUnderChurnInactivityEqualTheReferenceModel(long seed) {
        assertAgreesWithReference(Scenario.shops(seed));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("defaultWindowSeeds")
    void defaultWindowFinalsEqualTheReferenceModel(long seed) {
        assertAgreesWithReference(Scenario.defaultWindows(seed));
    }

    /**
     * The comparison is only as strong as the streams: over all seeds they must reach every corner the generator
     * promises, measured by the reference model, not by the generator's intentions.
     */
    @Test
    void generatedStreamsReachEveryCornerOfTheContract() {
        Coverage coverage = new Coverage();
        shortWindowSeeds().mapToObj(Scenario::shortWindows).forEach(coverage::add);
        defaultWindowSeeds().mapToObj(Scenario::defaultWindows).forEach(coverage::add);
        List<String> missing = coverage.missing();
        assertTrue(missing.isEmpty(), () -> "generated streams never reach: " + missing + "\n" + coverage);
    }

    private static void assertAgreesWithReference(Scenario scenario) {
        List<String> differences = differences(scenario);
        if (differences.isEmpty()) {
            return;
        }
        Scenario minimal = shrink(scenario);
        List<String> minimalDifferences = differences(minimal);
        fail(scenario + ": " + differences.size() + " differences with the reference model, first:\n  "
                + String.join("\n  ", differences.subList(0, Math.min(10, differences.size())))
                + "\nshrunk to " + minimal.lines().size() + " lines:\n" + String.join("\n", minimal.lines())
                + "\nwhich give " + minimalDifferences.size() + " differences, first:\n  "
                + String.join("\n  ", minimalDifferences.subList(0, Math.min(10, minimalDifferences.size()))));
    }

    /**
     * Everything on which the pipeline and the reference model disagree for one stream: final values, the counts
     * published with them, late events and dead letters; also a final record that is not the last record of its
     * key. Empty when they agree.
     */
    static List<String> differences(Scenario scenario) {
        // Sections 4 and 8 (and 7 under churn.inactivity), no cohorts
        ReferenceModel reference = new ReferenceModel(refs(scenario.windows()), scenario.grace(), "EUR",
                scenario.dimensions().stream().map(Dimension::key).toList(),
                new ReferenceRules(scenario.inactivity(), ChurnPolicy.DEFAULT_REASONS_CAP, true,
                        CohortPeriodRef.parse(COHORTS.period().name()), COHORTS.periods()));
        scenario.lines().forEach(reference::accept);
        SortedMap<MetricKey, BigDecimal> expected = reference.finals();
        long expectedRejections = reference.rejectedByReason().values().stream().mapToLong(Long::longValue).sum();

        TopologyConfig config = PipelineDriver.config(scenario.windows().toArray(String[]::new))
                .withWindows(scenario.windows().stream().map(WindowSpec::parse).toList(), scenario.grace())
                .withDimensions(scenario.dimensions())
                .withUpdateInterval(scenario.updateEvery() > 0 ? UPDATE_INTERVAL : Duration.ZERO)
                .withCohorts(COHORTS)
                .withChurn(new ChurnPolicy(scenario.inactivity() == null ? ChurnPolicy.Inactivity.NONE
                        : ChurnPolicy.Inactivity.after(scenario.inactivity()), ChurnPolicy.DEFAULT_REASONS_CAP));
        // Half the seeds combine the customer task's changes before the repartition (the application's default), flushed
        // by wall clock every few lines or when a flush holds maxEvents records; the other half sends each record's.
        boolean combined = Math.floorMod(scenario.seed(), 2) == 0;
        int flushEvery = 1 + (int) Math.floorMod(scenario.seed() / 2, 25L);
        config = config.withCombining(combined
                ? new DeltaCombining(COMBINE_INTERVAL, 2 + (int) Math.floorMod(scenario.seed() / 50, 30L))
                : DeltaCombining.PER_RECORD);
        List<String> differences = new ArrayList<>();
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            for (int i = 0; i < scenario.lines().size(); i++) {
                pipeline.send(scenario.lines().get(i));
                if (scenario.updateEvery() > 0 && i % scenario.updateEvery() == 0) {
                    pipeline.advanceWallClock(UPDATE_INTERVAL);
                } else if (combined && i % flushEvery == 0) {
                    pipeline.advanceWallClock(COMBINE_INTERVAL);
                }
            }
            int late = pipeline.lateEvents().size();
            int deadLetters = pipeline.deadLetters().size();
            pipeline.closeAllWindows();
            if (late != reference.lateEvents()) {
                differences.add("late events: expected " + reference.lateEvents() + " but was " + late);
            }
            if (deadLetters != expectedRejections) {
                differences.add("dead letters: expected " + expectedRejections + " but was " + deadLetters);
            }
            differences.addAll(FinalValueComparison.differences(expected, pipeline.finals()));
            differences.addAll(componentDifferences(reference.finalCounts(), pipeline.updates()));
            differences.addAll(recordsAfterTheFinal(pipeline.updates()));
            differences.addAll(cohortDifferences(reference.cohortCells(), pipeline.cohortCells()));
        } catch (RuntimeException | AssertionError e) {
            differences.add("pipeline failed: " + e);
        }
        if (!differences.isEmpty() && combined) {
            differences.add(0, "(changes combined: " + config.combining() + ", wall clock every " + flushEvery + " lines)");
        }
        return differences;
    }

    /** The unrounded counts each final record publishes, against the reference model's counts of that window. */
    static List<String> componentDifferences(SortedMap<WindowSegment, SegmentCounts> expected, List<MetricUpdate> updates) {
        Set<String> differences = new LinkedHashSet<>();
        for (MetricUpdate update : updates) {
            SegmentCounts counts = expected.get(new WindowSegment(update.getWindow(), update.getSegment(), update.getWindowStart()));
            if (!update.getFinal$() || counts == null) {
                continue; // a final record of a window or segment the reference has not is already a difference
            }
            MetricComponents c = update.getComponents();
            String where = update.getWindow() + " " + update.getSegment() + " " + update.getWindowStart() + " ";
            compare(differences, where + "S", c.getS(), counts.activeAtStart());
            compare(differences, where + "N", c.getN(), counts.signups());
            compare(differences, where + "C", c.getC(), counts.cancellations());
            compare(differences, where + "E", c.getE(), counts.activeAtEnd());
            compare(differences, where + "reactivations", c.getReactivations(), counts.reactivations());
            compare(differences, where + "ignored_signups", c.getIgnoredSignups(), counts.ignoredSignups());
            compare(differences, where + "ignored_cancellations", c.getIgnoredCancellations(), counts.ignoredCancellations());
            compare(differences, where + "referral_signups", c.getReferralSignups(), counts.referralSignups());
            compare(differences, where + "P1", c.getP1(), counts.buyers());
            compare(differences, where + "P2", c.getP2(), counts.repeatBuyers());
            compare(differences, where + "O", c.getO(), counts.orders());
            if (c.getR() != null && c.getR().compareTo(counts.revenue()) != 0) {
                differences.add(where + "R: expected " + counts.revenue() + " but was " + c.getR());
            }
            compare(differences, where + "prom", c.getProm(), counts.npsPromoters());
            compare(differences, where + "pass", c.getPass(), counts.npsPassives());
            compare(differences, where + "detr", c.getDetr(), counts.npsDetractors());
            compare(differences, where + "csat_n", c.getCsatN(), counts.csatResponses());
            compare(differences, where + "csat_pos", c.getCsatPos(), counts.csatPositive());
            compare(differences, where + "ces_n", c.getCesN(), counts.cesResponses());
            compare(differences, where + "ces_sum", c.getCesSum(), counts.cesSum());
            compare(differences, where + "L", c.getL(), counts.winBackPool());
            compare(differences, where + "WB", c.getWB(), counts.winBacks());
            compare(differences, where + "RESP", c.getRESP(), counts.respondents());
            compare(differences, where + "churned", c.getChurned(), counts.cancellations());
        }
        return List.copyOf(differences);
    }

    private static void compare(Set<String> differences, String what, Long published, long expected) {
        if (published != null && published != expected) {
            differences.add(what + ": expected " + expected + " but was " + published);
        }
    }

    /** Final cohort cells (section 9) against the reference model's, cell for cell; one final per cell. */
    static List<String> cohortDifferences(SortedMap<CohortKey, org.retentionpulse.reference.CohortCell> expected,
                                                  List<CohortCell> published) {
        SortedMap<CohortKey, org.retentionpulse.reference.CohortCell> finals = new TreeMap<>();
        List<String> differences = new ArrayList<>();
        for (CohortCell c : published) {
            if (c.getFinal$()) {
                CohortKey key = new CohortKey(c.getCohortPeriod(), c.getSegment(), c.getCohortStart(), c.getPeriod());
                if (finals.put(key, new org.retentionpulse.reference.CohortCell(c.getCustomers(), c.getRetained(), c.getActive(),
                        c.getRevenue())) != null) {
                    differences.add("two final cohort cells for " + key);
                }
            }
        }
        TreeSet<CohortKey> keys = new TreeSet<>(expected.keySet());
        keys.addAll(finals.keySet());
        for (CohortKey key : keys) {
            org.retentionpulse.reference.CohortCell want = expected.get(key);
            org.retentionpulse.reference.CohortCell got = finals.get(key);
            if (want == null || got == null || !want.sameAs(got)) {
                differences.add("cohort cell " + key + ": expected " + want + " but was " + got);
            }
        }
        return differences;
    }

    /** On a compacted topic the final record must stay the answer: nothing may follow it under its key. */
    static List<String> recordsAfterTheFinal(List<MetricUpdate> updates) {
        Set<MetricKey> closed = new HashSet<>();
        Set<String> differences = new LinkedHashSet<>();
        for (MetricUpdate update : updates) {
            MetricKey key = PipelineDriver.key(update);
            if (closed.contains(key)) {
                differences.add("a record follows the final one of " + key);
            }
            if (update.getFinal$()) {
                closed.add(key);
            }
        }
        return List.copyOf(differences);
    }

    /**
     * Drops chunks of lines, halving the chunk size down to single lines, as long as the pipeline still disagrees
     * with the reference model (any disagreement, not necessarily the first one), within {@link #SHRINK_BUDGET}.
     */
    static Scenario shrink(Scenario failing) {
        long deadline = System.nanoTime() + SHRINK_BUDGET.toNanos();
        List<String> lines = failing.lines();
        int chunk = Math.max(1, lines.size() / 2);
        while (System.nanoTime() < deadline) {
            boolean dropped = false;
            for (int from = 0; from < lines.size() && System.nanoTime() < deadline; ) {
                List<String> candidate = new ArrayList<>(lines.subList(0, from));
                candidate.addAll(lines.subList(Math.min(lines.size(), from + chunk), lines.size()));
                if (!candidate.isEmpty() && !differences(failing.withLines(candidate)).isEmpty()) {
                    lines = candidate;
                    dropped = true;
                } else {
                    from += chunk;
                }
            }
            if (!dropped) {
                if (chunk == 1) {
                    break;
                }
                chunk = Math.max(1, chunk / 2);
            }
        }
        return failing.withLines(lines);
    }

    static List<WindowSpecRef> refs(List<String> windows) {
        return windows.stream().map(WindowSpecRef::parse).toList();
    }

    /** What the reference model saw over many streams, line by line. */
    private static final class Coverage {
        private final Map<String, Long> seen = new TreeMap<>();

        void add(Scenario scenario) {
            ReferenceModel reference = new ReferenceModel(refs(scenario.windows()), scenario.grace(), "EUR",
                    scenario.dimensions().stream().map(Dimension::key).toList());
            Map<String, Set<String>> signupDimensions = new HashMap<>();
            Set<String> buyers = new HashSet<>();
            Map<String, Set<String>> typesAtInstant = new HashMap<>();
            Instant streamTime = Instant.MIN;
            for (String line : scenario.lines()) {
                long late = reference.lateEvents();
                long duplicates = reference.duplicates();
                Map<String, Long> rejected = reference.rejectedByReason();
                reference.accept(line);
                JsonNode json = parse(line);
                String type = json == null || json.get("type") == null ? "?" : json.get("type").asText();
                reference.rejectedByReason().forEach((reason, n) -> {
                    if (n > rejected.getOrDefault(reason, 0L)) {
                        count("rejected " + reason);
                    }
                });
                boolean accepted = reference.rejectedByReason().equals(rejected) && reference.duplicates() == duplicates;
                if (reference.duplicates() > duplicates) {
                    count("duplicate");
                }
                if (!accepted) {
                    continue;
                }
                String customer = json.get("customer_id").asText();
                String at = json.get("occurred_at").asText();
                Instant time = Instant.parse(at);
                if (reference.lateEvents() > late) {
                    count("late " + type);
                } else if (streamTime.isAfter(earliestEnd(scenario.windows(), time).plus(scenario.grace()))) {
                    count("late for some windows only");
                } else if (time.isBefore(streamTime)) {
                    count("out of order within grace");
                }
                streamTime = time.isAfter(streamTime) ? time : streamTime;
                if (at.endsWith("T00:00:00Z")) {
                    count("at midnight");
                } else if (at.endsWith("T23:59:59.999Z")) {
                    count("1 ms before midnight");
                }
                Set<String> tied = typesAtInstant.computeIfAbsent(customer + "@" + at, k -> new HashSet<>());
                if (!tied.isEmpty() && !tied.contains(type)) {
                    count("same-instant " + String.join("+", new TreeSet<>(List.of(type, tied.iterator().next()))));
                }
                tied.add(type);
                switch (type) {
                    case "signup" -> signupDimensions.computeIfAbsent(customer, c -> new HashSet<>())
                            .add(text(json, "plan") + "/" + text(json, "country") + "/" + text(json, "channel"));
                    case "purchase" -> buyers.add(customer);
                    case "survey" -> count("score " + json.get("survey").asText() + " " + json.get("score").asText());
                    default -> { }
                }
            }
            buyers.stream().filter(c -> !signupDimensions.containsKey(c)).forEach(c -> count("buyer who never signed up"));
            signupDimensions.values().stream().filter(d -> d.size() > 1).forEach(d -> count("signups with new dimensions"));
            reference.finalCounts().forEach((windowSegment, counts) -> {
                if (windowSegment.segment().equals("all")) {
                    add("reactivation", counts.reactivations());
                    add("ignored signup", counts.ignoredSignups());
                    add("ignored cancellation", counts.ignoredCancellations());
                    add("referral signup", counts.referralSignups());
                    add("repeat buyer", counts.repeatBuyers());
                    add("churn", counts.cancellations() > 0 && counts.activeAtStart() > 0 ? 1 : 0);
                } else if (windowSegment.segment().endsWith("=unknown")) {
                    add("segment " + windowSegment.segment(), 1);
                }
            });
            count("windows " + scenario.windows());
            count("grace " + scenario.grace());
            if (scenario.updateEvery() > 0) {
                count("updates of open windows");
            }
        }

        /** End of the first-closing window that contains {@code t}. */
        private static Instant earliestEnd(List<String> windows, Instant t) {
            return refs(windows).stream().map(w -> w.startsContaining(t).get(0).plus(w.size())).min(Instant::compareTo).orElseThrow();
        }

        private static String text(JsonNode json, String field) {
            return json.hasNonNull(field) ? json.get(field).asText() : "";
        }

        private void add(String what, long n) {
            if (n > 0) {
                count(what);
            }
        }

        private void count(String what) {
            seen.merge(what, 1L, Long::sum);
        }

        List<String> missing() {
            List<String> expected = new ArrayList<>(List.of("late signup", "late cancellation", "late purchase",
                    "late survey", "late for some windows only", "duplicate", "out of order within grace", "at midnight", "1 ms before midnight",
                    "same-instant cancellation+signup", "same-instant purchase+signup", "same-instant cancellation+purchase",
                    "reactivation", "signups with new dimensions", "ignored signup", "ignored cancellation",
                    "referral signup", "repeat buyer", "churn", "buyer who never signed up",
                    "segment plan=unknown", "segment country=unknown", "segment channel=unknown",
                    "grace PT0S", "grace PT6H", "updates of open windows",
                    "rejected NOT_JSON", "rejected SCORE_OUT_OF_RANGE", "rejected INVALID_AMOUNT",
                    "rejected CURRENCY_MISMATCH", "rejected UNKNOWN_SURVEY_TYPE", "rejected MISSING_FIELD"));
            for (int score = 0; score <= 10; score++) {
                expected.add("score NPS " + score);
            }
            for (int score = 1; score <= 5; score++) {
                expected.add("score CSAT " + score);
                expected.add("score CES " + score);
            }
            for (List<String> windows : SHORT_WINDOW_SETS) {
                expected.add("windows " + windows);
            }
            return expected.stream().filter(e -> !seen.containsKey(e)).toList();
        }

        @Override
        public String toString() {
            return seen.toString();
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException notJson) {
            return null;
        }
    }
}
