package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.MetricAlertKind;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.schemas.serde.CohortCellSerde;
import org.retentionpulse.schemas.serde.ChurnRiskAlertSerde;
import org.retentionpulse.schemas.serde.MetricAlertSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.topology.metricalerts.MetricAlertRule;
import org.retentionpulse.topology.OutputHeaders;
import org.retentionpulse.topology.TopologyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the output topics as a downstream consumer sees them ({@code read_committed}, every partition of
 * the metric-updates and alerts topics, from their end at start) and turns what it sees into meters:
 * <ul>
 *   <li>{@code retention_pulse_end_to_end_latency_seconds{output}}: output append time minus the
 *       {@link OutputHeaders#SOURCE_TIMESTAMP} header (the input record's timestamp). The append time is the
 *       record timestamp when the output topic uses {@code LogAppendTime}, else the time this consumer
 *       receives the record (an upper bound that includes the commit interval and the poll);</li>
 *   <li>the business gauges ({@link BusinessGauges}) and the cohort gauges ({@link CohortGauges});</li>
 *   <li>{@code retention_pulse_alerts_total{level,reason}}: alerts published, once per reason signal;</li>
 *   <li>{@code retention_pulse_metric_alerts_total{rule,kind}}: metric alerts published (zero for every configured rule).</li>
 * </ul>
 * A metric update of a window older than the current one of its spec cannot change a gauge and is not decoded
 * ({@link BusinessGauges#mayChange}, from its key): in a backfill that is most of them.
 * Because it reads the topics, every instance exports the values of <em>all</em> instances: dashboards
 * aggregate the business gauges with {@code max by (...)}, not {@code sum}.
 */
public final class OutputMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutputMonitor.class);
    /**
     * How often the gauges take the values seen since: a scrape every few seconds needs no fresher values, and under
     * load a poll returns every few milliseconds (when the topics go quiet, the next empty poll publishes at once).
     */
    static final Duration GAUGE_PUBLISH_INTERVAL = Duration.ofSeconds(1);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopologyConfig topology;
    private final MeterRegistry registry;
    private final BusinessGauges gauges;
    private final CohortGauges cohortGauges;
    private final CohortCellSerde cohortCells = new CohortCellSerde();
    private final Timer updateLatency;
    private final Timer alertLatency;
    private final MetricUpdateSerde metricUpdates = new MetricUpdateSerde();
    private final ChurnRiskAlertSerde alerts = new ChurnRiskAlertSerde();
    private final MetricAlertSerde metricAlerts = new MetricAlertSerde();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final ModelFits modelFits;

    public OutputMonitor(Properties clientProperties, TopologyConfig topology, MeterRegistry registry, int segmentCap) {
        this.topology = topology;
        this.registry = registry;
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "retention-pulse-output-monitor");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.gauges = new BusinessGauges(registry, segmentCap, topology.confidence());
        // A full triangle: the K + 1 latest cohorts of each period and segment.
        this.cohortGauges = new CohortGauges(registry, segmentCap, topology.cohorts().periods() + 1);
        this.updateLatency = latencyTimer(registry, "metric-update");
        this.alertLatency = latencyTimer(registry, "alert");
        // Every level and signal up front, so dashboards see zeros rather than missing series.
        for (RiskLevel level : RiskLevel.values()) {
            for (RiskSignal signal : RiskSignal.values()) {
                alertCounter(level.name(), signal.name());
            }
        }
        topology.metricAlertRules().forEach(rule -> metricAlertCounter(rule.name(),
                rule instanceof MetricAlertRule.Threshold ? MetricAlertKind.THRESHOLD : MetricAlertKind.CHANGE));
        this.thread = new Thread(this::run, "retention-pulse-output-monitor");
        thread.setDaemon(true);
        this.modelFits = new ModelFits(clientProperties, topology.topics().model(), registry);
    }

    /** The latest model fit of every customer task (from the model topic, read from its beginning). */
    public ModelFits modelFits() {
        return modelFits;
    }

    private static Timer latencyTimer(MeterRegistry registry, String output) {
        return Timer.builder("retention.pulse.end.to.end.latency")
                .description("Input record appended -> output record appended (see README: Observability)")
                .tag("output", output)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** Assigns every partition of the output topics at their end, then consumes on its own thread. */
    public OutputMonitor start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topology.topics().metricUpdates(), topology.topics().alerts(), topology.topics().metricAlerts(),
                topology.topics().cohorts())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                log.warn("Output topic {} does not exist: its records are not monitored", topic);
                continue;
            }
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, so records appended from here on are seen
        thread.start();
        modelFits.start();
        return this;
    }

    private void run() {
        long lastPublished = System.nanoTime();
        try {
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    observe(record, System.currentTimeMillis());
                }
                long now = System.nanoTime();
                if (records.isEmpty() || now - lastPublished >= GAUGE_PUBLISH_INTERVAL.toNanos()) {
                    gauges.publish();
                    cohortGauges.publish();
                    lastPublished = now;
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Output monitor stopped: business gauges, alert counts and latency are no longer updated", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    void observe(ConsumerRecord<byte[], byte[]> record, long receivedAt) {
        boolean isUpdate = record.topic().equals(topology.topics().metricUpdates());
        if (record.topic().equals(topology.topics().cohorts())) {
            observeCohortCell(record);
            return;
        }
        long source = OutputHeaders.sourceTimestamp(record.headers());
        if (source >= 0 && !record.topic().equals(topology.topics().metricAlerts())) {
            long appended = record.timestampType() == TimestampType.LOG_APPEND_TIME ? record.timestamp() : receivedAt;
            (isUpdate ? updateLatency : alertLatency).record(Math.max(0, appended - source), TimeUnit.MILLISECONDS);
        }
        if (record.value() == null) {
            return;
        }
        try {
            if (isUpdate) {
                if (record.key() == null || gauges.mayChange(new String(record.key(), StandardCharsets.UTF_8))) {
                    gauges.accept(metricUpdates.decode(record.value()));
                }
            } else if (record.topic().equals(topology.topics().metricAlerts())) {
                MetricAlert alert = metricAlerts.decode(record.value());
                metricAlertCounter(alert.getRule(), alert.getKind()).increment();
            } else {
                countAlert(alerts.decode(record.value()));
            }
        } catch (RuntimeException e) {
            log.warn("Cannot decode {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void observeCohortCell(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            cohortGauges.accept(cohortCells.decode(record.value()));
        } catch (RuntimeException e) {
            log.warn("Cannot decode {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void countAlert(ChurnRiskAlert alert) {
        String level = alert.getLevel().name();
        List<RiskReason> reasons = alert.getReasons();
        if (reasons == null || reasons.isEmpty()) {
            alertCounter(level, "NONE").increment();
            return;
        }
        for (RiskReason reason : reasons) {
            alertCounter(level, reason.getSignal().name()).increment();
        }
    }

    private Counter metricAlertCounter(String rule, MetricAlertKind kind) {
        return Counter.builder("retention.pulse.metric.alerts")
                .description("Metric alerts published, by rule and kind (threshold or change)")
                .tags("rule", rule, "kind", kind.name())
                .register(registry);
    }

    private Counter alertCounter(String level, String reason) {
        return Counter.builder("retention.pulse.alerts")
                .description("Churn-risk alerts published, by level and by each reason's signal")
                .tags("level", level, "reason", reason)
                .register(registry);
    }

    @Override
    public void close() {
        modelFits.close();
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
