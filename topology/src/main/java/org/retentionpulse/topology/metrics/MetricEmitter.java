package org.retentionpulse.topology.metrics;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.schemas.MetricComponents;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.OutputHeaders;
import org.retentionpulse.topology.confidence.MetricIntervals;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * Turns one window's counts for one segment into metric records: forwards them, keeps them queryable (an open
 * window's update in {@value MetricHistory#OPEN_STORE}, a final in {@value MetricHistory#STORE}), and tracks what was
 * published so that an update carries only the metrics whose components changed since that key's last update (a final
 * carries every metric). Also keeps, per segment, the earliest input timestamp folded in since its last update, for
 * the {@link OutputHeaders#SOURCE_TIMESTAMP} header. Both are transient: after a restore every metric is published
 * again once and the next record sets the source.
 */
final class MetricEmitter {
    private static final int MAX_START_TEXTS = 4096;
    /** What a window's records are for. */
    enum Emission {
        /** An open window's update: forwarded, kept in {@value MetricHistory#OPEN_STORE}. */
        UPDATE,
        /** A closing window's final: forwarded, kept in {@value MetricHistory#STORE}, its open entry gone. */
        FINAL,
        /**
         * After a restore: an open window's current records into the unlogged {@value MetricHistory#OPEN_STORE}
         * only; nothing is forwarded and nothing counts as published (the first update still re-sends every metric).
         */
        REBUILD
    }

    private final WindowSet windows;
    private final ProcessorContext<String, MetricUpdate> context;
    private final KeyValueStore<String, MetricUpdate> history;
    private final KeyValueStore<String, MetricUpdate> open;
    private final MetricIntervals intervals;
    private final Map<String, Long> pendingSource = new HashMap<>();
    /**
     * Window start (epoch ms) -> its text in the output key: formatting an {@link Instant} per record was 4 % of the
     * stream thread in the latency phase, and the open windows have a few dozen starts.
     */
    private final Map<Long, String> startTexts = new HashMap<>();
    /** Per spec: window index -> segment -> the counts its last update published. */
    private final TreeMap<Long, Map<String, WindowCounts>>[] published;

    @SuppressWarnings("unchecked")
    MetricEmitter(WindowSet windows, ProcessorContext<String, MetricUpdate> context, KeyValueStore<String, MetricUpdate> history,
                  KeyValueStore<String, MetricUpdate> open, MetricIntervals intervals) {
        this.windows = windows;
        this.intervals = intervals;
        this.context = context;
        this.history = history;
        this.open = open;
        this.published = new TreeMap[windows.size()];
        for (int s = 0; s < published.length; s++) {
            published[s] = new TreeMap<>();
        }
    }

    /** An input record with {@code timestamp} changed {@code segment}. */
    void noteSource(String segment, long timestamp) {
        pendingSource.merge(segment, timestamp, Math::min);
    }

    /** The segments' updates are out: their next update's source is the next input. */
    void sourcesPublished(Collection<String> segments) {
        segments.forEach(pendingSource::remove);
    }

    /** Windows of {@code spec} below {@code firstOpen} have had their finals: forget what they published. */
    void windowsClosed(int spec, long firstOpen) {
        published[spec].headMap(firstOpen).clear();
    }

    /**
     * Emits window {@code index} of spec {@code specIndex} for {@code segment} ({@link Emission}). The source-timestamp
     * header is the earliest input folded in since the segment's last update, or for a final with nothing pending, the
     * input that closed the window ({@code timestamp}); an update of a segment with nothing pending has none.
     */
    void emit(int specIndex, long index, String segment, WindowCounts counts, Emission emission, long now, long timestamp) {
        WindowSpec spec = windows.get(specIndex);
        if (emission == Emission.REBUILD) {
            records(spec, index, segment, counts, null, false, now, update -> open.put(MetricHistory.key(update), update));
            return;
        }
        boolean isFinal = emission == Emission.FINAL;
        WindowCounts last = isFinal ? published[specIndex].getOrDefault(index, Map.of()).get(segment)
                : published[specIndex].computeIfAbsent(index, k -> new HashMap<>()).put(segment, counts);
        Long pending = pendingSource.get(segment);
        Long source = pending != null ? pending : isFinal ? Long.valueOf(timestamp) : null;
        records(spec, index, segment, counts, isFinal ? null : last, isFinal, now, update -> publish(update, timestamp, source));
        if (last != null) {
            for (Metric metric : Metric.values()) {
                forgetVanishedReasons(spec, index, segment, metric, last, counts);
            }
        }
    }

    /**
     * Builds the window's records, each metric's (one per reason of {@code churn_reason_share}), and hands them to
     * {@code sink}; with {@code previous} (the counts of the key's last update) only those whose components changed.
     */
    private void records(WindowSpec spec, long index, String segment, WindowCounts counts, WindowCounts previous,
                         boolean isFinal, long now, Consumer<MetricUpdate> sink) {
        for (Metric metric : Metric.values()) {
            for (String reason : metric.reasons(counts)) {
                MetricComponents components = metric.components(counts, reason);
                if (previous != null && components.equals(metric.components(previous, reason))) {
                    continue; // unchanged since this key's last update: the contract asks for changed values only
                }
                sink.accept(record(spec, index, segment, metric, reason, counts, components, isFinal, now));
            }
        }
    }

    /**
     * A reason published before whose churned count is 0 now (its cancellation became ineffective, its lapse was
     * retracted) has no record any more: its entry goes (from either store; rare, so one delete each), so the stores
     * hold the window's current reasons only. Transient like {@link #published}, but a rebuilt open store holds
     * current reasons only anyway.
     */
    private void forgetVanishedReasons(WindowSpec spec, long index, String segment, Metric metric, WindowCounts last,
                                       WindowCounts counts) {
        List<String> current = metric.reasons(counts);
        for (String reason : metric.reasons(last)) {
            if (reason != null && !current.contains(reason)) {
                String key = MetricHistory.key(metric.key(), spec.toString(), segment, spec.start(index), reason);
                open.delete(key);
                history.delete(key);
            }
        }
    }

    private MetricUpdate record(WindowSpec spec, long index, String segment, Metric metric, String reason, WindowCounts counts,
                                MetricComponents components, boolean isFinal, long now) {
        // The all-fields constructor, not the Avro builder (whose build() deep-copies the defaults of unset fields):
        // metric, window, window_start, window_end, segment, reason, value, ci_low, ci_high (set by annotate),
        // components, final, computed_at.
        MetricUpdate update = new MetricUpdate(metric.key(), spec.toString(), Instant.ofEpochMilli(spec.start(index)),
                Instant.ofEpochMilli(spec.end(index)), segment, reason, metric.value(counts, reason), null, null, components,
                isFinal, Instant.ofEpochMilli(now));
        intervals.annotate(metric, update);
        return update;
    }

    private void publish(MetricUpdate update, long timestamp, Long source) {
        String key = MetricHistory.key(update);
        if (update.getFinal$()) {
            history.put(key, update);
            open.delete(key);
        } else {
            open.put(key, update);
        }
        RecordHeaders headers = new RecordHeaders();
        if (source != null) {
            headers.add(OutputHeaders.SOURCE_TIMESTAMP, OutputHeaders.encodeTimestamp(source));
        }
        context.forward(new Record<>(MetricKey.of(update, startText(update.getWindowStart())), update, timestamp, headers));
    }

    private String startText(Instant start) {
        if (startTexts.size() > MAX_START_TEXTS) {
            startTexts.clear(); // bounded: the windows' starts move on with stream time
        }
        return startTexts.computeIfAbsent(start.toEpochMilli(), ms -> start.toString());
    }
}
