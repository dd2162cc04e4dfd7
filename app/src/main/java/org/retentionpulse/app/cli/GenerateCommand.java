package org.retentionpulse.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.console.ProgressReporter;
import org.retentionpulse.app.pipeline.TopicProvisioner;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.tools.generator.EventGenerator;
import org.retentionpulse.tools.generator.EventSink;
import org.retentionpulse.tools.generator.FaultRates;
import org.retentionpulse.tools.generator.GenerationProgress;
import org.retentionpulse.tools.generator.GenerationSummary;
import org.retentionpulse.tools.generator.GeneratorConfig;
import org.retentionpulse.tools.generator.JsonLinesSink;
import org.retentionpulse.tools.generator.KafkaEventSink;
import org.retentionpulse.tools.generator.RegimeChange;
import org.retentionpulse.tools.generator.TopicNames;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code retention-pulse generate}: a synthetic customer population's events, to a file or to Kafka. */
@Command(name = "generate",
        description = {"Generates a realistic, deterministic (per --seed) stream of signups, purchases, cancellations and "
                + "survey responses, to a JSON Lines file (--output) or to Kafka (--bootstrap-servers)."})
public final class GenerateCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--output", paramLabel = "FILE", description = "Write canonical JSON Lines to FILE ('-' for stdout).")
        String output;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Produce to Kafka, keyed by customer_id; "
                + "missing topics are created as run creates input topics (settings topics.partitions, topics.replication-factor, "
                + "topics.input-timestamp-type from RETENTION_PULSE_* variables; no time retention).")
        String bootstrapServers;
    }

    @Option(names = "--seed", defaultValue = "42", description = "Random seed: the same seed gives the same stream.")
    long seed;

    @Option(names = "--customers", defaultValue = "10000", description = "Customers who sign up.")
    int customers;

    @Option(names = "--days", defaultValue = "90", description = "Length of the period in event time.")
    int days;

    @Option(names = "--start", defaultValue = "2024-01-01T00:00:00Z", description = "Event time of the period's start.")
    Instant start;

    @Option(names = "--profile", defaultValue = "subscription", paramLabel = "subscription|shop",
            description = "subscription: customers sign up and cancel; shop: no cancellations, customers buy in a rhythm "
                    + "of their own, some stop buying and some come back (for churn.inactivity).")
    String profile;

    @Option(names = "--monthly-churn-rate", defaultValue = "0.05", paramLabel = "P",
            description = "Average probability per 30 days that an active customer churns (cancels or silently stops), 0 to <1.")
    double monthlyChurnRate;

    @Option(names = "--events", defaultValue = "0", description = "Stop after this many events (0 = the whole period).")
    long events;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "EVENTS/S", description = "Pace (0 = as fast as possible).")
    double rate;

    @Option(names = "--live", description = "Event time follows the wall clock from now, sped up by --speedup.")
    boolean live;

    @Option(names = "--speedup", defaultValue = "1440", description = "With --live: how much faster than real time (1440 = a day per minute).")
    double speedup;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "With --bootstrap-servers: one topic for every event type "
            + "(default: customer-signups, customer-purchases, customer-cancellations, customer-surveys).")
    String topic;

    @Option(names = "--format", defaultValue = "avro", description = "Kafka value format: avro or json.")
    String format;

    @Option(names = "--duplicate-rate", defaultValue = "0", description = "Fraction of events delivered twice.")
    double duplicateRate;

    @Option(names = "--invalid-rate", defaultValue = "0", description = "Fraction of invalid records (bad score, amount, currency, not JSON).")
    double invalidRate;

    @Option(names = "--out-of-order-rate", defaultValue = "0", description = "Fraction of events delayed within grace.")
    double outOfOrderRate;

    @Option(names = "--late-rate", defaultValue = "0", description = "Fraction of events delayed beyond the longest window plus grace.")
    double lateRate;

    @Option(names = "--regime-change", paramLabel = "plan=NAME:churn=FACTORx:from=DATE",
            description = "From DATE on, customers of plan NAME churn FACTOR times as fast (e.g. plan=pro:churn=2x:from=2024-02-01).")
    String regimeChange;

    @Override
    public Integer call() throws Exception {
        GeneratorConfig config = GeneratorConfig.builder()
                .seed(seed).customers(customers).days(days).start(start).targetEvents(events)
                .profile(GeneratorConfig.Profile.parse(profile)).monthlyChurnRate(monthlyChurnRate)
                .eventsPerSecond(rate).live(live).speedup(speedup)
                .regimeChange(regimeChange == null ? null : RegimeChange.parse(regimeChange))
                .faults(FaultRates.NONE.withDuplicateRate(duplicateRate).withInvalidRate(invalidRate)
                        .withOutOfOrder(outOfOrderRate, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY)
                        .withLate(lateRate, FaultRates.DEFAULT_MIN_LATE_DELAY))
                .build();
        EventGenerator generator = EventGenerator.create(config);
        Runtime.getRuntime().addShutdownHook(new Thread(generator::stop, "generate-stop"));
        GenerationSummary summary;
        try (EventSink sink = sink(); ProgressReporter reporter = ProgressReporter.to(System.err)) {
            summary = generator.writeTo(sink, p -> report(reporter, p));
        }
        System.err.printf("Generated %,d events in %.1f s (%s)%n", summary.eventsWritten(),
                summary.elapsed().toMillis() / 1000.0, summary.byFault());
        return 0;
    }

    /**
     * Events written, rate, the event time reached and, when the end is known (a number of events, or the end of the
     * period when not live), the share done and the time left.
     */
    private void report(ProgressReporter reporter, GenerationProgress p) {
        if (p.finished()) {
            return; // the summary line follows
        }
        double fraction = Double.NaN;
        if (events > 0) {
            fraction = (double) p.eventsWritten() / events;
        } else if (!live && p.eventTime() != null) {
            fraction = (double) Duration.between(start, p.eventTime()).toMillis() / Duration.ofDays(days).toMillis();
        }
        String left = Double.isNaN(fraction) || fraction <= 0 ? ""
                : ", " + ProgressReporter.timeLeft(1 - fraction, fraction / Math.max(1e-9, p.elapsed().toMillis() / 1000.0));
        reporter.report(fraction, String.format(Locale.ROOT, "%,d events, %,.0f/s, event time %s%s",
                p.eventsWritten(), p.eventsPerSecond(), p.eventTime(), left));
    }

    private EventSink sink() {
        if (target.output != null) {
            return target.output.equals("-") ? JsonLinesSink.toStdout() : JsonLinesSink.toFile(Path.of(target.output));
        }
        TopicNames topics = topic == null ? TopicNames.DEFAULTS : TopicNames.single(topic);
        provision(topics);
        return KafkaEventSink.create(target.bootstrapServers, topics, WireFormat.parse(format), Map.of());
    }

    /**
     * Creates missing target topics as {@code run} creates input topics (partitions, replication and timestamp type from
     * the settings, no time retention), so the producer neither waits for topics nobody creates nor writes
     * event-time timestamps into a topic that deletes them at the next retention check.
     */
    private void provision(TopicNames topics) {
        Settings settings = Settings.load(null, System.getenv(), Map.of(AppDefaults.BOOTSTRAP_SERVERS, target.bootstrapServers));
        try (TopicProvisioner provisioner = new TopicProvisioner(new PipelineSettings(settings).clientProperties())) {
            provisioner.createMissingInputs(List.copyOf(new TreeSet<>(topics.distinct())), settings.getInt(AppDefaults.TOPICS_PARTITIONS),
                    (short) settings.getInt(AppDefaults.TOPICS_REPLICATION_FACTOR), settings.get(AppDefaults.TOPICS_INPUT_TIMESTAMP_TYPE));
        }
    }
}
