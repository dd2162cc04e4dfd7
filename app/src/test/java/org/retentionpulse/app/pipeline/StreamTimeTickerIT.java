package org.retentionpulse.app.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.schemas.serde.ChurnRiskAlertSerde;
import org.retentionpulse.schemas.serde.MetricUpdateSerde;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;

/**
 * On a real broker: events arrive on one input partition only. The other partition is quiet, so windows
 * cannot close and time stands still for alerts, until the ticker moves stream time on every partition.
 */
class StreamTimeTickerIT {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Instant day(int d) {
        return T0.plus(Duration.ofDays(d));
    }

    @Test
    void tickerClosesWindowsAndFindsInactiveCustomersWhenAPartitionIsQuiet(@TempDir Path state) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        overrides.put(AppDefaults.APPLICATION_ID, "ticker-it");
        overrides.put(AppDefaults.STATE_DIR, state.toString());
        overrides.put(AppDefaults.WINDOWS, "P1D/P1D");
        overrides.put(AppDefaults.TOPICS_INPUTS, "ticker-events");
        overrides.put(AppDefaults.TOPICS_METRIC_UPDATES, "ticker-metrics");
        overrides.put(AppDefaults.TOPICS_ALERTS, "ticker-alerts");
        overrides.put(AppDefaults.OUTPUT_FORMAT, "json");
        overrides.put("streams.commit.interval.ms", "100");
        PipelineSettings ps = new PipelineSettings(Settings.load(null, Map.of(), overrides));
        TopologyConfig topology = ps.topology(2);
        try (TopicProvisioner topics = new TopicProvisioner(ps.clientProperties())) {
            topics.createMissing(topology.topics(), 2, (short) 1);
        }

        try (Pipeline pipeline = new Pipeline(topology, ps.streamsProperties(topology, Map.of())).start();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ps.clientProperties(), new StringSerializer(),
                     new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = outputConsumer()) {
            // A weekly buyer whose last purchase is on day 63, all on partition 0.
            producer.send(event(0, "wes", "{\"type\":\"signup\",\"event_id\":\"s1\",\"customer_id\":\"wes\",\"occurred_at\":\""
                    + day(0) + "\",\"plan\":\"pro\"}"));
            for (int week = 0; week < 10; week++) {
                producer.send(event(0, "wes", "{\"type\":\"purchase\",\"event_id\":\"p" + week + "\",\"customer_id\":\"wes\","
                        + "\"occurred_at\":\"" + day(7 * week) + "\",\"order_id\":\"o" + week + "\",\"amount\":\"10.00\",\"currency\":\"EUR\"}"));
            }
            producer.flush();
            consumer.assign(List.of(new TopicPartition("ticker-metrics", 0), new TopicPartition("ticker-alerts", 0),
                    new TopicPartition("ticker-alerts", 1)));
            List<MetricUpdate> finals = new ArrayList<>();
            List<ChurnRiskAlert> alerts = new ArrayList<>();
            MetricUpdateSerde metrics = new MetricUpdateSerde();
            ChurnRiskAlertSerde alertSerde = new ChurnRiskAlertSerde();

            // Without ticks partition 1 holds every window open: updates flow, no final.
            waitUntil(Duration.ofSeconds(60), () -> {
                poll(consumer, metrics, alertSerde, finals, alerts);
                return pipeline.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING && consumer.position(
                        new TopicPartition("ticker-metrics", 0)) > 0;
            }, "metric updates for the open windows");
            assertEquals(List.of(), finals, "a quiet partition holds every window open");
            assertEquals(List.of(), alerts);

            try (StreamTimeTicker ticker = new StreamTimeTicker(ps.clientProperties(), "ticker-events", Duration.ZERO,
                    Clock.fixed(day(90), ZoneOffset.UTC))) {
                ticker.tick();
                waitUntil(Duration.ofSeconds(60), () -> {
                    poll(consumer, metrics, alertSerde, finals, alerts);
                    return !alerts.isEmpty() && finals.stream().anyMatch(u -> u.getWindowStart().equals(day(63)));
                }, "finals of day 63 and an inactivity alert after a tick at day 90");
            }
            assertEquals(1, alerts.size());
            assertEquals(RiskLevel.MEDIUM, alerts.get(0).getLevel());
            assertEquals(RiskSignal.INACTIVE, alerts.get(0).getReasons().get(0).getSignal());
            assertEquals(day(84), alerts.get(0).getTriggeredAt(), "21 days (3 weekly gaps) after the last purchase");
            assertTrue(finals.stream().allMatch(u -> u.getWindowEnd().isBefore(day(90))));
        }
    }

    private static ProducerRecord<String, byte[]> event(int partition, String key, String json) {
        return new ProducerRecord<>("ticker-events", partition, key, json.getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaConsumer<byte[], byte[]> outputConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, MetricUpdateSerde metrics, ChurnRiskAlertSerde alertSerde,
            List<MetricUpdate> finals, List<ChurnRiskAlert> alerts) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.topic().equals("ticker-alerts")) {
                alerts.add(alertSerde.decode(r.value()));
            } else {
                MetricUpdate u = metrics.deserializer().deserialize(r.topic(), r.value());
                if (u.getFinal$()) {
                    finals.add(u);
                }
            }
        }
    }

    private static void waitUntil(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
        }
    }
}
