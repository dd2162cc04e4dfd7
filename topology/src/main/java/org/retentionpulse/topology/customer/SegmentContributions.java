package org.retentionpulse.topology.customer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.delta.NpsBand;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.policy.ChurnReasons;
import org.retentionpulse.topology.time.WindowSet;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * Turns the fact changes of one customer record into a {@link SegmentDelta}: additive counts per
 * (segment, bucket), churned customers per reason, and difference-array changes of the distinct-customer counts
 * P1/P2 (purchasers) and RESP (survey respondents).
 * One instance per record; not thread-safe.
 */
public final class SegmentContributions {
    private final List<Dimension> dimensions;
    private final WindowSet windows;
    private final ChurnPolicy.Inactivity inactivity;
    private final Map<String, Map<Long, long[]>> counts = new LinkedHashMap<>();
    private final List<SegmentDelta.CoverageChange> coverage = new ArrayList<>();
    private final Map<ReasonKey, long[]> reasons = new LinkedHashMap<>();

    public SegmentContributions(List<Dimension> dimensions, WindowSet windows, ChurnPolicy.Inactivity inactivity) {
        this.dimensions = dimensions;
        this.windows = windows;
        this.inactivity = inactivity;
    }

    /** Records everything an insert into the timeline ({@link CustomerTimeline#insert}) changes. */
    public SegmentContributions addAll(CustomerTimeline timeline, CustomerTimeline.Changes inserted) {
        List<CustomerTimeline.FactChange> changes = inserted.facts();
        for (CustomerTimeline.Lapse lapse : inserted.retracted()) {
            countLapse(lapse, -1);
        }
        for (CustomerTimeline.Lapse lapse : inserted.scheduled()) {
            countLapse(lapse, +1);
        }
        boolean purchases = false;
        boolean surveys = false;
        for (CustomerTimeline.FactChange change : changes) {
            if (change.before() != null) {
                count(change.entry(), change.before(), -1);
            }
            count(change.entry(), change.after(), +1);
            purchases |= change.entry().kind() == TimelineEntry.Kind.PURCHASE;
            surveys |= change.entry().kind() == TimelineEntry.Kind.SURVEY;
        }
        if (purchases) {
            distinctCustomers(timeline, changes, TimelineEntry.Kind.PURCHASE);
        }
        if (surveys) {
            distinctCustomers(timeline, changes, TimelineEntry.Kind.SURVEY);
        }
        return this;
    }

    /**
     * A lapse is a cancellation at its instant (section 7), counted when the events imply it and retracted with
     * {@code sign} -1 when they no longer do; it is not an event (a window with only lapses and nobody active at its
     * start cannot exist: the lapsing customer was active at the start or started inside).
     */
    private void countLapse(CustomerTimeline.Lapse lapse, int sign) {
        long[] c = new long[Counter.COUNT];
        c[Counter.CANCELLATIONS.ordinal()] = sign;
        long bucket = windows.bucketOf(lapse.at());
        add(lapse.dimensions(), bucket, c);
        addReason(lapse.dimensions(), bucket, ChurnReasons.INACTIVITY, sign);
    }

