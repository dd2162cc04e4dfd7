package org.retentionpulse.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.alerts.ChurnRiskTracker;
import org.retentionpulse.topology.metrics.MetricHistory;

/**
 * How much state the application keeps, two ways:
 * <ul>
 *   <li><b>on disk</b>: the bytes of every file in the application's state directory (RocksDB after a clean
 *       close, so memtables are flushed), per store;</li>
 *   <li><b>live</b>: the key + value bytes of the latest record per key in every changelog topic (what a
 *       compacted changelog holds, and the payload an in-memory store would hold, without JVM overhead), per store;
 *       plus the stores without a changelog ({@code RetentionPulseTopology.UNLOGGED_STORES}), read entry by entry through interactive
 *       queries and serialized as the store does.</li>
 * </ul>
 */
public final class StateFootprint {
    private StateFootprint() {
    }

    /**
     * Key + value bytes of every entry of the unlogged stores ({@code RetentionPulseTopology.UNLOGGED_STORES}) of a
     * running {@code streams}, serialized with the stores' serdes: {@value MetricHistory#OPEN_STORE} (String keys in
     * UTF-8; {@link MetricHistory#valueSerde()} values) and {@value ChurnRiskTracker#DUE_INDEX_STORE} (bytes).
     */
    public static Map<String, Long> unloggedBytesByStore(KafkaStreams streams) {
        Map<String, Long> bytes = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = streams.store(StoreQueryParameters.fromNameAndType(ChurnRiskTracker.DUE_INDEX_STORE,
                QueryableStoreTypes.<Bytes, byte[]>keyValueStore())).all()) {
            long total = 0;
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                total += kv.key.get().length + kv.value.length;
            }
            bytes.put(ChurnRiskTracker.DUE_INDEX_STORE, total);
        }
        try (Serde<MetricUpdate> values = MetricHistory.valueSerde();
             KeyValueIterator<String, MetricUpdate> it = streams.store(StoreQueryParameters.fromNameAndType(MetricHistory.OPEN_STORE,
                     QueryableStoreTypes.<String, MetricUpdate>keyValueStore())).all()) {
            long total = 0;
            while (it.hasNext()) {
                KeyValue<String, MetricUpdate> kv = it.next();
                total += kv.key.getBytes(StandardCharsets.UTF_8).length
                        + values.serializer().serialize(MetricHistory.OPEN_STORE, kv.value).length;
            }
            bytes.put(MetricHistory.OPEN_STORE, total);
        }
        return bytes;
    }

    /** Bytes of the files under {@code appStateDir}, by store (the directory name below the task, or below its {@code rocksdb/}). */
    public static Map<String, Long> diskBytesByStore(Path appStateDir) {
        Map<String, Long> bytes = new TreeMap<>();
        if (!Files.isDirectory(appStateDir)) {
            return bytes;
        }
        try (Stream<Path> files = Files.walk(appStateDir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                Path rel = appStateDir.relativize(f);
                String store = "(other)";
                if (rel.getNameCount() >= 3) { // task/store/... or task/rocksdb/store/...
                    store = rel.getName(1).toString().equals("rocksdb") && rel.getNameCount() >= 4
                            ? rel.getName(2).toString() : rel.getName(1).toString();
                }
                try {
                    bytes.merge(store, Files.size(f), Long::sum);
                } catch (IOException e) {
                    // a file RocksDB removed meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    /** Key + value bytes of the latest non-null record per key of each changelog topic of {@code applicationId}, by store. */
    public static Map<String, Long> liveChangelogBytesByStore(Admin admin, Properties client, String applicationId)
            throws Exception {
        String prefix = applicationId + "-";
        String suffix = "-changelog";
        List<String> changelogs = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(prefix) && t.endsWith(suffix)).sorted().toList();
        Map<String, Long> bytes = new TreeMap<>();
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "retention-pulse-bench-state");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : changelogs) {
                String store = topic.substring(prefix.length(), topic.length() - suffix.length());
                bytes.put(store, liveBytes(admin, consumer, topic));
            }
        }
        return bytes;
    }

    private static long liveBytes(Admin admin, KafkaConsumer<byte[], byte[]> consumer, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        long total = 0;
        for (TopicPartition tp : new ArrayList<>(ends.keySet())) {
            Map<ByteBuffer, Integer> latest = new HashMap<>();
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            while (consumer.position(tp) < ends.get(tp)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ByteBuffer key = ByteBuffer.wrap(r.key() == null ? new byte[0] : r.key());
                    if (r.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, key.remaining() + r.value().length);
                    }
                }
            }
            for (int size : latest.values()) {
                total += size;
            }
        }
        return total;
    }

    public static long total(Map<String, Long> byStore) {
        return byStore.values().stream().mapToLong(Long::longValue).sum();
    }
}
