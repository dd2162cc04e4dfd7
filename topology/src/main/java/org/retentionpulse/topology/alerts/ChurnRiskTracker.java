package org.retentionpulse.topology.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.topology.event.CustomerEvent;
import org.retentionpulse.topology.policy.ChurnPolicy;

/**
 * Churn-risk tracking, run by the customer stage on its task (partitioned by customer id): keeps a
 * {@link CustomerProfile} per customer (the profile part of the customer's one store value), scores it with
 * {@link ChurnRiskScorer} whenever the customer has an event or becomes due, and publishes a
 * {@link ChurnRiskAlert} when the level rises above the level last alerted. No repeat at the same or a lower
 * level until the customer is back at LOW; a cancellation of an active customer publishes one CHURNED alert
 * and ends tracking until the next signup. Under {@code churn.inactivity} a lapse does the same ({@link #lapsed}; the
 * customer stage finds lapses) and a purchase restarts tracking.
 *
 * <p>Customers who stop buying send no events, so inactivity is found as stream time advances: before an
 * input record moves stream time to {@code t}, every customer due strictly before {@code t} in the
 * {@link DueIndex} is checked as of its due instant, earliest first. Only those customers are read. Doing
 * this on every record, instead of in a Kafka Streams punctuation that runs between batches, keeps the order
 * of checks and events a function of the input alone: replays and restarts give the same alerts.
 */
public final class ChurnRiskTracker {
    /**
     * Due instant + customer_id -> empty; layout in {@link DueIndex}; one entry per tracked customer, the one its
     * profile's {@link CustomerProfile#dueAt} names. In memory and not logged: rebuilt from the profiles when a task
     * starts (the customer stage).
     */
    public static final String DUE_INDEX_STORE = "customer-risk-due";

    /** The profiles of customers other than the one at hand (read and written by due checks). */
    public interface Profiles {
        /** The customer's profile, or null if it is not tracked. */
        CustomerProfile get(String customerId);

        /** Stores the customer's profile; null stops tracking it. */
        void put(String customerId, CustomerProfile profile);
    }

    /** Where alerts go; {@code sourceTimestamp} is the timestamp of the input record that caused the alert. */
    public interface Alerts {
        void publish(String customerId, ChurnRiskAlert alert, long sourceTimestamp);
    }

    /**
     * The assessment a customer is alerted on: the scorer's, or one that refines it (the customer-lifetime
     * model's, in {@code modelfit.ModelAssessor}). Must be a pure function of the customer's state and the instant.
     */
    public interface Assessor {
        RiskAssessment assess(String customerId, CustomerProfile profile, long asOf);
    }

    private final ChurnRiskScorer scorer;
    private final Assessor assessor;
    private final long retentionMs;
    private final DueIndex due;
    private final Profiles profiles;
    private final Alerts alerts;
    private final LongSupplier wallClock;
    private final ChurnPolicy.Inactivity inactivity;
    /** Due checks are done up to (exclusive) this instant; the caller keeps it across restarts ({@link #resume}). */
    private long checkedUpTo = Long.MIN_VALUE;

    /** By the {@link ChurnRiskScorer} of {@code policy} alone. */
    public ChurnRiskTracker(AlertPolicy policy, ChurnPolicy.Inactivity inactivity, DueIndex due, Profiles profiles,
            Alerts alerts, LongSupplier wallClock) {
        this(policy, inactivity, null, due, profiles, alerts, wallClock);
    }

    /**
     * @param inactivity {@code churn.inactivity}: under a duration a purchase restarts tracking and a lapse ends it
     * @param assessor how a profile is assessed; null: by the {@link ChurnRiskScorer} of {@code policy} alone
     */
    public ChurnRiskTracker(AlertPolicy policy, ChurnPolicy.Inactivity inactivity, Assessor assessor, DueIndex due,
            Profiles profiles, Alerts alerts, LongSupplier wallClock) {
        this.inactivity = inactivity;
        this.scorer = new ChurnRiskScorer(policy);
        this.assessor = assessor != null ? assessor : (customerId, profile, asOf) -> scorer.assess(profile, asOf);
        this.retentionMs = policy.profileRetention().toMillis();
        this.due = due;
        this.profiles = profiles;
        this.alerts = alerts;
        this.wallClock = wallClock;
    }

