package org.retentionpulse.topology.customer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.retentionpulse.topology.policy.ChurnPolicy;

/**
 * A customer's accepted events within the retention horizon, in event-time order, plus the lifecycle before
 * the oldest one kept. At the same instant, under {@code churn.inactivity=none} signups and cancellations come
 * before purchases and surveys (an event takes the dimensions of a signup "at or before" its time, whichever arrived
 * first, and so does an ignored signup or cancellation); otherwise ties keep arrival order ({@link #rank}).
 *
 * <p>Events can arrive out of order. Inserting one can change how later events count (a late cancellation
 * makes a later cancellation ignored; a late reactivation moves later purchases to other segments), so
 * {@link #insert} returns every event whose {@link Lifecycle.Fact} changed. Events older than the horizon are
 * folded into the base lifecycle, which keeps the state of a customer bounded.
 *
 * <p>Under {@code churn.inactivity} (contract section 7) the same replay also yields the customer's lapses
 * ({@link Lapse}), so an out-of-order activity that retracts a lapse, or one that moves it, shows up as a change
 * like any other.
 */
public final class CustomerTimeline {
    private Lifecycle base;
    private final ArrayList<TimelineEntry> entries;

    public CustomerTimeline() {
        this(Lifecycle.NEW, new ArrayList<>());
    }

    public CustomerTimeline(Lifecycle base, List<TimelineEntry> entries) {
        this.base = base;
        this.entries = new ArrayList<>(entries);
    }

    public Lifecycle base() {
        return base;
    }

    public List<TimelineEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** A change of how an event counts; {@code before} is null for the inserted event itself. */
    public record FactChange(TimelineEntry entry, Lifecycle.Fact before, Lifecycle.Fact after) {
    }

    /**
     * A lapse (contract section 7): the end of an active period at {@code at}, counted like a cancellation in the
     * segments of {@code dimensions}. Derived from the events, never stored: every lapse the events imply is counted
     * when they are seen, including the one still pending after the latest activity, and retracted when a later
     * insert removes it.
     */
    public record Lapse(long at, Dimensions dimensions) {
    }

    /**
     * What an insert changed: the facts of events (the new one first), the lapses no longer implied and those newly
     * implied, and the pending lapse (the one after the latest activity, null when none) before and after.
     */
    public record Changes(List<FactChange> facts, List<Lapse> retracted, List<Lapse> scheduled, Lapse pendingBefore,
                          Lapse pendingAfter) {
    }

    /**
     * Inserts an event after every event that sorts before or with it and returns what changed: first the new
     * event's fact, then those of other events whose count changed because of it, and the lapses it moved.
     */
    public Changes insert(TimelineEntry entry, ChurnPolicy.Inactivity inactivity) {
        int index = upperBound(entry, inactivity);
        Walk before = walk(inactivity);
        entries.add(index, entry);
        Walk after = walk(inactivity);
        List<FactChange> changes = new ArrayList<>(2);
        changes.add(new FactChange(entry, null, after.facts.get(index)));
        // Not only later events: an ignored signup or cancellation at the same instant can move to other segments.
        for (int i = 0; i < entries.size(); i++) {
            if (i != index) {
                Lifecycle.Fact was = before.facts.get(i < index ? i : i - 1);
                if (!was.equals(after.facts.get(i))) {
                    changes.add(new FactChange(entries.get(i), was, after.facts.get(i)));
                }
            }
        }
        List<Lapse> retracted = new ArrayList<>(before.lapses);
        List<Lapse> scheduled = new ArrayList<>();
        for (Lapse lapse : after.lapses) {
            if (!retracted.remove(lapse)) {
                scheduled.add(lapse);
            }
        }
        return new Changes(changes, retracted, scheduled, before.pending(), after.pending());
    }

    /** The facts of all kept events, in timeline order ({@link #walk}). */
    public List<Lifecycle.Fact> facts(ChurnPolicy.Inactivity inactivity) {
        return walk(inactivity).facts;
    }

    /** The lapse pending after the latest activity (section 7), or null: not active, or {@code none}. */
    public Lapse pendingLapse(ChurnPolicy.Inactivity inactivity) {
        return walk(inactivity).pending();
    }

    /**
     * The events replayed from the base: each one's fact, in timeline order, and every lapse on the way, the pending
     * one last. An ignored signup or cancellation counts in the segments of the latest effective signup at or before
     * its time, as a purchase does, so a reactivation at the same instant that sorts after it still gives it the new
     * dimensions.
     */
    private Walk walk(ChurnPolicy.Inactivity inactivity) {
        List<Lifecycle.Fact> facts = new ArrayList<>(entries.size());
        List<Lapse> lapses = new ArrayList<>(0);
        Lifecycle state = base;
        int instantStart = 0;
        for (int i = 0; i < entries.size(); i++) {
            TimelineEntry e = entries.get(i);
            state = lapseBy(state, e.time(), inactivity, lapses);
            facts.add(state.factOf(e, inactivity));
            state = state.after(e, inactivity);
            if (i + 1 == entries.size() || entries.get(i + 1).time() != e.time()) {
                for (int j = instantStart; j < i; j++) {
                    Lifecycle.Fact fact = facts.get(j);
                    if (!fact.effective() && !fact.dimensions().equals(state.dimensions())) {
                        facts.set(j, Lifecycle.Fact.attributed(state.dimensions()));
                    }
                }
                instantStart = i + 1;
            }
        }
        long pending = state.lapseAt(inactivity);
        boolean hasPending = pending != Lifecycle.NO_ACTIVITY;
        if (hasPending) {
            lapses.add(new Lapse(pending, state.dimensions()));
        }
        return new Walk(facts, lapses, hasPending);
    }

