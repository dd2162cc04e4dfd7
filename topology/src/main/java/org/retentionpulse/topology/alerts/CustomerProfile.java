package org.retentionpulse.topology.alerts;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.SurveyType;

/**
 * What churn-risk tracking knows about one customer: lifecycle and segment, purchases (count, spend, the
 * most recent purchase times for the customer's rhythm and recent frequency), the latest response to each
 * survey, and the alerting state (the level last alerted, and when the customer is next due for a check).
 *
 * <p>Every field is bounded: at most {@value #MAX_PURCHASE_TIMES} purchase times are kept, so a profile
 * stays a few hundred bytes however long the customer's history. Late and out-of-order events are absorbed
 * in event-time order. Part of the customer's one store value ({@code CustomerState}).
 */
public final class CustomerProfile {
    /** Purchase times kept: enough for the rhythm's gaps and two frequency periods of a frequent buyer. */
    public static final int MAX_PURCHASE_TIMES = 64;
    public static final long NONE = Long.MIN_VALUE;
    /** Store format: bit 0 active, bits 1-2 the level last alerted, from here one bit per instant present. */
    private static final int INSTANTS_BIT = 3;

    /** What an event did to the customer's lifecycle. */
    public enum LifecycleChange { NONE, STARTED, ENDED }

    boolean active;
    long activeSince = NONE;
    long lastLifecycleAt = NONE;
    long lastSignupAt = NONE;
    String plan;
    String country;
    String channel;
    long purchaseCount;
    long spendCents;
    long lastPurchaseAt = NONE;
    long[] purchaseTimes = new long[0];
    final SurveyAnswer[] surveys = new SurveyAnswer[SurveyType.values().length];
    long lastEventAt = NONE;
    RiskLevel alertedLevel = RiskLevel.LOW;
    int alerts;
    long dueAt = NONE;

    /** The latest response to one survey. */
    public record SurveyAnswer(int score, long at) {
    }

    /**
     * A signup starts an active period unless the customer is already active (then it only updates the
     * dimensions if it is the latest signup); a cancellation ends it. The latest lifecycle event by event time
     * decides, so an out-of-order signup or cancellation older than the latest one changes nothing.
     */
    public LifecycleChange signup(long at, String plan, String country, String channel) {
        touch(at);
        if (at >= lastSignupAt) {
            lastSignupAt = at;
            this.plan = plan;
            this.country = country;
            this.channel = channel;
        }
        if (at < lastLifecycleAt) {
            return LifecycleChange.NONE;
        }
        lastLifecycleAt = at;
        if (active) {
            return LifecycleChange.NONE;
        }
        active = true;
        activeSince = at;
        alertedLevel = RiskLevel.LOW;
        return LifecycleChange.STARTED;
    }

    public LifecycleChange cancellation(long at) {
        touch(at);
        if (at < lastLifecycleAt) {
            return LifecycleChange.NONE;
        }
        lastLifecycleAt = at;
        if (!active) {
            return LifecycleChange.NONE;
        }
        active = false;
        alertedLevel = RiskLevel.LOW;
        return LifecycleChange.ENDED;
    }

    /**
     * Under {@code churn.inactivity} (contract section 7) a purchase of a customer not active starts an active period,
     * unless a later lifecycle event (by event time) already decided.
     */
    public LifecycleChange startByPurchase(long at) {
        if (active || at < lastLifecycleAt) {
            return LifecycleChange.NONE;
        }
        lastLifecycleAt = at;
        active = true;
        activeSince = at;
        alertedLevel = RiskLevel.LOW;
        return LifecycleChange.STARTED;
    }

    /**
     * A lapse (section 7) ends the active period. Any activity after {@code lastActivityAt} (the one the lapse
     * counts from) starts it again, including an out-of-order one that retracted the lapse in the metrics.
     */
    public LifecycleChange lapse(long lastActivityAt) {
        if (!active) {
            return LifecycleChange.NONE;
        }
        lastLifecycleAt = Math.max(lastLifecycleAt, lastActivityAt);
        active = false;
        alertedLevel = RiskLevel.LOW;
        return LifecycleChange.ENDED;
    }

    /** Records a purchase; the oldest purchase times beyond {@value #MAX_PURCHASE_TIMES} are forgotten. */
    public void purchase(long at, long amountCents) {
        touch(at);
        purchaseCount++;
        spendCents += amountCents;
        lastPurchaseAt = Math.max(lastPurchaseAt, at);
        int pos = Arrays.binarySearch(purchaseTimes, at);
        int insertAt = pos >= 0 ? pos + 1 : -pos - 1;
        if (purchaseTimes.length == MAX_PURCHASE_TIMES) {
            if (insertAt == 0) {
                return;
            }
            System.arraycopy(purchaseTimes, 1, purchaseTimes, 0, insertAt - 1);
            purchaseTimes[insertAt - 1] = at;
            return;
        }
        long[] grown = new long[purchaseTimes.length + 1];
        System.arraycopy(purchaseTimes, 0, grown, 0, insertAt);
        grown[insertAt] = at;
        System.arraycopy(purchaseTimes, insertAt, grown, insertAt + 1, purchaseTimes.length - insertAt);
        purchaseTimes = grown;
    }

    /** Keeps the latest response (by event time) to each survey. */
    public void survey(SurveyType type, int score, long at) {
        touch(at);
        SurveyAnswer current = surveys[type.ordinal()];
        if (current == null || at >= current.at()) {
            surveys[type.ordinal()] = new SurveyAnswer(score, at);
        }
    }

