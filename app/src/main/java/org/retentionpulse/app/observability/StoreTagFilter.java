package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * One tag key, {@code store}, for the state-store metrics of Kafka Streams ({@code kafka_stream_state_*}).
 * Kafka names the store's tag after the kind of store ({@code in-memory-state-id}, {@code rocksdb-state-id},
 * {@code rocksdb-window-state-id}, ...), so the same metric (e.g. {@code num-open-iterators}) has different tag
 * keys for an in-memory and a RocksDB store; Prometheus requires one set of keys per name and would refuse the
 * second kind. Store names are unique within a topology, so the kind is not needed to tell stores apart. The
 * number of tags is unchanged, which Micrometer's Kafka binder relies on when it compares meters.
 */
final class StoreTagFilter implements MeterFilter {
    static final String STORE = "store";
    private static final String STATE_METRICS = "kafka.stream.state.";
    private static final String STORE_ID_SUFFIX = ".state.id";

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(STATE_METRICS)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean renamed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            if (tag.getKey().endsWith(STORE_ID_SUFFIX)) {
                tags.add(Tag.of(STORE, tag.getValue()));
                renamed = true;
            } else {
                tags.add(tag);
            }
        }
        return renamed ? id.replaceTags(tags) : id;
    }
}
