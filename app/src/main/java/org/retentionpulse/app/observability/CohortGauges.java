package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.topology.customer.Segment;

/**
 * {@code retention_pulse_cohort_retention{period,segment,cohort_start,k}} and {@code retention_pulse_cohort_active_share}
 * (same labels): the latest value (open or final) of the cohort cells (contract section 9) of the latest
 * {@code cohorts} cohorts per period and segment, so a dashboard can draw the triangle. Label cardinality is bounded:
 * at most {@code cohorts} cohorts x (K + 1) cells per segment, segment {@code all} and per dimension the first
 * {@code segmentCap} values seen (the cells of later values are not exported).
 */
final class CohortGauges {
    private static final String[] LABELS = {"period", "segment", "cohort_start", "k"};
    private final int segmentCap;
    private final int cohorts;
    private final GaugeSeries retention;
    private final GaugeSeries activeShare;
    /** period|segment -> cohort start -> k -> latest record. */
    private final Map<String, TreeMap<Instant, Map<Integer, CohortCell>>> cells = new HashMap<>();
    private final Map<String, Set<String>> admitted = new HashMap<>();
    private boolean changed;

    CohortGauges(MeterRegistry registry, int segmentCap, int cohorts) {
        this.segmentCap = segmentCap;
        this.cohorts = cohorts;
        this.retention = new GaugeSeries(registry, "retention.pulse.cohort.retention",
                "Cohort retention: 100 * members who bought in period c+k / members (docs/METRICS.md section 9)", LABELS);
        this.activeShare = new GaugeSeries(registry, "retention.pulse.cohort.active.share",
                "Cohort active share: 100 * members active at the end of period c+k / members (docs/METRICS.md section 9)", LABELS);
    }

    synchronized void accept(CohortCell cell) {
        if (!admit(cell.getSegment())) {
            return;
        }
        TreeMap<Instant, Map<Integer, CohortCell>> byStart =
                cells.computeIfAbsent(cell.getCohortPeriod() + '|' + cell.getSegment(), k -> new TreeMap<>());
        byStart.computeIfAbsent(cell.getCohortStart(), s -> new HashMap<>()).put(cell.getPeriod(), cell);
        while (byStart.size() > cohorts) {
            byStart.pollFirstEntry();
        }
        changed = true;
    }

    private boolean admit(String segment) {
        int eq = segment.indexOf('=');
        if (segment.equals(Segment.ALL) || eq <= 0) {
            return true;
        }
        Set<String> values = admitted.computeIfAbsent(segment.substring(0, eq), d -> new LinkedHashSet<>());
        String value = segment.substring(eq + 1);
        if (values.size() < segmentCap) {
            values.add(value);
        }
        return values.contains(value);
    }

    /** Sets the gauges' series to the latest cells when anything changed since the last call. */
    synchronized void publish() {
        if (!changed) {
            return;
        }
        changed = false;
        Map<List<String>, Double> retentionRows = new HashMap<>();
        Map<List<String>, Double> activeRows = new HashMap<>();
        for (TreeMap<Instant, Map<Integer, CohortCell>> byStart : cells.values()) {
            for (Map<Integer, CohortCell> byK : byStart.values()) {
                for (CohortCell c : byK.values()) {
                    List<String> labels = List.of(c.getCohortPeriod(), c.getSegment(), c.getCohortStart().toString(),
                            Integer.toString(c.getPeriod()));
                    retentionRows.put(labels, c.getRetention().doubleValue());
                    activeRows.put(labels, c.getActiveShare().doubleValue());
                }
            }
        }
        retention.publish(retentionRows);
        activeShare.publish(activeRows);
    }
}