    private void count(TimelineEntry entry, Lifecycle.Fact fact, int sign) {
        long[] c = new long[Counter.COUNT];
        c[Counter.EVENTS.ordinal()] = sign;
        switch (entry.kind()) {
            case SIGNUP -> {
                if (fact.effective()) {
                    start(fact, sign, c);
                    if ("referral".equals(entry.signupDimensions().channel())) {
                        c[Counter.REFERRAL_SIGNUPS.ordinal()] = sign;
                    }
                } else {
                    c[Counter.IGNORED_SIGNUPS.ordinal()] = sign;
                }
            }
            case CANCELLATION -> {
                c[(fact.effective() ? Counter.CANCELLATIONS : Counter.IGNORED_CANCELLATIONS).ordinal()] = sign;
                if (fact.effective()) {
                    addReason(fact.dimensions(), windows.bucketOf(entry.time()), entry.reason(), sign);
                }
            }
            case PURCHASE -> {
                if (fact.effective()) {
                    start(fact, sign, c);
                }
                c[Counter.ORDERS.ordinal()] = sign;
                c[Counter.REVENUE_CENTS.ordinal()] = sign * entry.amountCents();
            }
            case SURVEY -> countSurvey(entry, sign, c);
        }
        long bucket = windows.bucketOf(entry.time());
        add(fact.dimensions(), bucket, c);
        if (fact.reactivation()) {
            long[] winBack = new long[Counter.COUNT];
            winBack[Counter.WIN_BACKS.ordinal()] = sign;
            add(fact.poolDimensions(), bucket, winBack);
        }
    }

    /** N (and reactivations): an effective signup, or under {@code churn.inactivity} a purchase that starts a period. */
    private static void start(Lifecycle.Fact fact, int sign, long[] c) {
        c[Counter.SIGNUPS.ordinal()] = sign;
        if (fact.reactivation()) {
            c[Counter.REACTIVATIONS.ordinal()] = sign;
        }
    }

    /** C_r of section 8: one churned customer with {@code reason} in these segments and bucket. */
    private void addReason(Dimensions segmentDimensions, long bucket, String reason, int sign) {
        for (String segment : Segment.of(segmentDimensions, dimensions)) {
            reasons.computeIfAbsent(new ReasonKey(segment, bucket, reason), k -> new long[1])[0] += sign;
        }
    }

    private record ReasonKey(String segment, long bucket, String reason) {
    }

    private void add(Dimensions segmentDimensions, long bucket, long[] c) {
        for (String segment : Segment.of(segmentDimensions, dimensions)) {
            long[] total = counts.computeIfAbsent(segment, s -> new HashMap<>()).computeIfAbsent(bucket, b -> new long[Counter.COUNT]);
            for (int i = 0; i < total.length; i++) {
                total[i] += c[i];
            }
        }
    }

    private static void countSurvey(TimelineEntry entry, int sign, long[] c) {
        int score = entry.score();
        switch (entry.survey()) {
            case NPS -> c[NpsBand.of(score).counter().ordinal()] = sign;
            case CSAT -> {
                c[Counter.CSAT_RESPONSES.ordinal()] = sign;
                if (score >= 4) {
                    c[Counter.CSAT_POSITIVE.ordinal()] = sign;
                }
            }
            case CES -> {
                c[Counter.CES_RESPONSES.ordinal()] = sign;
                c[Counter.CES_SCORE_SUM.ordinal()] = (long) sign * score;
                c[Counter.CES_SCORE_SQUARES.ordinal()] = (long) sign * score * score;
            }
        }
    }

