package org.retentionpulse.topology.customer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A customer's accepted events within the retention horizon, in event-time order, plus the lifecycle before
 * the oldest one kept. At the same instant, signups and cancellations come before purchases and surveys (an
 * event takes the dimensions of a signup "at or before" its time, whichever arrived first, and so does an
 * ignored signup or cancellation); otherwise ties keep arrival order.
 *
 * <p>Events can arrive out of order. Inserting one can change how later events count (a late cancellation
 * makes a later cancellation ignored; a late reactivation moves later purchases to other segments), so
 * {@link #insert} returns every event whose {@link Lifecycle.Fact} changed. Events older than the horizon are
 * folded into the base lifecycle, which keeps the state of a customer bounded.
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
     * Inserts an event after every event that sorts before or with it and returns the facts that changed:
     * first the new event's, then those of other events whose count changed because of it.
     */
    public List<FactChange> insert(TimelineEntry entry) {
        int index = upperBound(entry);
        List<Lifecycle.Fact> before = facts();
        entries.add(index, entry);
        List<Lifecycle.Fact> after = facts();
        List<FactChange> changes = new ArrayList<>(2);
        changes.add(new FactChange(entry, null, after.get(index)));
        // Not only later events: an ignored signup or cancellation at the same instant can move to other segments.
        for (int i = 0; i < entries.size(); i++) {
            if (i != index) {
                Lifecycle.Fact was = before.get(i < index ? i : i - 1);
                if (!was.equals(after.get(i))) {
                    changes.add(new FactChange(entries.get(i), was, after.get(i)));
                }
            }
        }
        return changes;
    }

    /**
     * The facts of all kept events, in timeline order. An ignored signup or cancellation counts in the segments
     * of the latest effective signup at or before its time, as a purchase does, so a reactivation at the same
     * instant that sorts after it still gives it the new dimensions.
     */
    public List<Lifecycle.Fact> facts() {
        List<Lifecycle.Fact> facts = new ArrayList<>(entries.size());
        Lifecycle state = base;
        int instantStart = 0;
        for (int i = 0; i < entries.size(); i++) {
            TimelineEntry e = entries.get(i);
            facts.add(state.factOf(e));
            state = state.after(e);
            if (i + 1 == entries.size() || entries.get(i + 1).time() != e.time()) {
                for (int j = instantStart; j < i; j++) {
                    Lifecycle.Fact fact = facts.get(j);
                    if (!fact.effective() && !fact.dimensions().equals(state.dimensions())) {
                        facts.set(j, new Lifecycle.Fact(state.dimensions(), false, false));
                    }
                }
                instantStart = i + 1;
            }
        }
        return facts;
    }

    /** The lifecycle after every kept event. */
    public Lifecycle current() {
        Lifecycle state = base;
        for (TimelineEntry e : entries) {
            state = state.after(e);
        }
        return state;
    }

    /** Folds events older than {@code cutoff} into the base lifecycle; returns how many were folded. */
    public int prune(long cutoff) {
        int n = 0;
        while (n < entries.size() && entries.get(n).time() < cutoff) {
            base = base.after(entries.get(n));
            n++;
        }
        if (n > 0) {
            entries.subList(0, n).clear();
        }
        return n;
    }

    private static int rank(TimelineEntry e) {
        return e.kind() == TimelineEntry.Kind.SIGNUP || e.kind() == TimelineEntry.Kind.CANCELLATION ? 0 : 1;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Index after every entry that sorts before or with {@code entry}: by time, then lifecycle events first. */
    private int upperBound(TimelineEntry entry) {
        long time = entry.time();
        int rank = rank(entry);
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            TimelineEntry e = entries.get(mid);
            if (e.time() < time || (e.time() == time && rank(e) <= rank)) {
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
