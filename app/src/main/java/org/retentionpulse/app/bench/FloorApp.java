package org.retentionpulse.app.bench;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The floor: the smallest exactly-once Kafka Streams app of the pipeline's shape, the yardstick the pipeline's
 * rate is divided by ({@code ratio_to_floor}). Per input event: one get and one put of a per-customer count in
 * a RocksDB store, one record to a repartition topic keyed by a segment (a hash bucket of the customer id, so
 * no decoding), and a per-segment count in a second store whose changes go to an output topic. Kafka Streams
 * defaults otherwise: record caches on both stores (the DSL default), 10 MiB of cache, one stream thread.
 */
final class FloorApp {
    /** Per-customer event counts. Key: the input record's key bytes (the customer id); value: events seen. */
    static final String CUSTOMER_COUNTS = "floor-customer-counts";
    /** The repartition topic's name part: one record per event, key the segment bucket, value the customer's count. */
    static final String SEGMENT_EVENTS = "floor-segment-events";
    /** Per-segment event counts. Key: the segment bucket; value: events seen in it. */
    static final String SEGMENT_COUNTS = "floor-segment-counts";
    /** Segment buckets: about as many as the pipeline's default segments (all, plans, countries, channels). */
    static final int SEGMENTS = 16;

    private FloorApp() {
    }

    /** The repartition topic of the floor app with this application id. */
    static String repartitionTopic(String applicationId) {
        return applicationId + "-" + SEGMENT_EVENTS + "-repartition";
    }

    /** {@code segmentPartitions} partitions on the repartition topic, as the pipeline's segment stage has. */
    static Topology topology(List<String> inputs, String output, int segmentPartitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CUSTOMER_COUNTS), Serdes.Bytes(), Serdes.Long())
                .withCachingEnabled());
        builder.stream(inputs, Consumed.with(Serdes.Bytes(), Serdes.ByteArray()))
                .processValues(CustomerCount::new, CUSTOMER_COUNTS)
                .map((customer, count) -> KeyValue.pair(segmentOf(customer), count))
                .repartition(Repartitioned.<Integer, Long>as(SEGMENT_EVENTS).withKeySerde(Serdes.Integer()).withValueSerde(Serdes.Long())
                        .withNumberOfPartitions(segmentPartitions))
                .groupByKey(Grouped.with(Serdes.Integer(), Serdes.Long()))
                .count(Materialized.<Integer, Long, KeyValueStore<Bytes, byte[]>>as(SEGMENT_COUNTS).withKeySerde(Serdes.Integer()))
                .toStream()
                .to(output, Produced.with(Serdes.Integer(), Serdes.Long()));
        return builder.build();
    }

    static int segmentOf(Bytes customer) {
        return customer == null ? 0 : Math.floorMod(Arrays.hashCode(customer.get()), SEGMENTS);
    }

    /** Counts the customer's events: one get and one put per event; forwards the new count. */
    private static final class CustomerCount implements FixedKeyProcessor<Bytes, byte[], Long> {
        private FixedKeyProcessorContext<Bytes, Long> context;
        private KeyValueStore<Bytes, Long> counts;

        @Override
        public void init(FixedKeyProcessorContext<Bytes, Long> context) {
            this.context = context;
            this.counts = context.getStateStore(CUSTOMER_COUNTS);
        }

        @Override
        public void process(FixedKeyRecord<Bytes, byte[]> event) {
            long count = 1;
            if (event.key() != null) { // the generator keys every event; a keyless one still makes its repartition record
                Long before = counts.get(event.key());
                count = before == null ? 1 : before + 1;
                counts.put(event.key(), count);
            }
            context.forward(event.withValue(count));
        }
    }
}
