package org.retentionpulse.app.demo;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.topology.customer.Segment;

/**
 * The demo's small live cohort triangle: retention (%) of segment {@code all} for the latest {@value #COHORTS} cohorts
 * and periods k = 0..{@value #PERIODS} - 1, each cell the latest record from {@code retention-cohorts}, open cells
 * marked {@code *}. 10 + 7 + 6 × 8 = 65 columns wide.
 */
final class CohortTriangleView {
    static final int COHORTS = 6;
    static final int PERIODS = 6;

    private final String period;
    /** cohort start -> k -> latest cell; only the latest {@value #COHORTS} cohorts. */
    private final TreeMap<Instant, TreeMap<Integer, CohortCell>> cells = new TreeMap<>();

    /** @param period {@code cohorts.period} (P1D, P1W or P1M), for the heading */
    CohortTriangleView(String period) {
        this.period = period;
    }

    void accept(CohortCell cell) {
        if (!Segment.ALL.equals(cell.getSegment()) || cell.getPeriod() >= PERIODS) {
            return;
        }
        if (cells.size() == COHORTS && cell.getCohortStart().isBefore(cells.firstKey())) {
            return; // older than every cohort shown
        }
        cells.computeIfAbsent(cell.getCohortStart(), s -> new TreeMap<>()).put(cell.getPeriod(), cell);
        while (cells.size() > COHORTS) {
            cells.pollFirstEntry();
        }
    }

    /** The table: a heading, a header line and one line per cohort, each ending in a newline. */
    String render() {
        StringBuilder s = new StringBuilder();
        s.append("Cohort retention ").append(period).append(", segment all: % of the cohort buying in period k (* open)\n");
        s.append(String.format("%-10s %6s", "cohort", "size"));
        for (int k = 0; k < PERIODS; k++) {
            s.append(String.format("%8s", "k=" + k));
        }
        s.append('\n');
        if (cells.isEmpty()) {
            s.append("  none yet\n");
        }
        for (Map.Entry<Instant, TreeMap<Integer, CohortCell>> cohort : cells.descendingMap().entrySet()) {
            TreeMap<Integer, CohortCell> row = cohort.getValue();
            long size = row.lastEntry().getValue().getCustomers(); // the latest period's cell has the current size
            s.append(String.format("%-10s %6d", cohort.getKey().toString().substring(0, 10), size));
            for (int k = 0; k < PERIODS; k++) {
                CohortCell cell = row.get(k);
                s.append(String.format("%8s", cell == null ? "" : percent(cell.getRetention()) + (cell.getFinal$() ? " " : "*")));
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** The oldest cohort shown (the longest row) on one line, for the plain (non-terminal) view; null before any cell. */
    String oldestRow() {
        if (cells.isEmpty()) {
            return null;
        }
        Map.Entry<Instant, TreeMap<Integer, CohortCell>> oldest = cells.firstEntry();
        StringBuilder s = new StringBuilder("cohort " + oldest.getKey().toString().substring(0, 10) + " retention %");
        oldest.getValue().forEach((k, cell) -> s.append(' ').append("k").append(k).append('=')
                .append(percent(cell.getRetention())).append(cell.getFinal$() ? "" : "*"));
        return s.toString();
    }

    private static String percent(BigDecimal value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