    /**
     * The customer's typical gap between purchases: the median of the last {@value AlertPolicy#RHYTHM_GAPS}
     * gaps, or -1 with fewer than {@value AlertPolicy#MIN_GAPS_FOR_RHYTHM} gaps. A median, not a mean, so one
     * long pause (a holiday) or a burst of orders does not move it.
     */
    public long typicalGapMs() {
        int gaps = Math.min(purchaseTimes.length - 1, AlertPolicy.RHYTHM_GAPS);
        if (gaps < AlertPolicy.MIN_GAPS_FOR_RHYTHM) {
            return -1;
        }
        long[] g = new long[gaps];
        int last = purchaseTimes.length - 1;
        for (int i = 0; i < gaps; i++) {
            g[i] = purchaseTimes[last - i] - purchaseTimes[last - i - 1];
        }
        Arrays.sort(g);
        return gaps % 2 == 1 ? g[gaps / 2] : (g[gaps / 2 - 1] + g[gaps / 2]) / 2;
    }

    /** Purchases with time in {@code (from, to]}, among those kept. */
    public int purchasesBetween(long from, long to) {
        int count = 0;
        for (long t : purchaseTimes) {
            if (t > from && t <= to) {
                count++;
            }
        }
        return count;
    }

    /**
     * Writes the profile in the store format read by {@link #read}: zig-zag varints (Avro's binary encoding),
     * instants relative to {@code ref} (an instant of the same customer, so the differences are small), absent
     * instants as bits of the flags, strings as references into the value's string table, purchase times as
     * deltas.
     */
    public void write(Encoder out, long ref, ToIntFunction<String> strings) throws IOException {
        long[] instants = {activeSince, lastLifecycleAt, lastSignupAt, lastPurchaseAt, lastEventAt, dueAt};
        int flags = (active ? 1 : 0) | alertedLevel.ordinal() << 1;
        for (int i = 0; i < instants.length; i++) {
            flags |= instants[i] == NONE ? 0 : 1 << (INSTANTS_BIT + i);
        }
        out.writeInt(flags);
        for (long t : instants) {
            if (t != NONE) {
                out.writeLong(t - ref);
            }
        }
        out.writeInt(strings.applyAsInt(plan));
        out.writeInt(strings.applyAsInt(country));
        out.writeInt(strings.applyAsInt(channel));
        out.writeLong(purchaseCount);
        out.writeLong(spendCents);
        out.writeInt(alerts);
        out.writeInt(purchaseTimes.length);
        long previous = ref;
        for (long t : purchaseTimes) {
            out.writeLong(t - previous);
            previous = t;
        }
        int answered = 0;
        for (int i = 0; i < surveys.length; i++) {
            answered |= surveys[i] == null ? 0 : 1 << i;
        }
        out.writeInt(answered);
        for (SurveyAnswer answer : surveys) {
            if (answer != null) {
                out.writeInt(answer.score());
                out.writeLong(answer.at() - ref);
            }
        }
    }

    public static CustomerProfile read(Decoder in, long ref, IntFunction<String> strings) throws IOException {
        CustomerProfile p = new CustomerProfile();
        int flags = in.readInt();
        p.active = (flags & 1) != 0;
        p.alertedLevel = RiskLevel.values()[(flags >> 1) & 3];
        long[] instants = new long[6];
        for (int i = 0; i < instants.length; i++) {
            instants[i] = (flags & 1 << (INSTANTS_BIT + i)) == 0 ? NONE : ref + in.readLong();
        }
        p.activeSince = instants[0];
        p.lastLifecycleAt = instants[1];
        p.lastSignupAt = instants[2];
        p.lastPurchaseAt = instants[3];
        p.lastEventAt = instants[4];
        p.dueAt = instants[5];
        p.plan = strings.apply(in.readInt());
        p.country = strings.apply(in.readInt());
        p.channel = strings.apply(in.readInt());
        p.purchaseCount = in.readLong();
        p.spendCents = in.readLong();
        p.alerts = in.readInt();
        p.purchaseTimes = new long[in.readInt()];
        long previous = ref;
        for (int i = 0; i < p.purchaseTimes.length; i++) {
            previous += in.readLong();
            p.purchaseTimes[i] = previous;
        }
        int answered = in.readInt();
        for (int i = 0; i < p.surveys.length; i++) {
            if ((answered & 1 << i) != 0) {
                p.surveys[i] = new SurveyAnswer(in.readInt(), ref + in.readLong());
            }
        }
        return p;
    }

    private void touch(long at) {
        lastEventAt = Math.max(lastEventAt, at);
    }

    public boolean active() {
        return active;
    }

    public long activeSince() {
        return activeSince;
    }

    public String plan() {
        return plan;
    }

    public String country() {
        return country;
    }

    public String channel() {
        return channel;
    }

    public long purchaseCount() {
        return purchaseCount;
    }

    public long spendCents() {
        return spendCents;
    }

    /** The latest purchase time, or {@link #NONE}. */
    public long lastPurchaseAt() {
        return lastPurchaseAt;
    }

    /** The latest response to a survey, or null. */
    public SurveyAnswer latest(SurveyType type) {
        return surveys[type.ordinal()];
    }

    public long lastEventAt() {
        return lastEventAt;
    }

    /** The level of the last alert since the customer was last at LOW (LOW if none). */
    public RiskLevel alertedLevel() {
        return alertedLevel;
    }

    /** Alerts published for this customer so far (numbers the alert ids). */
    public int alerts() {
        return alerts;
    }

    /** When the customer is next due for a check without an event of its own, or {@link #NONE}. */
    public long dueAt() {
        return dueAt;
    }
}