    /**
     * The distinct-customer counts (P1/P2 from purchases, RESP from survey responses) change only in windows around
     * the events of that kind whose segment changed; for each affected segment we compare the event counts per window
     * before and after and encode the difference as range changes.
     */
    private void distinctCustomers(CustomerTimeline timeline, List<CustomerTimeline.FactChange> changes,
                                   TimelineEntry.Kind kind) {
        IdentityHashMap<TimelineEntry, Lifecycle.Fact> before = new IdentityHashMap<>();
        Map<String, SegmentFilter> affected = new LinkedHashMap<>();
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        for (CustomerTimeline.FactChange change : changes) {
            if (change.entry().kind() != kind) {
                continue;
            }
            before.put(change.entry(), change.before());
            minTime = Math.min(minTime, change.entry().time());
            maxTime = Math.max(maxTime, change.entry().time());
            Dimensions now = change.after().dimensions();
            if (change.before() == null) {
                affected.putIfAbsent(Segment.ALL, SegmentFilter.ALL);
                for (Dimension d : dimensions) {
                    affected.putIfAbsent(Segment.of(d, now.value(d)), new SegmentFilter(d, now.value(d)));
                }
            } else {
                Dimensions was = change.before().dimensions();
                for (Dimension d : dimensions) {
                    if (!was.value(d).equals(now.value(d))) {
                        affected.putIfAbsent(Segment.of(d, was.value(d)), new SegmentFilter(d, was.value(d)));
                        affected.putIfAbsent(Segment.of(d, now.value(d)), new SegmentFilter(d, now.value(d)));
                    }
                }
            }
        }
        if (affected.isEmpty()) {
            return;
        }
        List<TimelineEntry> entries = timeline.entries();
        List<Lifecycle.Fact> facts = timeline.facts(inactivity);
        EventTimes previous = null;
        int previousFrom = 0; // the previous segment's changes: coverage[previousFrom, previousTo)
        int previousTo = 0;
        for (Map.Entry<String, SegmentFilter> segment : affected.entrySet()) {
            EventTimes times = EventTimes.of(entries, facts, before, kind, segment.getValue());
            if (times.equals(previous)) {
                // Most customers keep their dimensions, so every segment sees the same events: same changes.
                for (int i = previousFrom; i < previousTo; i++) {
                    SegmentDelta.CoverageChange c = coverage.get(i);
                    coverage.add(new SegmentDelta.CoverageChange(segment.getKey(), c.spec(), c.windowIndex(), c.purchasers(),
                            c.repeatPurchasers(), c.respondents()));
                }
                continue;
            }
            int from = coverage.size();
            for (int s = 0; s < windows.size(); s++) {
                encodeCoverage(segment.getKey(), s, windows.get(s), times.before, times.nb, times.after, times.na, minTime,
                        maxTime, kind == TimelineEntry.Kind.SURVEY);
            }
            previous = times;
            previousFrom = from;
            previousTo = coverage.size();
        }
    }

    /** The times of one kind's events a segment counts, before and after the record (sorted: the timeline's order). */
    private static final class EventTimes {
        final long[] before;
        final long[] after;
        int nb;
        int na;

        private EventTimes(int capacity) {
            before = new long[capacity];
            after = new long[capacity];
        }

        static EventTimes of(List<TimelineEntry> entries, List<Lifecycle.Fact> facts,
                             IdentityHashMap<TimelineEntry, Lifecycle.Fact> before, TimelineEntry.Kind kind, SegmentFilter filter) {
            EventTimes t = new EventTimes(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                TimelineEntry e = entries.get(i);
                if (e.kind() != kind) {
                    continue;
                }
                Lifecycle.Fact after = facts.get(i);
                if (filter.matches(after.dimensions())) {
                    t.after[t.na++] = e.time();
                }
                Lifecycle.Fact was = before.containsKey(e) ? before.get(e) : after;
                if (was != null && filter.matches(was.dimensions())) {
                    t.before[t.nb++] = e.time();
                }
            }
            return t;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EventTimes t && nb == t.nb && na == t.na
                    && Arrays.equals(before, 0, nb, t.before, 0, nb) && Arrays.equals(after, 0, na, t.after, 0, na);
        }

        @Override
        public int hashCode() {
            return 31 * nb + na;
        }
    }

