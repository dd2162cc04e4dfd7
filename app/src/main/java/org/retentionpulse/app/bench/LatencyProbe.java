package org.retentionpulse.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.retentionpulse.topology.OutputHeaders;

/**
 * Reads the output topics (created with {@code LogAppendTime}) with {@code read_committed} from their current
 * end and records, per topic, the end-to-end latency of every output: its append time minus its
 * {@link OutputHeaders#SOURCE_TIMESTAMP} header (the append time of the input record whose effect it publishes
 * first, the inputs being {@code LogAppendTime} too). Outputs whose source is older than {@code since} (backlog
 * from before the measured phase) are counted but not sampled.
 */
public final class LatencyProbe implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, LatencyStats> byTopic = new LinkedHashMap<>();
    /** The samples since the last {@link #recent} call, per topic: how the latency moves during the phase. */
    private final Map<String, LatencyStats> sinceLastReport = new LinkedHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long since = Long.MAX_VALUE;
    private long withoutHeader;
    private long beforePhase;
    private volatile RuntimeException failure;
    private final String repartition;

    /**
     * Reads {@code topics} (the outputs) and {@code repartition} (the segment-deltas topic, {@code CreateTime}: a batch's timestamp is the append
     * time of the oldest input it sums), sampling its read time minus its timestamp: the customer stage's share of an
     * update's latency (combining, the customer task's commit, the fetch; probe's own fetch wait included).
     */
    public LatencyProbe(Properties client, List<String> topics, String repartition) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "retention-pulse-bench-latency");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        this.repartition = repartition;
        List<String> read = new ArrayList<>(topics);
        read.add(repartition);
        for (String topic : read) {
            byTopic.put(topic, new LatencyStats());
            sinceLastReport.put(topic, new LatencyStats());
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before the measured phase starts
        thread = new Thread(this::poll, "bench-latency-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Samples outputs whose source timestamp is at or after {@code epochMillis} from now on, and drops the samples
     * taken so far, the progress lines' included (a warm-up's: sampled so that its progress lines show its latency,
     * not reported).
     */
    public synchronized void sampleFrom(long epochMillis) {
        since = epochMillis;
        byTopic.replaceAll((topic, s) -> new LatencyStats());
        sinceLastReport.replaceAll((topic, s) -> new LatencyStats());
    }

    private void poll() {
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    boolean staged = r.topic().equals(repartition);
                    long source = staged ? r.timestamp() : OutputHeaders.sourceTimestamp(r.headers());
                    long at = staged ? System.currentTimeMillis() : r.timestamp();
                    synchronized (this) {
                        if (source < 0) {
                            withoutHeader++;
                        } else if (source < since) {
                            if (!staged) {
                                beforePhase++;
                            }
                        } else {
                            byTopic.get(r.topic()).add(at - source);
                            sinceLastReport.get(r.topic()).add(at - source);
                        }
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    /** Samples per topic so far. */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        byTopic.forEach((t, s) -> out.put(t, s.count()));
        return out;
    }

    /** Per topic, "p50/p99 ms" of the outputs sampled since the previous call (those without samples left out). */
    public synchronized Map<String, String> recent() {
        Map<String, String> out = new LinkedHashMap<>();
        sinceLastReport.forEach((topic, s) -> {
            if (s.count() > 0) {
                out.put(topic, s.percentile(50) + "/" + s.percentile(99) + " ms");
            }
        });
        sinceLastReport.replaceAll((topic, s) -> new LatencyStats());
        return out;
    }

    /** Stops reading and returns the samples per topic. */
    public Map<String, LatencyStats> stop() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
        if (failure != null) {
            throw new IllegalStateException("reading the output topics failed: " + failure.getMessage(), failure);
        }
        return byTopic;
    }

    public synchronized long outputsWithoutHeader() {
        return withoutHeader;
    }

    public synchronized long outputsFromBacklog() {
        return beforePhase;
    }

    /** Every output read so far, sampled or not (the repartition topic's records left out). */
    public synchronized long outputsRead() {
        long sampled = 0;
        for (Map.Entry<String, LatencyStats> e : byTopic.entrySet()) {
            sampled += e.getKey().equals(repartition) ? 0 : e.getValue().count();
        }
        return sampled + beforePhase + withoutHeader;
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            running.set(false);
            consumer.wakeup();
            thread.join(10_000);
        }
    }
}
