package org.retentionpulse.topology.alerts;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.SurveyType;

/**
 * What churn-risk tracking knows about one customer: lifecycle and segment, purchases (count, spend, the
 * most recent purchase times for the customer's rhythm and recent frequency), the latest response to each
 * survey, and the alerting state (the level last alerted, and when the customer is next due for a check).
 *
 * <p>Every field is bounded: at most {@value #MAX_PURCHASE_TIMES} purchase times are kept, so a profile
 * stays a few hundred bytes however long the customer's history. Late and out-of-order events are absorbed
 * in event-time order. The value of {@link ChurnRiskProcessor#PROFILE_STORE}.
 */
public final class CustomerProfile {
    /** Purchase times kept: enough for the rhythm's gaps and two frequency periods of a frequent buyer. */
    public static final int MAX_PURCHASE_TIMES = 64;
    public static final long NONE = Long.MIN_VALUE;

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

    /** Writes the profile in the store format read by {@link #read}: purchase times as varint deltas. */
    public void write(DataOutput out) throws IOException {
        out.writeByte((active ? 1 : 0) | (alertedLevel.ordinal() << 1));
        out.writeLong(activeSince);
        out.writeLong(lastLifecycleAt);
        out.writeLong(lastSignupAt);
        writeNullable(out, plan);
        writeNullable(out, country);
        writeNullable(out, channel);
        writeVarLong(out, purchaseCount);
        writeVarLong(out, spendCents);
        out.writeLong(lastPurchaseAt);
        out.writeLong(lastEventAt);
        out.writeLong(dueAt);
        writeVarLong(out, alerts);
        out.writeByte(purchaseTimes.length);
        long previous = 0;
        for (long t : purchaseTimes) {
            writeVarLong(out, t - previous);
            previous = t;
        }
        for (SurveyAnswer answer : surveys) {
            out.writeByte(answer == null ? -1 : answer.score());
            if (answer != null) {
                out.writeLong(answer.at());
            }
        }
    }

    public static CustomerProfile read(DataInput in) throws IOException {
        CustomerProfile p = new CustomerProfile();
        int flags = in.readByte();
        p.active = (flags & 1) != 0;
        p.alertedLevel = RiskLevel.values()[flags >> 1];
        p.activeSince = in.readLong();
        p.lastLifecycleAt = in.readLong();
        p.lastSignupAt = in.readLong();
        p.plan = readNullable(in);
        p.country = readNullable(in);
        p.channel = readNullable(in);
        p.purchaseCount = readVarLong(in);
        p.spendCents = readVarLong(in);
        p.lastPurchaseAt = in.readLong();
        p.lastEventAt = in.readLong();
        p.dueAt = in.readLong();
        p.alerts = (int) readVarLong(in);
        p.purchaseTimes = new long[in.readUnsignedByte()];
        long previous = 0;
        for (int i = 0; i < p.purchaseTimes.length; i++) {
            previous += readVarLong(in);
            p.purchaseTimes[i] = previous;
        }
        for (int i = 0; i < p.surveys.length; i++) {
            int score = in.readByte();
            if (score >= 0) {
                p.surveys[i] = new SurveyAnswer(score, in.readLong());
            }
        }
        return p;
    }

    private static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Zig-zag varint: small magnitudes of either sign take few bytes. */
    private static void writeVarLong(DataOutput out, long v) throws IOException {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.writeByte((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.writeByte((int) z);
    }

    private static long readVarLong(DataInput in) throws IOException {
        long z = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            z |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        return (z >>> 1) ^ -(z & 1);
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
