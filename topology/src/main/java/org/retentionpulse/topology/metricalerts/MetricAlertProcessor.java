package org.retentionpulse.topology.metricalerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.confidence.ConfidenceLevel;

/**
 * Runs the metric alert rules on the segment stage's final records, in the same task (a series belongs to the
 * segment-stage task that owns its segment, so its previous finals are local), so an alert is written exactly once
 * with the offsets and state it came from. Open-window updates are ignored: an open window never flaps. An alert
 * is published when a rule's condition starts to hold on a series and not again until it has cleared. Work is per
 * final record (at window close), never per input event. Store layouts: {@link MetricAlertStoreKeys}.
 */
public final class MetricAlertProcessor implements Processor<String, MetricUpdate, String, MetricAlert> {
    /** KeyValueStore&lt;String, MetricUpdate&gt;, changelogged: previous finals of watched series. */
    public static final String FINALS_STORE = "metric-alert-finals";
    /** KeyValueStore&lt;String, Long&gt;, changelogged: which rule fires on which series. */
    public static final String FIRING_STORE = "metric-alert-firing";

    private final List<MetricAlertRule> rules;
    private final RuleCheck check;
    private final boolean keepsFinals;
    private ProcessorContext<String, MetricAlert> context;
    private KeyValueStore<String, MetricUpdate> finals;
    private KeyValueStore<String, Long> firing;

    public MetricAlertProcessor(List<MetricAlertRule> rules, ConfidenceLevel level) {
        this.rules = List.copyOf(rules);
        this.check = new RuleCheck(level);
        this.keepsFinals = rules.stream().anyMatch(r -> r instanceof MetricAlertRule.Change);
    }

    @Override
    public void init(ProcessorContext<String, MetricAlert> context) {
        this.context = context;
        this.finals = context.getStateStore(FINALS_STORE);
        this.firing = context.getStateStore(FIRING_STORE);
    }

    @Override
    public void process(Record<String, MetricUpdate> record) {
        MetricUpdate update = record.value();
        if (update == null || !update.getFinal$()) {
            return;
        }
        List<MetricAlertRule> watching = rules.stream()
                .filter(r -> r.watches(update.getMetric(), update.getWindow(), update.getSegment())).toList();
        if (watching.isEmpty()) {
            return;
        }
        String series = MetricAlertStoreKeys.series(update);
        long start = update.getWindowStart().toEpochMilli();
        MetricUpdate previous = keepsFinals ? finals.get(MetricAlertStoreKeys.finalKey(series, start)) : null;
        for (MetricAlertRule rule : watching) {
            Optional<MetricAlert> alert = check.check(rule, update, previous);
            String key = MetricAlertStoreKeys.firingKey(rule.name(), series);
            if (alert.isEmpty()) {
                firing.delete(key);
            } else if (firing.get(key) == null) {
                firing.put(key, start);
                context.forward(record.withKey(series).withValue(alert.get()));
            }
        }
        if (watching.stream().anyMatch(r -> r instanceof MetricAlertRule.Change)) {
            keep(series, update);
        }
    }

    /** Stores this final for the window starting at its end, and drops those no later window can be compared with. */
    private void keep(String series, MetricUpdate update) {
        List<String> done = new ArrayList<>();
        try (KeyValueIterator<String, MetricUpdate> it = finals.range(MetricAlertStoreKeys.finalKey(series, Long.MIN_VALUE),
                MetricAlertStoreKeys.finalKey(series, update.getWindowStart().toEpochMilli()))) {
            it.forEachRemaining(kv -> done.add(kv.key));
        }
        done.forEach(finals::delete);
        finals.put(MetricAlertStoreKeys.finalKey(series, update.getWindowEnd().toEpochMilli()), update);
    }
}
