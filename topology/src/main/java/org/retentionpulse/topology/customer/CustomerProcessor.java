package org.retentionpulse.topology.customer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.topology.OutputHeaders;
import org.retentionpulse.topology.alerts.AlertPolicy;
import org.retentionpulse.topology.alerts.ChurnRiskTracker;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.alerts.DueIndex;
import org.retentionpulse.topology.event.CustomerEvent;
import org.retentionpulse.topology.event.InputRecord;
import org.retentionpulse.topology.event.Tick;
import org.retentionpulse.topology.model.ModelRisk;
import org.retentionpulse.topology.model.PurchaseDays;
import org.retentionpulse.topology.modelfit.FitSampleStore;
import org.retentionpulse.topology.modelfit.ModelFitFailureSensors;
import org.retentionpulse.topology.modelfit.FittedModel;
import org.retentionpulse.topology.modelfit.ModelAssessor;
import org.retentionpulse.topology.modelfit.ModelFitState;
import org.retentionpulse.topology.modelfit.ModelFitting;
import org.retentionpulse.topology.modelfit.ModelRefitter;
import org.retentionpulse.topology.alerts.ChurnRiskScorer;
import org.retentionpulse.topology.delta.SegmentDelta;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.topology.time.WindowSet;

/**
 * The customer stage, partitioned by customer id. Per event it reads and writes one value, the customer's
 * {@link CustomerState}: drops duplicate event ids, tracks this task's stream time, flags late events, updates
 * the {@link CustomerTimeline} and emits what the event changes in the segment aggregates as a
 * {@link SegmentDelta} carrying the task's watermark, and runs churn-risk tracking ({@link ChurnRiskTracker})
 * on the customer's profile.
 */
public final class CustomerProcessor implements Processor<String, InputRecord, String, CustomerOutput> {
    /**
     * customer_id -> {@link CustomerState} (format in {@code CustomerStateSerde}). Kept forever per customer
     * (the base lifecycle decides reactivations); bounded by the events of the last two horizons, the ids of
     * the last dedup horizon and a profile of bounded size, dropped after {@code alerts.profile-retention}.
     */
    public static final String STATE_STORE = "customer-state";
    /**
     * {@value #STREAM_TIME_KEY} -> this task's stream time: max event time of accepted events and ticks. One
     * key per task, in memory with a record cache: one changelog record per commit, not per event.
     */
    public static final String STREAM_TIME_STORE = "customer-stream-time";
    public static final String STREAM_TIME_KEY = "stream-time";
    /** Key of the same store: this task's latest accepted event time (stream time without ticks: cohort periods reached). */
    public static final String LATEST_EVENT_KEY = "latest-event";
    /**
     * Keys of the same store: the instants before which the churn-risk due checks and the lapses are done, so that a
     * restarted task resumes its scans of {@link ChurnRiskTracker#DUE_INDEX_STORE} and {@link #LAPSE_DUE_STORE} there
     * (each changes at most once per record, with the stream time).
     */
    static final String DUE_CHECKED_KEY = "due-checked-before";
    static final String LAPSES_HANDLED_KEY = "lapses-handled-before";
    /** The customers' pending lapses under {@code churn.inactivity}, layout and retention in {@link LapseSchedule#STORE}. */
    public static final String LAPSE_DUE_STORE = LapseSchedule.STORE;

    /** Header of a late-events record: its {@link LateReason#code()}. */
    public static final String LATE_REASON_HEADER = "retention-pulse.late.reason";
    /** Header of a late-events record: the event time, stream time and grace that made it late. */
    public static final String LATE_DETAIL_HEADER = "retention-pulse.late.detail";

    private final WindowSet windows;
    private final List<Dimension> dimensions;
    private final long dedupHorizonMs;
    private final AlertPolicy alertPolicy;
    private final CustomerMetrics metrics;
    private final ChurnPolicy.Inactivity inactivity;
    private final CohortContributions cohorts;
    private final ModelFitting modelFitting;

