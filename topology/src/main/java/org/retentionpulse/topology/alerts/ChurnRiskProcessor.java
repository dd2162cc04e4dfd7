package org.retentionpulse.topology.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.topology.OutputHeaders;
import org.retentionpulse.topology.customer.CustomerOutput;

/**
 * Churn-risk tracking, on the customer-stage tasks (partitioned by customer id): keeps a
 * {@link CustomerProfile} per customer, scores it with {@link ChurnRiskScorer} whenever the customer has an
 * event or becomes due, and publishes a {@link ChurnRiskAlert} when the level rises above the level last
 * alerted. No repeat at the same or a lower level until the customer is back at LOW; a cancellation of an
 * active customer publishes one CHURNED alert and ends tracking until the next signup.
 *
 * <p>Customers who stop buying send no events, so inactivity is found as stream time advances: before an
 * input record moves stream time to {@code t}, every customer due strictly before {@code t} in the
 * {@link DueIndex} is checked as of its due instant, earliest first. Only those customers are read. Doing
 * this on every record, instead of in a Kafka Streams punctuation that runs between batches, keeps the order
 * of checks and events a function of the input alone: replays and restarts give the same alerts.
 */
public final class ChurnRiskProcessor implements Processor<String, CustomerOutput.Observed, String, ChurnRiskAlert> {
    /** customer_id -> {@link CustomerProfile}; profiles of customers no longer active expire after the policy's retention. */
    public static final String PROFILE_STORE = "customer-risk-profiles";
    /** Due instant + customer_id -> empty; layout in {@link DueIndex}; one entry per tracked customer. */
    public static final String DUE_INDEX_STORE = "customer-risk-due";

    private final ChurnRiskScorer scorer;
    private ProcessorContext<String, ChurnRiskAlert> context;
    private KeyValueStore<String, CustomerProfile> profiles;
    private DueIndex due;
    /** Due checks are done up to (exclusive) this instant; transient, checks are idempotent after a restart. */
    private long checkedUpTo = Long.MIN_VALUE;

    public ChurnRiskProcessor(AlertPolicy policy) {
        this.scorer = new ChurnRiskScorer(policy);
    }

    @Override
    public void init(ProcessorContext<String, ChurnRiskAlert> context) {
        this.context = context;
        this.profiles = context.getStateStore(PROFILE_STORE);
        KeyValueStore<Bytes, byte[]> index = context.getStateStore(DUE_INDEX_STORE);
        this.due = new DueIndex(index);
    }

    @Override
    public void process(Record<String, CustomerOutput.Observed> record) {
        CustomerOutput.Observed observed = record.value();
        if (!observed.endOfInput()) {
            checkDue(observed.streamTime(), record.timestamp());
        }
        if (observed.event() != null) {
            apply(record.key(), observed.event(), observed.streamTime(), record.timestamp());
        }
    }

    /** Index entries visited by due checks since start: the work is proportional to this, not to the customer count. */
    public long dueEntriesVisited() {
        return due.visited();
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
                if (profile == null || profile.dueAt != d.at()) {
                    continue;
                }
                profile.dueAt = CustomerProfile.NONE;
                if (!profile.active() && d.at() >= profile.lastEventAt() + scorer.policy().profileRetention().toMillis()) {
                    profiles.delete(d.customerId());
                    continue;
                }
                RiskAssessment assessment = scorer.assess(profile, d.at());
                maybeAlert(d.customerId(), profile, assessment, d.at(), sourceTimestamp);
                schedule(d.customerId(), profile, assessment, d.at() + 1);
                profiles.put(d.customerId(), profile);
            }
        }
    }

    private void apply(String customerId, SpecificRecord event, long streamTime, long sourceTimestamp) {
        long at = EventType.occurredAtMillis(event);
        CustomerProfile profile = profiles.get(customerId);
        if (profile == null) {
            profile = new CustomerProfile();
        }
        long since = profile.activeSince();
        if (event instanceof Signup s) {
            profile.signup(at, s.getPlan(), s.getCountry(), s.getChannel());
        } else if (event instanceof Purchase p) {
            profile.purchase(at, p.getAmount().movePointRight(2).longValueExact());
        } else if (event instanceof SurveyResponse r) {
            profile.survey(r.getSurvey(), r.getScore(), at);
        } else if (event instanceof Cancellation c && profile.cancellation(at) == CustomerProfile.LifecycleChange.ENDED) {
            publish(customerId, profile, churned(profile, since, at, c), sourceTimestamp);
        }
        long asOf = Math.max(streamTime, at);
        RiskAssessment assessment = scorer.assess(profile, asOf);
        maybeAlert(customerId, profile, assessment, at, sourceTimestamp);
        schedule(customerId, profile, assessment, asOf + 1);
        profiles.put(customerId, profile);
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
        RecordHeaders headers = new RecordHeaders();
        headers.add(OutputHeaders.SOURCE_TIMESTAMP, OutputHeaders.encodeTimestamp(sourceTimestamp));
        context.forward(new Record<>(customerId, alert, sourceTimestamp, headers));
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
                .setDetectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setPlan(profile.plan())
                .setCountry(profile.country())
                .setChannel(profile.channel())
                .build();
    }

    private ChurnRiskAlert churned(CustomerProfile profile, long activeSince, long at, Cancellation cancellation) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("days_active", ChurnRiskScorer.round((at - activeSince) / 86_400_000d));
        evidence.put("purchases", (double) profile.purchaseCount());
        evidence.put("spend", profile.spendCents() / 100d);
        String why = cancellation.getReason() == null || cancellation.getReason().isBlank()
                ? "no reason given" : "reason: " + cancellation.getReason();
        RiskReason reason = RiskReason.newBuilder().setSignal(RiskSignal.CHURNED).setWeight(1.0).setEvidence(evidence)
                .setExplanation(String.format(java.util.Locale.ROOT, "Cancelled (%s) after %.1f days active and %d purchases",
                        why, evidence.get("days_active"), profile.purchaseCount()))
                .build();
        return alert(cancellation.getCustomerId(), profile, RiskLevel.CHURNED, 1.0, List.of(reason), at);
    }

    /**
     * Moves the customer's index entry to the next instant time alone can change its risk (or its expiry), but
     * never before {@code notBefore}: the index is only ever scanned from the instant checks are done up to.
     */
    private void schedule(String customerId, CustomerProfile profile, RiskAssessment assessment, long notBefore) {
        long next = profile.active() ? assessment.nextCheckAt()
                : saturatedAdd(profile.lastEventAt(), scorer.policy().profileRetention().toMillis());
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