    /** @param respondents whether the times are survey responses (RESP) rather than purchases (P1, P2) */
    private void encodeCoverage(String segment, int specIndex, WindowSpec spec, long[] before, int nb, long[] after, int na,
                                long minTime, long maxTime, boolean respondents) {
        long first = spec.firstIndexContaining(minTime);
        long last = spec.lastIndexContaining(maxTime);
        int prevP1 = 0;
        int prevP2 = 0;
        WindowCounts beforeCounts = new WindowCounts(before, nb, spec.start(first), spec.end(first));
        WindowCounts afterCounts = new WindowCounts(after, na, spec.start(first), spec.end(first));
        for (long k = first; k <= last; k++) {
            long cb = beforeCounts.in(spec.start(k), spec.end(k));
            long ca = afterCounts.in(spec.start(k), spec.end(k));
            int p1 = (ca >= 1 ? 1 : 0) - (cb >= 1 ? 1 : 0);
            int p2 = respondents ? 0 : (ca >= 2 ? 1 : 0) - (cb >= 2 ? 1 : 0);
            if (p1 != prevP1 || p2 != prevP2) {
                coverage.add(coverageChange(segment, specIndex, k, p1 - prevP1, p2 - prevP2, respondents));
                prevP1 = p1;
                prevP2 = p2;
            }
        }
        if (prevP1 != 0 || prevP2 != 0) {
            coverage.add(coverageChange(segment, specIndex, last + 1, -prevP1, -prevP2, respondents));
        }
    }

    /** A change of customers with at least one (and two) events of the kind, as P1/P2 or as RESP. */
    private static SegmentDelta.CoverageChange coverageChange(String segment, int spec, long index, int atLeastOne,
                                                              int atLeastTwo, boolean respondents) {
        return respondents
                ? new SegmentDelta.CoverageChange(segment, spec, index, 0, 0, atLeastOne)
                : new SegmentDelta.CoverageChange(segment, spec, index, atLeastOne, atLeastTwo, 0);
    }

    /**
     * The number of sorted times in each window [start, end) of one spec, asked for in increasing window order. Both
     * bounds only move forward, so two cursors that only move forward give what two binary searches per window gave
     * (a {@code P90D/P1D} spec asks for ~90 windows per change): one search each to place them, then a step per time.
     */
    private static final class WindowCounts {
        private final long[] times;
        private final int n;
        private int from;
        private int to;

        WindowCounts(long[] times, int n, long firstStart, long firstEnd) {
            this.times = times;
            this.n = n;
            this.from = lowerBound(times, n, firstStart);
            this.to = lowerBound(times, n, firstEnd);
        }

        /** The times in [start, end); neither bound below the previous call's. */
        long in(long start, long end) {
            while (from < n && times[from] < start) {
                from++;
            }
            while (to < n && times[to] < end) {
                to++;
            }
            return to - from;
        }
    }

    private static int lowerBound(long[] times, int n, long value) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * @param cohorts the record's cohort cell changes, summed per cell ({@link CohortContributions#update})
     * @param latestEvent the task's latest accepted event time
     */
    public SegmentDelta.Contribution build(int sourcePartition, long sourceStreamTime, List<SegmentDelta.CohortChange> cohorts,
                                           long latestEvent) {
        List<SegmentDelta.BucketChange> changes = new ArrayList<>();
        for (Map.Entry<String, Map<Long, long[]>> segment : counts.entrySet()) {
            for (Map.Entry<Long, long[]> bucket : segment.getValue().entrySet()) {
                if (!isZero(bucket.getValue())) {
                    changes.add(new SegmentDelta.BucketChange(segment.getKey(), bucket.getKey(), bucket.getValue()));
                }
            }
        }
        List<SegmentDelta.ReasonChange> reasonChanges = new ArrayList<>();
        reasons.forEach((k, n) -> {
            if (n[0] != 0) {
                reasonChanges.add(new SegmentDelta.ReasonChange(k.segment(), k.bucket(), k.reason(), n[0]));
            }
        });
        return new SegmentDelta.Contribution(sourcePartition, sourceStreamTime, changes, coverage, reasonChanges,
                cohorts, latestEvent);
    }

    private static boolean isZero(long[] values) {
        for (long v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /** Which purchases count in a segment: all of them, or those whose dimension has a given value. */
    private record SegmentFilter(Dimension dimension, String value) {
        static final SegmentFilter ALL = new SegmentFilter(null, null);

        boolean matches(Dimensions dims) {
            return dimension == null || value.equals(dims.value(dimension));
        }
    }
}