    private ProcessorContext<String, CustomerOutput> context;
    private KeyValueStore<String, CustomerState> states;
    private KeyValueStore<String, Long> streamTimeStore;
    private ChurnRiskTracker churnRisk;
    private LapseSchedule lapses;
    private FitSampleStore fitSample;
    private ModelRefitter refitter;
    private final StoredProfiles profiles = new StoredProfiles();
    private int partition;
    private long streamTime = Long.MIN_VALUE;
    private long latestEvent = Long.MIN_VALUE;
    /** The due checks' position last written to {@value #STREAM_TIME_STORE}. */
    private long checkedStored = Long.MIN_VALUE;

    public CustomerProcessor(WindowSet windows, List<Dimension> dimensions, Duration dedupHorizon, AlertPolicy alertPolicy,
            ModelFitting modelFitting, CustomerMetrics metrics, ChurnPolicy churn, CohortSpec cohortSpec) {
        this.modelFitting = modelFitting;
        this.inactivity = churn.inactivity();
        this.cohorts = new CohortContributions(cohortSpec, dimensions, churn.inactivity(), windows);
        this.windows = windows;
        this.dimensions = dimensions;
        this.dedupHorizonMs = dedupHorizon.toMillis();
        this.alertPolicy = alertPolicy;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, CustomerOutput> context) {
        this.context = context;
        this.states = context.getStateStore(STATE_STORE);
        this.streamTimeStore = context.getStateStore(STREAM_TIME_STORE);
        KeyValueStore<Bytes, byte[]> dueIndex = context.getStateStore(ChurnRiskTracker.DUE_INDEX_STORE);
        KeyValueStore<Bytes, byte[]> lapseIndex = context.getStateStore(LAPSE_DUE_STORE);
        this.lapses = new LapseSchedule(new DueIndex(lapseIndex));
        this.partition = context.taskId().partition();
        initModel(context);
        ChurnRiskScorer scorer = new ChurnRiskScorer(alertPolicy);
        ModelAssessor model = new ModelAssessor(scorer, new ModelRisk(modelFitting.policy(), scorer));
        DueIndex due = new DueIndex(dueIndex);
        rebuild(due);
        this.churnRisk = new ChurnRiskTracker(alertPolicy, inactivity,
                (id, profile, asOf) -> model.assess(profile, profiles.purchases(id), refitter.fitFor(profile), asOf).assessment(),
                due, profiles, this::publish, context::currentSystemTimeMs);
        Long stored = streamTimeStore.get(STREAM_TIME_KEY);
        this.streamTime = stored == null ? Long.MIN_VALUE : stored;
        Long latest = streamTimeStore.get(LATEST_EVENT_KEY);
        this.latestEvent = latest == null ? Long.MIN_VALUE : latest;
        Long checked = streamTimeStore.get(DUE_CHECKED_KEY);
        if (checked != null) {
            churnRisk.resume(checked);
            checkedStored = checked;
        }
        Long handled = streamTimeStore.get(LAPSES_HANDLED_KEY);
        if (handled != null) {
            lapses.resume(handled);
        }
        metrics.init(context);
    }

