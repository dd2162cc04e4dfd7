package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.confidence.ConfidenceLevel;
import org.retentionpulse.topology.confidence.Interval;
import org.retentionpulse.topology.confidence.MetricIntervals;
import org.retentionpulse.topology.confidence.MetricSamples;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.metrics.ComponentSum;
import org.retentionpulse.topology.metrics.Metric;
import org.retentionpulse.topology.metrics.MetricKey;

/**
 * {@code retention_pulse_metric_value{metric,window,segment}}: the value of every metric in the current window
 * of each window spec and segment, from the metric updates on the output topic.
 *
 * <p>The current window of a spec is decided by {@link CurrentWindows} (for {@code P30D/P1D}: the 30 days
 * ending with the current day); a series shows the latest record of that window, and nothing while that window
 * has no record of the segment.
 * Label cardinality is bounded: per dimension the first {@code cap} values seen get their own series; later
 * values are folded into {@code segment="<dimension>=other"}, whose value is recomputed exactly from the summed
 * components of the folded segments' records of the current window ({@link ComponentSum}). Undefined values
 * (e.g. NPS without responses) are not exported. {@code retention_pulse_metric_ci_low} / {@code _ci_high} with the same labels
 * are the rates' confidence bounds (recomputed from the summed components for {@code other}).
 *
 * <p>{@code churn_reason_share} has one record per reason: {@code retention_pulse_churn_reason_share{metric,window,
 * segment,reason}} (metric is always {@code churn_reason_share}), for segment {@code all} and the segments with
 * their own series; the reasons per window and segment are already capped by {@code churn.reasons.cap}. Folded
 * segments have no reason series (their reasons cannot be summed from the published records).
 */
final class BusinessGauges {
    static final String OTHER = "other";
    private static final String[] SERIES_LABELS = {"metric", "window", "segment"};
    private static final int PARSED_STARTS_CAP = 4096;

    private final int cap;
    private final GaugeSeries gauge;
    private final GaugeSeries ciLow;
    private final GaugeSeries ciHigh;
    private final GaugeSeries reasonShare;
    private final MetricIntervals intervals;
    private final CurrentWindows current = new CurrentWindows();
    /** Window starts of metric-updates keys, parsed once ({@link #mayChange}); at most {@value #PARSED_STARTS_CAP}. */
    private final Map<String, Instant> parsedStarts = new HashMap<>();
    /** metric|window|segment -> window start -> latest update; windows before the current one are dropped. */
    private final Map<String, TreeMap<Instant, MetricUpdate>> series = new HashMap<>();
    /** window|segment -> window start -> reason -> latest churn_reason_share update of that reason. */
    private final Map<String, TreeMap<Instant, Map<String, MetricUpdate>>> reasonSeries = new HashMap<>();
    /** dimension -> values with their own series (insertion order, at most cap). */
    private final Map<String, Set<String>> admitted = new HashMap<>();
    private boolean changed;

    BusinessGauges(MeterRegistry registry, int cap, ConfidenceLevel confidence) {
        this.cap = cap;
        this.intervals = new MetricIntervals(confidence);
        this.gauge = new GaugeSeries(registry, "retention.pulse.metric.value",
                "Current value of each retention metric in the latest window per window spec and segment", SERIES_LABELS);
        this.ciLow = new GaugeSeries(registry, "retention.pulse.metric.ci.low",
                "Lower bound of the confidence interval of each rate's current value (docs/METRICS.md section 10)", SERIES_LABELS);
        this.ciHigh = new GaugeSeries(registry, "retention.pulse.metric.ci.high",
                "Upper bound of the confidence interval of each rate's current value (docs/METRICS.md section 10)", SERIES_LABELS);
        this.reasonShare = new GaugeSeries(registry, "retention.pulse.churn.reason.share",
                "Current churn_reason_share per reason in the latest window per window spec and segment (docs/METRICS.md section 8)", "metric", "window", "segment", "reason");
    }

    /**
     * Whether the record with this metric-updates key can change a gauge: false for a window older than the current one
     * of its spec (the finals of closing windows and the updates of the other open windows, most records in a backfill),
     * so the monitor need not decode it. Keys are {@code metric|window|segment|window_start} ({@code MetricKey}); a
     * {@code churn_reason_share} key ends with a reason that may hold '|', so those are always decoded ({@link MetricKey#windowOf}).
     */
    synchronized boolean mayChange(String key) {
        if (parsedStarts.size() >= PARSED_STARTS_CAP) {
            parsedStarts.clear(); // a bound: the open windows' starts come back at once
        }
        MetricKey.WindowOf window = MetricKey.windowOf(key, parsedStarts);
        Instant currentStart = window == null ? null : current.currentStart(window.window());
        return currentStart == null || !window.windowStart().isBefore(currentStart);
    }

