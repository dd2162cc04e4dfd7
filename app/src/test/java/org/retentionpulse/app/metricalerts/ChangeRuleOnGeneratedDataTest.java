package org.retentionpulse.app.metricalerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.MetricAlertSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.schemas.serde.SingleObjectAvro;
import org.retentionpulse.tools.generator.EventGenerator;
import org.retentionpulse.tools.generator.GeneratedEvent;
import org.retentionpulse.tools.generator.GeneratorConfig;
import org.retentionpulse.tools.generator.RegimeChange;
import org.retentionpulse.topology.RetentionPulseTopology;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.confidence.ChangeTest;
import org.retentionpulse.topology.confidence.MetricSamples;
import org.retentionpulse.topology.confidence.Sample;
import org.retentionpulse.topology.metricalerts.MetricAlertRules;
import org.retentionpulse.topology.serde.InputEventDeserializer;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * The change rule measured on generated populations (fixed seed, the real topology on a TopologyTestDriver, 7-day
 * windows advancing daily, every segment). Stationary: the share of window pairs the test flags is compared with its
 * significance level. Changed (churn of plan pro doubles from day 45): the rule fires in plan=pro in the first window
 * after the change, the change adds no alert in the other plans, and the same rule with a minimum size above the
 * segment's never fires.
 * The figures are printed for README.md ("Metric alerts").
 */
class ChangeRuleOnGeneratedDataTest {
    static final double SIGNIFICANCE = 0.01;
    static final long MIN_N = 100;
    static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    static final int DAYS = 90;
    static final Instant END = START.plus(Duration.ofDays(DAYS));
    static final Instant CHANGE = START.plus(Duration.ofDays(45));
    static final String WINDOW = "P7D/P1D";
    /** Twice the generator's default: about 2% of a segment churns per week, so doubling it is visible in a week. */
    static final double MONTHLY_CHURN = 0.10;
    static final List<String> RULES = List.of(
            "churn-change change metric=churn_rate window=P7D/P1D segment=* significance=" + SIGNIFICANCE + " min_n=" + MIN_N,
            "churn-change-small change metric=churn_rate window=P7D/P1D segment=plan=pro significance=" + SIGNIFICANCE
                    + " min_n=1000000");

    private static Run stationary;
    private static Run changed;

    record Run(List<MetricUpdate> finals, List<MetricAlert> alerts) {
    }

    @BeforeAll
    static void runBothPopulations() {
        GeneratorConfig population = GeneratorConfig.builder().seed(7).customers(12_000).start(START).days(DAYS)
                .monthlyChurnRate(MONTHLY_CHURN).build();
        stationary = run(population);
        changed = run(population.toBuilder().regimeChange(RegimeChange.parse("plan=pro:churn=2x:from=" + CHANGE)).build());
    }

    @Test
    void onAStationaryPopulationTheChangeTestFlagsAboutItsSignificanceLevelOfWindowPairs() {
        long[] flaggedAndTested = flaggedPairs(stationary.finals());
        Sample.Proportion rate = new Sample.Proportion(flaggedAndTested[0], flaggedAndTested[1]);
        var interval = rate.interval(org.retentionpulse.topology.confidence.ConfidenceLevel.defaults());
        System.out.printf("stationary: %d of %d window pairs flagged at significance %s = %.4f (95%% CI %s to %s %%); "
                        + "%d alerts on whole windows%n", flaggedAndTested[0], flaggedAndTested[1], SIGNIFICANCE, rate.share(),
                interval.low(), interval.high(), stationary.alerts().stream().filter(a -> !a.getWindowEnd().isAfter(END)).count());

        assertTrue(flaggedAndTested[1] >= 1000, "many window pairs over many segments: " + flaggedAndTested[1]);
        assertTrue(interval.low().compareTo(BigDecimal.valueOf(100 * SIGNIFICANCE)) <= 0,
                "the false alarm rate is not above the significance level: " + rate.share());
        long wholeWindowAlerts = stationary.alerts().stream().filter(a -> a.getRule().equals("churn-change")
                && !a.getWindowEnd().isAfter(END)).count();
        assertTrue(wholeWindowAlerts <= flaggedAndTested[0], "an alert is a flag that starts a run of flags: " + wholeWindowAlerts);
    }

    @Test
    void onTheChangedPopulationItFiresInTheChangedSegmentAroundTheChangeAndNotInTheOtherPlans() {
        List<MetricAlert> pro = alerts(changed, "churn-change", "plan=pro");
        System.out.println("changed, plan=pro: " + pro.stream().map(a -> a.getWindowStart() + " z=" + a.getZ()).toList());

        MetricAlert first = pro.stream().filter(a -> a.getWindowEnd().isAfter(CHANGE)).findFirst().orElseThrow(
                () -> new AssertionError("no alert on plan=pro after the change: " + pro));
        assertFalse(first.getWindowStart().isAfter(CHANGE),
                "fires no later than the first 7-day window wholly after the change: " + first.getWindowStart());
        assertTrue(first.getZ() > 0, "a rise");
        assertTrue(alerts(stationary, "churn-change", "plan=pro").stream().noneMatch(ChangeRuleOnGeneratedDataTest::near),
                "the stationary stream has no alert there");
        for (String other : List.of("plan=basic", "plan=team")) {
            // Their streams are the same with and without the change (the generator time-changes pro lifetimes only), so
            // any alert there is one of the stationary stream's false alarms, not caused by the change.
            assertEquals(ids(alerts(stationary, "churn-change", other)), ids(alerts(changed, "churn-change", other)),
                    other + " did not change: the change adds no alert there");
            System.out.println("changed, " + other + ": " + alerts(changed, "churn-change", other).stream()
                    .map(a -> a.getWindowStart().toString()).toList());
        }
    }

