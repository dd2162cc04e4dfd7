package org.retentionpulse.app.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling the pipeline is measured against: a plain {@link KafkaConsumer} (byte-array deserializers,
 * {@code read_committed}, no group, no processing) reading every input partition from the beginning to its end.
 */
public final class RawConsumeRate {
    /** What one read of all the input took. */
    public record Result(long records, long bytes, Duration elapsed, long cpuNanos) {
        public double recordsPerSecond() {
            return records / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }

        /** Records per CPU second of the consuming thread (the classic consumer does its network I/O in poll). */
        public double recordsPerCpuSecond() {
            return records / Math.max(1e-9, cpuNanos / 1e9);
        }
    }

    private RawConsumeRate() {
    }

    public static Result measure(Properties client, List<String> topics, Map<TopicPartition, Long> ends, PrintStream progress) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(java.util.Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "retention-pulse-bench-raw");
        List<TopicPartition> partitions = new ArrayList<>(ends.keySet().stream().filter(tp -> topics.contains(tp.topic())).toList());
        long target = partitions.stream().mapToLong(ends::get).sum();
        long records = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = System.nanoTime();
            long cpuStart = ThreadCpu.currentThreadNanos();
            long lastReport = start;
            // Positions, not record counts, say when we are done: transaction markers take offsets too.
            while (!atEnd(consumer, partitions, ends)) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                records += batch.count();
                for (var r : batch) {
                    bytes += r.serializedValueSize() + Math.max(0, r.serializedKeySize());
                }
                long now = System.nanoTime();
                if (now - lastReport > 2_000_000_000L) {
                    progress.printf("  raw consume: %,d / %,d records%n", records, target);
                    lastReport = now;
                }
            }
            return new Result(records, bytes, Duration.ofNanos(System.nanoTime() - start), ThreadCpu.currentThreadNanos() - cpuStart);
        }
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < ends.get(tp)) {
                return false;
            }
        }
        return true;
    }
}
