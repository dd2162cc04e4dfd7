package org.retentionpulse.topology.metrics;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Turns one window's counts for one segment into metric records: forwards them, writes them to
 * {@value MetricHistory#STORE}, and tracks what was published so that an update carries only the metrics whose
 * components changed since that key's last update (a final carries every metric). Also keeps, per segment, the
 * earliest input timestamp folded in since its last update, for the {@link OutputHeaders#SOURCE_TIMESTAMP} header.
 * Both are transient: after a restore every metric is published again once and the next record sets the source.
 */
final class MetricEmitter {
    private final WindowSet windows;
    private final ProcessorContext<String, MetricUpdate> context;
    private final KeyValueStore<String, MetricUpdate> history;
    private final MetricIntervals intervals;
    private final Map<String, Long> pendingSource = new HashMap<>();
    /** Per spec: window index -> segment -> the counts its last update published. */
    private final TreeMap<Long, Map<String, WindowCounts>>[] published;

    @SuppressWarnings("unchecked")
    MetricEmitter(WindowSet windows, ProcessorContext<String, MetricUpdate> context, KeyValueStore<String, MetricUpdate> history,
                  MetricIntervals intervals) {
        this.windows = windows;
        this.intervals = intervals;
        this.context = context;
        this.history = history;
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
     * Publishes window {@code index} of spec {@code specIndex} for {@code segment}. The source-timestamp header is
     * the earliest input folded in since the segment's last update, or for a final with nothing pending, the input
     * that closed the window ({@code timestamp}); an update of a segment with nothing pending has none.
     */
    void emit(int specIndex, long index, String segment, WindowCounts counts, boolean isFinal, long now, long timestamp) {
        WindowCounts last = isFinal ? published[specIndex].getOrDefault(index, Map.of()).get(segment)
                : published[specIndex].computeIfAbsent(index, k -> new HashMap<>()).put(segment, counts);
        WindowCounts previous = isFinal ? null : last;
        Long pending = pendingSource.get(segment);
        Long source = pending != null ? pending : isFinal ? Long.valueOf(timestamp) : null;
        WindowSpec spec = windows.get(specIndex);
        for (Metric metric : Metric.values()) {
            for (String reason : metric.reasons(counts)) {
                MetricComponents components = metric.components(counts, reason);
                if (previous != null && components.equals(metric.components(previous, reason))) {
                    continue; // unchanged since this key's last update: the contract asks for changed values only
                }
                publish(spec, index, segment, metric, reason, counts, components, isFinal, now, timestamp, source);
            }
            if (last != null) {
                forgetVanishedReasons(spec, index, segment, metric, last, counts);
            }
        }
    }

    /**
     * A reason published before whose churned count is 0 now (its cancellation became ineffective, its lapse was
     * retracted) has no record any more: its {@value MetricHistory#STORE} entry goes, so the history holds the window's
     * current reasons only (transient like {@link #published}: after a restore a vanished reason's entry may stay).
     */
    private void forgetVanishedReasons(WindowSpec spec, long index, String segment, Metric metric, WindowCounts last,
                                       WindowCounts counts) {
        List<String> current = metric.reasons(counts);
        for (String reason : metric.reasons(last)) {
            if (reason != null && !current.contains(reason)) {
                history.delete(MetricHistory.key(metric.key(), spec.toString(), segment, spec.start(index), reason));
            }
        }
    }

    private void publish(WindowSpec spec, long index, String segment, Metric metric, String reason, WindowCounts counts,
                         MetricComponents components, boolean isFinal, long now, long timestamp, Long source) {
        // The all-fields constructor, not the Avro builder (whose build() deep-copies the defaults of unset fields):
        // metric, window, window_start, window_end, segment, reason, value, ci_low, ci_high (set by annotate),
        // components, final, computed_at.
        MetricUpdate update = new MetricUpdate(metric.key(), spec.toString(), Instant.ofEpochMilli(spec.start(index)),
                Instant.ofEpochMilli(spec.end(index)), segment, reason, metric.value(counts, reason), null, null, components,
                isFinal, Instant.ofEpochMilli(now));
        intervals.annotate(metric, update);
        history.put(MetricHistory.key(update), update);
        RecordHeaders headers = new RecordHeaders();
        if (source != null) {
            headers.add(OutputHeaders.SOURCE_TIMESTAMP, OutputHeaders.encodeTimestamp(source));
        }
        context.forward(new Record<>(MetricKey.of(update), update, timestamp, headers));
    }
}