    /** Index entries visited by due checks since start: the work is proportional to this, not to the customer count. */
    public long dueEntriesVisited() {
        return due.visited();
    }

    /** Due checks are done before this instant ({@code Long.MIN_VALUE}: none yet). */
    public long checkedUpTo() {
        return checkedUpTo;
    }

    /**
     * After a restart: the checks before {@code t} were done (the caller stored {@link #checkedUpTo}). The next scan
     * seeks to {@code t} instead of starting at the first key: on RocksDB that first key is behind the tombstones of
     * every entry handled since the last compaction, a scan that costs seconds on a restored store.
     */
    public void resume(long t) {
        checkedUpTo = t;
    }

    /** Checks every customer due before {@code t}; {@code sourceTimestamp} is the input record that moved time. */
    public void checkDue(long t, long sourceTimestamp) {
        if (t <= checkedUpTo) {
            return;
        }
        // Everything due before checkedUpTo is handled, and nothing is ever scheduled before it again.
        long from = checkedUpTo;
        checkedUpTo = t;
        for (List<DueIndex.Due> batch = due.dueBetween(from, t); !batch.isEmpty(); batch = due.dueBetween(from, t)) {
            for (DueIndex.Due d : batch) {
                due.cancel(d.customerId(), d.at());
                CustomerProfile profile = profiles.get(d.customerId());
                if (profile != null && profile.dueAt == d.at()) {
                    profiles.put(d.customerId(), checkDue(d.customerId(), profile, d.at(), sourceTimestamp));
                }
            }
        }
    }

    /** The profile after its due check at {@code at}, or null when it expires. */
    private CustomerProfile checkDue(String customerId, CustomerProfile profile, long at, long sourceTimestamp) {
        profile.dueAt = CustomerProfile.NONE;
        if (!profile.active() && at >= profile.lastEventAt() + retentionMs) {
            return null;
        }
        RiskAssessment assessment = assessor.assess(customerId, profile, at);
        maybeAlert(customerId, profile, assessment, at, sourceTimestamp);
        schedule(customerId, profile, assessment, at + 1);
        return profile;
    }

    /**
     * Applies an accepted event (late ones included) to the customer's profile ({@code null}: not tracked yet)
     * and returns the profile to store.
     */
    public CustomerProfile apply(CustomerProfile current, CustomerEvent event, long streamTime, long sourceTimestamp) {
        CustomerProfile profile = current == null ? new CustomerProfile() : current;
        String customerId = event.customerId();
        long at = event.at();
        long since = profile.activeSince();
        event.<Void>match(
                s -> {
                    profile.signup(at, s.plan(), s.country(), s.channel());
                    return null;
                },
                p -> {
                    if (inactivity.lapses()) {
                        profile.startByPurchase(at);
                    }
                    profile.purchase(at, p.amountCents());
                    return null;
                },
                c -> {
                    if (profile.cancellation(at) == CustomerProfile.LifecycleChange.ENDED) {
                        publish(customerId, profile, churned(customerId, profile, since, c), sourceTimestamp);
                    }
                    return null;
                },
                r -> {
                    profile.survey(r.survey(), r.score(), at);
                    return null;
                });
        long asOf = Math.max(streamTime, at);
        RiskAssessment assessment = assessor.assess(customerId, profile, asOf);
        maybeAlert(customerId, profile, assessment, at, sourceTimestamp);
        schedule(customerId, profile, assessment, asOf + 1);
        return profile;
    }

    /**
     * A lapse (contract section 7) at {@code lapseAt}, {@code churn.inactivity} after the customer's last activity:
     * one CHURNED alert that says so, and tracking ends until the next activity, as with a cancellation. Returns the
     * profile to store ({@code current} unchanged when the customer is not tracked as active).
     */
    public CustomerProfile lapsed(String customerId, CustomerProfile current, long lapseAt, long sourceTimestamp) {
        if (current == null || !current.active()) {
            return current;
        }
        long lastActivity = lapseAt - inactivity.duration().toMillis();
        long since = current.activeSince();
        current.lapse(lastActivity);
        publish(customerId, current, lapsedAlert(customerId, current, since, lapseAt), sourceTimestamp);
        schedule(customerId, current, scorer.assess(current, lapseAt), lapseAt + 1);
        return current;
    }