    private record Walk(List<Lifecycle.Fact> facts, List<Lapse> lapses, boolean hasPending) {
        Lapse pending() {
            return hasPending ? lapses.get(lapses.size() - 1) : null;
        }
    }

    /** A customer's first effective start (contract section 9: its cohort) and that start's dimensions. */
    public record FirstStart(long at, Dimensions dimensions) {
    }

    /**
     * The first effective start among the kept events, or null: none yet, or it was folded into the base (then the
     * customer's cohort is already known).
     */
    public FirstStart firstStart(ChurnPolicy.Inactivity inactivity) {
        if (base.everSignedUp()) {
            return null;
        }
        List<Lifecycle.Fact> facts = walk(inactivity).facts;
        for (int i = 0; i < entries.size(); i++) {
            TimelineEntry e = entries.get(i);
            Lifecycle.Fact f = facts.get(i);
            if (f.effective() && (e.kind() == TimelineEntry.Kind.SIGNUP || e.kind() == TimelineEntry.Kind.PURCHASE)) {
                return new FirstStart(e.time(), f.dimensions());
            }
        }
        return null;
    }

    /**
     * Whether the customer is active (section 7) at each of the ascending {@code instants}: its latest start strictly
     * before the instant, its period not ended strictly before it (a cancellation or lapse at the instant itself
     * still counts as active). Exact for instants after the events folded into the base.
     */
    public boolean[] activeAt(long[] instants, ChurnPolicy.Inactivity inactivity) {
        boolean[] active = new boolean[instants.length];
        Lifecycle state = base;
        int next = 0;
        for (int i = 0; i < instants.length; i++) {
            long x = instants[i];
            while (next < entries.size() && entries.get(next).time() < x) {
                TimelineEntry e = entries.get(next++);
                state = state.asOf(e.time(), inactivity).after(e, inactivity);
            }
            long lapse = state.lapseAt(inactivity);
            active[i] = state.active() && !(lapse != Lifecycle.NO_ACTIVITY && lapse < x);
        }
        return active;
    }

    /** {@code state} as of an event at {@code t}; a lapse on the way is added to {@code lapses}. */
    private static Lifecycle lapseBy(Lifecycle state, long t, ChurnPolicy.Inactivity inactivity, List<Lapse> lapses) {
        Lifecycle asOf = state.asOf(t, inactivity);
        if (asOf != state) {
            lapses.add(new Lapse(state.lapseAt(inactivity), state.dimensions()));
        }
        return asOf;
    }

    /** Folds events older than {@code cutoff} into the base lifecycle; returns how many were folded. */
    public int prune(long cutoff, ChurnPolicy.Inactivity inactivity) {
        int n = 0;
        while (n < entries.size() && entries.get(n).time() < cutoff) {
            base = base.asOf(entries.get(n).time(), inactivity).after(entries.get(n), inactivity);
            n++;
        }
        if (n > 0) {
            entries.subList(0, n).clear();
        }
        return n;
    }

    /**
     * Order within one instant: under {@code none} signups and cancellations first (only they move the lifecycle, and
     * a purchase or survey takes the dimensions of a signup at its instant whichever arrived first); under
     * {@code churn.inactivity} a purchase moves the lifecycle too, so every kind keeps arrival order (the contract's
     * event-time order, ties in arrival order) and {@link #walk} gives the events that change nothing the dimensions
     * of the instant's end.
     */
    private static int rank(TimelineEntry e, ChurnPolicy.Inactivity inactivity) {
        if (inactivity.lapses()) {
            return 0;
        }
        return e.kind() == TimelineEntry.Kind.SIGNUP || e.kind() == TimelineEntry.Kind.CANCELLATION ? 0 : 1;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Index after every entry that sorts before or with {@code entry}: by time, then {@link #rank}. */
    private int upperBound(TimelineEntry entry, ChurnPolicy.Inactivity inactivity) {
        long time = entry.time();
        int rank = rank(entry, inactivity);
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            TimelineEntry e = entries.get(mid);
            if (e.time() < time || (e.time() == time && rank(e, inactivity) <= rank)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether the timeline has a purchase on UTC day {@code epochDay}; entries are in time order. */
    boolean hasPurchaseOn(long epochDay) {
        long start = epochDay * 86_400_000L;
        long end = start + 86_400_000L;
        for (TimelineEntry e : entries) {
            if (e.time() >= end) {
                return false;
            }
            if (e.time() >= start && e.kind() == TimelineEntry.Kind.PURCHASE) {
                return true;
            }
        }
        return false;
    }
}
