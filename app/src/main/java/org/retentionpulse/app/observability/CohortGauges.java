package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
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
    private final int segmentCap;
    private final int cohorts;
    private final MultiGauge retention;
    private final MultiGauge activeShare;
    /** period|segment -> cohort start -> k -> latest record. */
    private final Map<String, TreeMap<Instant, Map<Integer, CohortCell>>> cells = new HashMap<>();
    private final Map<String, Set<String>> admitted = new HashMap<>();
    private boolean changed;

    CohortGauges(MeterRegistry registry, int segmentCap, int cohorts) {
        this.segmentCap = segmentCap;
        this.cohorts = cohorts;
        this.retention = MultiGauge.builder("retention.pulse.cohort.retention")
                .description("Cohort retention: 100 * members who bought in period c+k / members (docs/METRICS.md section 9)")
                .register(registry);
        this.activeShare = MultiGauge.builder("retention.pulse.cohort.active.share")
                .description("Cohort active share: 100 * members active at the end of period c+k / members (docs/METRICS.md section 9)")
                .register(registry);
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

    /** Re-registers the rows when anything changed since the last call. */
    synchronized void publish() {
        if (!changed) {
            return;
        }
        changed = false;
        List<MultiGauge.Row<?>> retentionRows = new ArrayList<>();
        List<MultiGauge.Row<?>> activeRows = new ArrayList<>();
        for (TreeMap<Instant, Map<Integer, CohortCell>> byStart : cells.values()) {
            for (Map<Integer, CohortCell> byK : byStart.values()) {
                for (CohortCell c : byK.values()) {
                    Tags tags = Tags.of("period", c.getCohortPeriod(), "segment", c.getSegment(),
                            "cohort_start", c.getCohortStart().toString(), "k", Integer.toString(c.getPeriod()));
                    retentionRows.add(MultiGauge.Row.of(tags, c.getRetention().doubleValue()));
                    activeRows.add(MultiGauge.Row.of(tags, c.getActiveShare().doubleValue()));
                }
            }
        }
        retention.register(retentionRows, true);
        activeShare.register(activeRows, true);
    }
}