    private static List<String> ids(List<MetricAlert> alerts) {
        return alerts.stream().map(MetricAlert::getAlertId).toList();
    }

    @Test
    void theSameChangeInASegmentUnderTheMinimumSizeNeverFires() {
        assertEquals(List.of(), alerts(changed, "churn-change-small", "plan=pro"));
        assertTrue(changed.alerts().stream().allMatch(a -> a.getSampleSize() >= MIN_N && a.getPreviousSampleSize() >= MIN_N));
    }

    /** Windows within a week of the change either side. */
    private static boolean near(MetricAlert a) {
        return a.getWindowEnd().isAfter(CHANGE.minus(Duration.ofDays(7))) && a.getWindowStart().isBefore(CHANGE.plus(Duration.ofDays(7)));
    }

    private static List<MetricAlert> alerts(Run run, String rule, String segment) {
        return run.alerts().stream().filter(a -> a.getRule().equals(rule) && a.getSegment().equals(segment)).toList();
    }

    /**
     * {flagged, tested}: pairs (window, the window ending where it starts) of one series, both of at least MIN_N, of
     * whole windows: the last windows reach past the generated period, hold fewer days of events and would be flagged
     * as a fall (the replay's end of input closes them).
     */
    static long[] flaggedPairs(List<MetricUpdate> finals) {
        Map<String, MetricUpdate> byEnd = new HashMap<>();
        for (MetricUpdate u : finals) {
            byEnd.put(u.getSegment() + "|" + u.getWindowEnd().toEpochMilli(), u);
        }
        long flagged = 0;
        long tested = 0;
        for (MetricUpdate current : finals) {
            MetricUpdate previous = byEnd.get(current.getSegment() + "|" + current.getWindowStart().toEpochMilli());
            if (previous == null || current.getWindowEnd().isAfter(END)) {
                continue;
            }
            Sample now = MetricSamples.of(current);
            Sample before = MetricSamples.of(previous);
            if (now.size() < MIN_N || before.size() < MIN_N) {
                continue;
            }
            var test = ChangeTest.between(before, now);
            if (test.isPresent()) {
                tested++;
                if (test.get().pValue() < SIGNIFICANCE) {
                    flagged++;
                }
            }
        }
        return new long[] {flagged, tested};
    }

    static Run run(GeneratorConfig population) {
        TopologyConfig config = TopologyConfig.defaults().withStores(TopologyConfig.StoreKind.IN_MEMORY)
                .withTopics(TopologyConfig.Topics.defaults().withInputs(List.of("events")))
                .withWindows(List.of(WindowSpec.parse(WINDOW)), TopologyConfig.DEFAULT_GRACE)
                .withUpdateInterval(Duration.ZERO);
        config = config.withMetricAlertRules(MetricAlertRules.parse(RULES, "test", config.windows()));
        Properties props = RetentionPulseTopology.requiredStreamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "change-rule-measurement");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(RetentionPulseTopology.build(config), props)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic("events", new StringSerializer(), new ByteArraySerializer());
            var updates = driver.createOutputTopic(config.topics().metricUpdates(), new StringDeserializer(),
                    new MetricUpdateSerde().deserializer());
            var alerts = driver.createOutputTopic(config.topics().metricAlerts(), new StringDeserializer(),
                    new MetricAlertSerde().deserializer());
            List<MetricUpdate> finals = new ArrayList<>();
            EventGenerator generator = EventGenerator.create(population);
            while (generator.hasNext()) {
                GeneratedEvent e = generator.next();
                input.pipeInput(e.customerId(), SingleObjectAvro.encode(e.record()), e.occurredAt());
                if (generator.eventsGenerated() % 20_000 == 0) {
                    collectChurnFinals(updates.readValuesToList(), finals);
                }
            }
            RecordHeaders end = new RecordHeaders();
            end.add(InputEventDeserializer.CONTROL_HEADER, InputEventDeserializer.END_OF_INPUT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Instant farAway = Instant.parse("2100-01-01T00:00:00Z");
            input.pipeInput(new TestRecord<>(null, InputEventDeserializer.tickValue(farAway.toEpochMilli()), end, farAway));
            collectChurnFinals(updates.readValuesToList(), finals);
            return new Run(finals, alerts.readValuesToList());
        }
    }

    private static void collectChurnFinals(List<MetricUpdate> updates, List<MetricUpdate> finals) {
        updates.stream().filter(u -> u.getFinal$() && u.getMetric().equals("churn_rate")).forEach(finals::add);
    }
}
