package org.retentionpulse.app.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps, per application id, the settings its state was built for ({@link BuiltFor}) as the one record of the
 * compacted topic {@code <application.id>-built-for}, written at the first start, and refuses a start whose
 * settings differ, naming each setting with its old and new value and the ways out. The topic is one of the
 * application's internal topics: {@code reset} deletes it with the state.
 */
public final class BuiltForCheck {
    public static final String TOPIC_SUFFIX = "-built-for";
    private static final byte[] KEY = "built-for".getBytes(StandardCharsets.UTF_8);
    private static final Logger log = LoggerFactory.getLogger(BuiltForCheck.class);

    private final Properties client;
    private final String applicationId;

    public BuiltForCheck(Properties clientProperties, String applicationId) {
        this.client = clientProperties;
        this.applicationId = applicationId;
    }

    public static String topic(String applicationId) {
        return applicationId + TOPIC_SUFFIX;
    }

    /**
     * Records {@code now} on the first start; afterwards compares it with the record.
     *
     * @throws IllegalStateException on a mismatch, with a message naming the settings and what to do
     */
    public void verify(TopicProvisioner topics, short replication, BuiltFor now) {
        topics.createMissingCompacted(topic(applicationId), replication);
        BuiltFor recorded = read();
        if (recorded == null) {
            refuseStateOfAnEarlierRelease(topics);
            log.info("Recording the settings the state of {} is built for: {}", applicationId, now.settings());
            write(now);
            return;
        }
        List<BuiltFor.Mismatch> mismatches = recorded.mismatches(now);
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException("the state of application.id '" + applicationId + "' was built for other settings: "
                    + String.join("; ", mismatches.stream().map(Object::toString).toList())
                    + ". Its stores are laid out for the old values, so the results would be wrong. Go back to the old "
                    + (mismatches.size() == 1 ? "value" : "values") + ", choose a new application.id, or delete the state with "
                    + "`retention-pulse reset --application-id " + applicationId + "` (it is then rebuilt from the input topics).");
        }
        if (recorded.lacksAnyOf(now)) {
            log.info("Adding settings to the built-for record of {}: {}", applicationId, now.settings());
            write(now);
        }
    }

    /**
     * No built-for record, but the application id already has internal topics: its state was built by a release
     * before the record existed, in formats this one does not read.
     */
    private void refuseStateOfAnEarlierRelease(TopicProvisioner topics) {
        List<String> internal;
        try {
            java.util.Set<String> ours = ApplicationReset.internalTopics(applicationId);
            ours.remove(topic(applicationId));
            internal = topics.admin().listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(ours::contains).sorted().toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics of application.id '" + applicationId + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!internal.isEmpty()) {
            throw new IllegalStateException("application.id '" + applicationId + "' has state from an earlier release (internal topics "
                    + internal + ", but no record of what they were built for): this release lays its state out differently. "
                    + "Delete it with `retention-pulse reset --application-id " + applicationId + "` (it is then rebuilt from the "
                    + "input topics), or choose a new application.id.");
        }
    }

    /** The recorded settings, or null when there is no record yet. */
    BuiltFor read() {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition partition = new TopicPartition(topic(applicationId), 0);
        BuiltFor last = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    last = r.value() == null ? null : BuiltFor.fromJson(r.value());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + topic(applicationId) + " to its end within 30 s");
                }
            }
        }
        return last;
    }

    private void write(BuiltFor builtFor) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic(applicationId), 0, KEY, builtFor.toJson())).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write the built-for record to " + topic(applicationId) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