    synchronized void accept(MetricUpdate update) {
        if (current.observe(update)) {
            changed = true;
        }
        if (update.getReason() != null) {
            acceptReason(update);
            return;
        }
        Instant currentStart = current.currentStart(update.getWindow());
        if (!update.getWindowStart().isBefore(currentStart)) {
            String key = update.getMetric() + '|' + update.getWindow() + '|' + update.getSegment();
            series.computeIfAbsent(key, k -> new TreeMap<>()).put(update.getWindowStart(), update);
            changed = true;
        }
        String segment = update.getSegment();
        int eq = segment.indexOf('=');
        if (eq > 0) {
            Set<String> values = admitted.computeIfAbsent(segment.substring(0, eq), d -> new LinkedHashSet<>());
            if (values.size() < cap) {
                values.add(segment.substring(eq + 1));
            }
        }
    }

    private void acceptReason(MetricUpdate update) {
        if (!update.getWindowStart().isBefore(current.currentStart(update.getWindow()))) {
            reasonSeries.computeIfAbsent(update.getWindow() + '|' + update.getSegment(), k -> new TreeMap<>())
                    .computeIfAbsent(update.getWindowStart(), k -> new HashMap<>()).put(update.getReason(), update);
            changed = true;
        }
    }

    /** The current window's reason shares of segment all and of the segments with their own series. */
    private Map<List<String>, Double> reasonRows() {
        Map<List<String>, Double> rows = new HashMap<>();
        for (TreeMap<Instant, Map<String, MetricUpdate>> byStart : reasonSeries.values()) {
            MetricUpdate any = byStart.firstEntry().getValue().values().iterator().next();
            Instant start = current.currentStart(any.getWindow());
            byStart.headMap(start).clear();
            Map<String, MetricUpdate> byReason = byStart.get(start);
            if (byReason == null || !ownSeries(any.getSegment())) {
                continue;
            }
            for (MetricUpdate u : byReason.values()) {
                if (u.getValue() != null) {
                    rows.put(List.of(u.getMetric(), u.getWindow(), u.getSegment(), u.getReason()), u.getValue().doubleValue());
                }
            }
        }
        reasonSeries.values().removeIf(TreeMap::isEmpty);
        return rows;
    }

    private boolean ownSeries(String segment) {
        int eq = segment.indexOf('=');
        return segment.equals(Segment.ALL) || eq <= 0
                || admitted.getOrDefault(segment.substring(0, eq), Set.of()).contains(segment.substring(eq + 1));
    }

    /** Sets the gauges' series to the current windows' values when anything changed since the last call. */
    synchronized void publish() {
        if (!changed) {
            return;
        }
        changed = false;
        Map<List<String>, Double> rows = new HashMap<>();
        Map<List<String>, Double> lows = new HashMap<>();
        Map<List<String>, Double> highs = new HashMap<>();
        // series (metric|window|dimension) -> the folded segments' latest updates
        Map<String, List<MetricUpdate>> folded = new TreeMap<>();
        for (MetricUpdate u : currentUpdates()) {
            String segment = u.getSegment();
            int eq = segment.indexOf('=');
            if (ownSeries(segment)) {
                add(rows, u.getMetric(), u.getWindow(), segment, u.getValue());
                add(lows, u.getMetric(), u.getWindow(), segment, u.getCiLow());
                add(highs, u.getMetric(), u.getWindow(), segment, u.getCiHigh());
            } else {
                folded.computeIfAbsent(u.getMetric() + '|' + u.getWindow() + '|' + segment.substring(0, eq), k -> new ArrayList<>()).add(u);
            }
        }
        folded.forEach((name, updates) -> {
            String[] parts = name.split("\\|", 3);
            ComponentSum sum = new ComponentSum();
            updates.forEach(u -> sum.add(u.getComponents()));
            Metric metric = Metric.fromKey(parts[0]);
            String other = parts[2] + '=' + OTHER;
            add(rows, parts[0], parts[1], other, sum.value(metric));
            Interval interval = intervals.interval(MetricSamples.of(metric, sum.components(metric)));
            if (interval != null) {
                add(lows, parts[0], parts[1], other, interval.low());
                add(highs, parts[0], parts[1], other, interval.high());
            }
        });
        gauge.publish(rows);
        ciLow.publish(lows);
        ciHigh.publish(highs);
        reasonShare.publish(reasonRows());
    }

    /** The latest update of the current window of every series that has one; drops windows that are no longer current. */
    private List<MetricUpdate> currentUpdates() {
        List<MetricUpdate> out = new ArrayList<>();
        for (TreeMap<Instant, MetricUpdate> byStart : series.values()) {
            MetricUpdate any = byStart.firstEntry().getValue();
            Instant start = current.currentStart(any.getWindow());
            byStart.headMap(start).clear();
            MetricUpdate u = byStart.get(start);
            if (u != null) {
                out.add(u);
            }
        }
        series.values().removeIf(TreeMap::isEmpty);
        return out;
    }

    private static void add(Map<List<String>, Double> rows, String metric, String window, String segment, BigDecimal value) {
        if (value != null) {
            rows.put(List.of(metric, window, segment), value.doubleValue());
        }
    }
}