    private ChurnRiskAlert lapsedAlert(String customerId, CustomerProfile profile, long activeSince, long at) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        double idleDays = ChurnRiskScorer.round(inactivity.duration().toMillis() / 86_400_000d);
        evidence.put("days_since_last_activity", idleDays);
        evidence.put("days_active", ChurnRiskScorer.round((at - activeSince) / 86_400_000d));
        evidence.put("purchases", (double) profile.purchaseCount());
        evidence.put("spend", profile.spendCents() / 100d);
        RiskReason reason = RiskReason.newBuilder().setSignal(RiskSignal.CHURNED).setWeight(1.0).setEvidence(evidence)
                .setExplanation(String.format(Locale.ROOT,
                        "Lapsed: no purchase or signup for %.1f days (churn.inactivity %s), after %.1f days active and %d purchases",
                        idleDays, inactivity, evidence.get("days_active"), profile.purchaseCount()))
                .build();
        return alert(customerId, profile, RiskLevel.CHURNED, 1.0, List.of(reason), at);
    }

    private void maybeAlert(String customerId, CustomerProfile profile, RiskAssessment assessment, long triggeredAt,
            long sourceTimestamp) {
        RiskLevel level = assessment.level();
        if (level == RiskLevel.LOW) {
            profile.alertedLevel = RiskLevel.LOW;
        } else if (level.ordinal() > profile.alertedLevel.ordinal()) {
            profile.alertedLevel = level;
            publish(customerId, profile, alert(customerId, profile, level, assessment.score(), assessment.reasons(),
                    triggeredAt), sourceTimestamp);
        }
    }

    private void publish(String customerId, CustomerProfile profile, ChurnRiskAlert alert, long sourceTimestamp) {
        profile.alerts++;
        alerts.publish(customerId, alert, sourceTimestamp);
    }

    private ChurnRiskAlert alert(String customerId, CustomerProfile profile, RiskLevel level, double score,
            List<RiskReason> reasons, long triggeredAt) {
        return ChurnRiskAlert.newBuilder()
                .setAlertId(AlertId.of(customerId, profile.alerts, level, triggeredAt))
                .setCustomerId(customerId)
                .setLevel(level)
                .setScore(score)
                .setReasons(reasons)
                .setTriggeredAt(Instant.ofEpochMilli(triggeredAt))
                .setDetectedAt(Instant.ofEpochMilli(wallClock.getAsLong()))
                .setPlan(profile.plan())
                .setCountry(profile.country())
                .setChannel(profile.channel())
                .build();
    }

    private ChurnRiskAlert churned(String customerId, CustomerProfile profile, long activeSince,
            CustomerEvent.Cancellation cancellation) {
        long at = cancellation.at();
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("days_active", ChurnRiskScorer.round((at - activeSince) / 86_400_000d));
        evidence.put("purchases", (double) profile.purchaseCount());
        evidence.put("spend", profile.spendCents() / 100d);
        String why = cancellation.reason() == null || cancellation.reason().isBlank()
                ? "no reason given" : "reason: " + cancellation.reason();
        RiskReason reason = RiskReason.newBuilder().setSignal(RiskSignal.CHURNED).setWeight(1.0).setEvidence(evidence)
                .setExplanation(String.format(Locale.ROOT, "Cancelled (%s) after %.1f days active and %d purchases",
                        why, evidence.get("days_active"), profile.purchaseCount()))
                .build();
        return alert(customerId, profile, RiskLevel.CHURNED, 1.0, List.of(reason), at);
    }

    /**
     * Moves the customer's index entry to the next instant time alone can change its risk (or its expiry), but
     * never before {@code notBefore}: the index is only ever scanned from the instant checks are done up to.
     */
    private void schedule(String customerId, CustomerProfile profile, RiskAssessment assessment, long notBefore) {
        long next = profile.active() ? assessment.nextCheckAt() : saturatedAdd(profile.lastEventAt(), retentionMs);
        next = next == Long.MAX_VALUE ? CustomerProfile.NONE : Math.max(next, notBefore);
        if (next == profile.dueAt) {
            return;
        }
        if (profile.dueAt != CustomerProfile.NONE) {
            due.cancel(customerId, profile.dueAt);
        }
        if (next != CustomerProfile.NONE) {
            due.schedule(customerId, next);
        }
        profile.dueAt = next;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