    /**
     * The unlogged {@value ChurnRiskTracker#DUE_INDEX_STORE} from the restored customer states: each profile remembers
     * its entry ({@link CustomerProfile#dueAt}), and both change in the same record, so the index is the one the last
     * commit had.
     */
    private void rebuild(DueIndex due) {
        due.clear();
        try (KeyValueIterator<String, CustomerState> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, CustomerState> entry = all.next();
                CustomerProfile profile = entry.value.profile();
                if (profile != null && profile.dueAt() != CustomerProfile.NONE) {
                    due.schedule(entry.key, profile.dueAt());
                }
            }
        }
    }

    private void initModel(ProcessorContext<String, CustomerOutput> context) {
        KeyValueStore<Bytes, byte[]> sampleStore = context.getStateStore(FitSampleStore.STORE);
        KeyValueStore<String, ModelFitState> modelStore = context.getStateStore(ModelRefitter.STORE);
        this.fitSample = new FitSampleStore(sampleStore, modelFitting.policy().fitSampleSize());
        this.refitter = new ModelRefitter(modelFitting, fitSample, modelStore, partition, this::publishModel,
                new ModelFitFailureSensors(context), System::nanoTime);
    }

    @Override
    public void process(Record<String, InputRecord> record) {
        if (record.value() instanceof Tick tick) {
            tick(record, tick);
        } else {
            event(record, (CustomerEvent) record.value());
        }
    }

    private void tick(Record<String, InputRecord> record, Tick tick) {
        advanceStreamTime(tick.at());
        context.forward(record.<String>withKey(null).<CustomerOutput>withValue(
                new CustomerOutput.Delta(SegmentDelta.watermark(partition, streamTime, latestEvent))));
        if (!tick.endOfInput()) {
            refitter.advanceTo(streamTime);
            checkDueAndLapses(record.timestamp());
            profiles.release();
        }
    }

    private void event(Record<String, InputRecord> record, CustomerEvent event) {
        String customerId = event.customerId();
        long time = event.at();
        CustomerState state = states.get(customerId);
        if (state == null) {
            state = new CustomerState();
        }
        if (state.isDuplicate(event.eventId(), time, dedupHorizonMs, streamTime)) {
            metrics.duplicate();
            return;
        }
        metrics.accepted(event.type());
        boolean late = streamTime != Long.MIN_VALUE && windows.isLate(time, streamTime);
        if (!late) {
            advanceStreamTime(time);
            if (time > latestEvent) {
                latestEvent = time;
                streamTimeStore.put(LATEST_EVENT_KEY, time);
            }
            refitter.advanceTo(streamTime);
        }
        state.remember(event.eventId(), time, dedupHorizonMs, streamTime);
        if (event instanceof CustomerEvent.Purchase purchase) {
            state.addPurchase(time, purchase.amountCents()); // before the insert: it asks the timeline about earlier days
            if (modelFitting.enabled()) {
                fitSample.offer(customerId, state.purchases(), modelFitting.segmentOf(state.profile()));
            }
        }
        TimelineEntry entry = TimelineEntry.of(event);
        CustomerTimeline.Changes changes = state.timeline().insert(entry, inactivity);
        List<SegmentDelta.CohortChange> cohortChanges = new ArrayList<>();
        state.cohort(cohorts.update(state.timeline(), state.cohort(), entry, streamTime, cohortChanges));
        SegmentDelta delta = segmentDelta(state.timeline(), changes, cohortChanges);
        context.forward(record.withKey(customerId).<CustomerOutput>withValue(new CustomerOutput.Delta(delta)));

        profiles.holding(customerId, state);
        checkDueAndLapses(record.timestamp());
        state.profile(churnRisk.apply(state.profile(), event, streamTime, record.timestamp()));
        if (lapses.moved(customerId, changes.pendingBefore(), changes.pendingAfter())) {
            state.profile(churnRisk.lapsed(customerId, state.profile(), changes.pendingAfter().at(), record.timestamp()));
        }
        profiles.release();
        states.put(customerId, state);
        if (late) {
            late(record, event);
        }
    }

    /** The delta of an insert into the timeline; then folds what is older than twice the horizon. */
    private SegmentDelta segmentDelta(CustomerTimeline timeline, CustomerTimeline.Changes changes,
                                      List<SegmentDelta.CohortChange> cohortChanges) {
        SegmentDelta delta = new SegmentContributions(dimensions, windows, inactivity).addAll(timeline, changes)
                .build(partition, streamTime, cohortChanges, latestEvent);
        timeline.prune(streamTime - 2 * windows.horizonMs(), inactivity);
        return delta;
    }

    /**
     * The churn-risk checks due before stream time, then the lapses it has reached (each ends its customer's tracking
     * with a CHURNED alert); stores how far both are done when that moved.
     */
    private void checkDueAndLapses(long sourceTimestamp) {
        churnRisk.checkDue(streamTime, sourceTimestamp);
        long handledBefore = lapses.handledBefore();
        lapses.reach(streamTime, (customerId, at) -> {
            CustomerProfile profile = profiles.get(customerId);
            if (profile != null && profile.active()) {
                profiles.put(customerId, churnRisk.lapsed(customerId, profile, at, sourceTimestamp));
            }
        });
        if (lapses.handledBefore() != handledBefore) {
            streamTimeStore.put(LAPSES_HANDLED_KEY, lapses.handledBefore());
        }
        if (churnRisk.checkedUpTo() != checkedStored) {
            checkedStored = churnRisk.checkedUpTo();
            streamTimeStore.put(DUE_CHECKED_KEY, checkedStored);
        }
    }

    private void late(Record<String, InputRecord> record, CustomerEvent event) {
        metrics.late(LateReason.BEYOND_GRACE);
        String reason = "event time " + Instant.ofEpochMilli(event.at()) + " is beyond grace for every window: stream time "
                + Instant.ofEpochMilli(streamTime) + ", grace " + Duration.ofMillis(windows.graceMs());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(LATE_REASON_HEADER, LateReason.BEYOND_GRACE.code().getBytes(StandardCharsets.UTF_8));
        headers.add(LATE_DETAIL_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<String, CustomerOutput>(event.customerId(), new CustomerOutput.Late(event, reason),
                record.timestamp(), headers));
    }

    private void publish(String customerId, ChurnRiskAlert alert, long sourceTimestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(OutputHeaders.SOURCE_TIMESTAMP, OutputHeaders.encodeTimestamp(sourceTimestamp));
        context.forward(new Record<String, CustomerOutput>(customerId, new CustomerOutput.Alert(alert), sourceTimestamp, headers));
    }

    private void publishModel(FittedModel model) {
        context.forward(new Record<String, CustomerOutput>(model.segment() + "|" + model.partition(),
                new CustomerOutput.Model(model), model.fittedAt()));
    }

    private void advanceStreamTime(long time) {
        if (time > streamTime) {
            streamTime = time;
            streamTimeStore.put(STREAM_TIME_KEY, time);
        }
    }

    /**
     * Profiles as the due checks see them: the customer whose event is being processed is the state in hand
     * (stored once, after its event), every other customer is read from and written back to the store.
     */
    private final class StoredProfiles implements ChurnRiskTracker.Profiles {
        private String heldId;
        private CustomerState held;
        /** The state a due check last read, so that writing its profile back does not read it again. */
        private String readId;
        private CustomerState read;

        void holding(String customerId, CustomerState state) {
            heldId = customerId;
            held = state;
        }

        void release() {
            heldId = null;
            held = null;
            readId = null;
            read = null;
        }

        /** The purchase summary of the customer being processed or last read by a due check. */
        PurchaseDays purchases(String customerId) {
            CustomerState state = customerId.equals(heldId) ? held : customerId.equals(readId) ? read : states.get(customerId);
            return state == null ? null : state.purchases();
        }

        @Override
        public CustomerProfile get(String customerId) {
            CustomerState state = customerId.equals(heldId) ? held : stored(customerId);
            return state == null ? null : state.profile();
        }

        private CustomerState stored(String customerId) {
            readId = customerId;
            read = states.get(customerId);
            return read;
        }

        @Override
        public void put(String customerId, CustomerProfile profile) {
            if (customerId.equals(heldId)) {
                held.profile(profile);
                return;
            }
            CustomerState state = customerId.equals(readId) ? read : states.get(customerId);
            if (state != null) {
                state.profile(profile);
                states.put(customerId, state);
            }
        }
    }
}
