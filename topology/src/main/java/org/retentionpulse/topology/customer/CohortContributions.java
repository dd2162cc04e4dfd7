package org.retentionpulse.topology.customer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.topology.time.WindowSet;

/**
 * A customer's cohort cells (contract section 9) after one event, as the change of its {@link CohortLedger}: the
 * cohort is the period of its first effective start (an out-of-order earlier start moves it, and the ledger is rebuilt
 * from the kept events), a purchase in period c+k marks k retained and adds to its revenue, and whether the customer is
 * active at the end of each period not yet closed is read from the timeline (a lapse or cancellation, or a lapse
 * retracted, changes it). The work is O(K + the customer's kept events), whatever the number of cohorts.
 */
final class CohortContributions {
    private final CohortSpec spec;
    private final List<Dimension> dimensions;
    private final ChurnPolicy.Inactivity inactivity;
    private final WindowSet windows;

    CohortContributions(CohortSpec spec, List<Dimension> dimensions, ChurnPolicy.Inactivity inactivity, WindowSet windows) {
        this.spec = spec;
        this.dimensions = dimensions;
        this.inactivity = inactivity;
        this.windows = windows;
    }

    /**
     * The ledger after {@code inserted} (already in {@code timeline}); the cell changes against {@code before} are
     * added to {@code changes}, one per changed cell and segment (none that cancel out).
     */
    CohortLedger update(CustomerTimeline timeline, CohortLedger before, TimelineEntry inserted, long streamTime,
                        List<SegmentDelta.CohortChange> changes) {
        CohortLedger after = next(timeline, before, inserted, streamTime);
        if (after == null || after.equals(before)) {
            return after;
        }
        if (before != null && before.cohort() == after.cohort() && before.cells() == after.cells()
                && before.dimensions().equals(after.dimensions())) {
            cellChanges(before, after, changes); // the usual case: same cohort and segments, a few cells differ
        } else if (before == null) {
            diff(after, +1, changes); // a customer's first ledger: one change per cell and segment, none to net
        } else {
            List<SegmentDelta.CohortChange> moved = new ArrayList<>();
            diff(before, -1, moved);
            diff(after, +1, moved);
            changes.addAll(net(moved));
        }
        return after;
    }

    /**
     * The differences of two ledgers of the same cohort and dimensions, cell by cell: what {@link #net} makes of the
     * one's removal and the other's addition, in the same order, without keying every cell of every segment.
     */
    private void cellChanges(CohortLedger before, CohortLedger after, List<SegmentDelta.CohortChange> changes) {
        for (String segment : Segment.of(after.dimensions(), dimensions)) {
            for (int k = 0; k < after.cells(); k++) {
                long retained = flag(after.retained(k)) - flag(before.retained(k));
                long active = flag(after.active(k)) - flag(before.active(k));
                long revenue = after.revenueCents(k) - before.revenueCents(k);
                if (retained != 0 || active != 0 || revenue != 0) {
                    changes.add(new SegmentDelta.CohortChange(segment, after.cohort(), k, 0, retained, active, revenue));
                }
            }
        }
    }

    private static long flag(boolean value) {
        return value ? 1 : 0;
    }

    private CohortLedger next(CustomerTimeline timeline, CohortLedger before, TimelineEntry inserted, long streamTime) {
        CustomerTimeline.FirstStart first = timeline.firstStart(inactivity);
        if (first != null && (before == null || before.cohort() != spec.indexContaining(first.at())
                || !before.dimensions().equals(first.dimensions()))) {
            return rebuilt(timeline, first, streamTime);
        }
        if (before == null) {
            return null;
        }
        CohortLedger after = before.copy();
        if (inserted.kind() == TimelineEntry.Kind.PURCHASE) {
            int k = cell(after, inserted.time());
            if (k >= 0) {
                after.purchase(k, inserted.amountCents());
            }
        }
        activeAtOpenPeriodEnds(timeline, after, streamTime);
        return after;
    }

    /** A new or moved cohort: every cell from the kept events. */
    private CohortLedger rebuilt(CustomerTimeline timeline, CustomerTimeline.FirstStart first, long streamTime) {
        CohortLedger ledger = CohortLedger.empty(spec.indexContaining(first.at()), first.dimensions(), spec.periods());
        for (TimelineEntry e : timeline.entries()) {
            if (e.kind() == TimelineEntry.Kind.PURCHASE) {
                int k = cell(ledger, e.time());
                if (k >= 0) {
                    ledger.purchase(k, e.amountCents());
                }
            }
        }
        boolean[] active = timeline.activeAt(periodEnds(ledger), inactivity);
        for (int k = 0; k < active.length; k++) {
            ledger.active(k, active[k]);
        }
        return ledger;
    }

    /** Active at the end of each period c+k still open at {@code streamTime}; closed cells keep what they had. */
    private void activeAtOpenPeriodEnds(CustomerTimeline timeline, CohortLedger ledger, long streamTime) {
        long[] ends = periodEnds(ledger);
        boolean[] active = timeline.activeAt(ends, inactivity);
        for (int k = 0; k < ends.length; k++) {
            if (!windows.isClosed(ends[k], streamTime)) {
                ledger.active(k, active[k]);
            }
        }
    }

    private long[] periodEnds(CohortLedger ledger) {
        long[] ends = new long[ledger.cells()];
        for (int k = 0; k < ends.length; k++) {
            ends[k] = spec.endMs(ledger.cohort() + k);
        }
        return ends;
    }

    /** k of the period containing {@code t} in this ledger's cohort, or -1 outside c..c+K. */
    private int cell(CohortLedger ledger, long t) {
        long k = spec.indexContaining(t) - ledger.cohort();
        return k >= 0 && k < ledger.cells() ? (int) k : -1;
    }

    private void diff(CohortLedger ledger, int sign, List<SegmentDelta.CohortChange> changes) {
        if (ledger == null) {
            return;
        }
        for (String segment : Segment.of(ledger.dimensions(), dimensions)) {
            for (int k = 0; k < ledger.cells(); k++) {
                changes.add(new SegmentDelta.CohortChange(segment, ledger.cohort(), k, sign,
                        ledger.retained(k) ? sign : 0, ledger.active(k) ? sign : 0, sign * ledger.revenueCents(k)));
            }
        }
    }

    /** Sums the changes of one record per cell, dropping those that cancel out. */
    private static List<SegmentDelta.CohortChange> net(List<SegmentDelta.CohortChange> changes) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        Map<String, SegmentDelta.CohortChange> firsts = new HashMap<>();
        for (SegmentDelta.CohortChange c : changes) {
            String key = c.segment() + '\u0000' + c.cohort() + '\u0000' + c.k();
            firsts.putIfAbsent(key, c);
            long[] s = sums.computeIfAbsent(key, x -> new long[4]);
            s[0] += c.customers();
            s[1] += c.retained();
            s[2] += c.active();
            s[3] += c.revenueCents();
        }
        List<SegmentDelta.CohortChange> out = new ArrayList<>();
        sums.forEach((key, s) -> {
            if (s[0] != 0 || s[1] != 0 || s[2] != 0 || s[3] != 0) {
                SegmentDelta.CohortChange c = firsts.get(key);
                out.add(new SegmentDelta.CohortChange(c.segment(), c.cohort(), c.k(), s[0], s[1], s[2], s[3]));
            }
        });
        return out;
    }
}
