package org.retentionpulse.topology.customer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.StreamTimeTick;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.topology.metrics.SegmentDelta;
import org.retentionpulse.topology.time.WindowSet;

/**
 * The customer stage, partitioned by customer id: drops duplicate event ids, keeps each customer's
 * {@link CustomerTimeline}, tracks this task's stream time, flags late events, and emits what every event
 * changes in the segment aggregates as a {@link SegmentDelta} carrying the task's watermark, and passes every
 * accepted event with the stream time on to churn-risk tracking.
 */
public final class CustomerProcessor implements Processor<String, SpecificRecord, String, CustomerOutput> {
    /** customer_id -> {@link CustomerTimeline}; events older than twice the horizon are folded into its base. */
    public static final String TIMELINE_STORE = "customer-timelines";
    /** Window store: event_id at its event time -> 1; retention = the dedup horizon. */
    public static final String EVENT_ID_STORE = "seen-event-ids";
    /** {@value #STREAM_TIME_KEY} -> this task's stream time: max event time of accepted events and ticks. */
    public static final String STREAM_TIME_STORE = "customer-stream-time";
    public static final String STREAM_TIME_KEY = "stream-time";

    /** Header of a late-events record: its {@link LateReason#code()}. */
    public static final String LATE_REASON_HEADER = "retention-pulse.late.reason";
    /** Header of a late-events record: the event time, stream time and grace that made it late. */
    public static final String LATE_DETAIL_HEADER = "retention-pulse.late.detail";

    private final WindowSet windows;
    private final List<Dimension> dimensions;
    private final long dedupHorizonMs;
    private final CustomerMetrics metrics;

    private ProcessorContext<String, CustomerOutput> context;
    private KeyValueStore<String, CustomerTimeline> timelines;
    private WindowStore<String, Long> seenEventIds;
    private KeyValueStore<String, Long> streamTimeStore;
    private int partition;
    private long streamTime = Long.MIN_VALUE;

    public CustomerProcessor(WindowSet windows, List<Dimension> dimensions, Duration dedupHorizon, CustomerMetrics metrics) {
        this.windows = windows;
        this.dimensions = dimensions;
        this.dedupHorizonMs = dedupHorizon.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, CustomerOutput> context) {
        this.context = context;
        this.timelines = context.getStateStore(TIMELINE_STORE);
        this.seenEventIds = context.getStateStore(EVENT_ID_STORE);
        this.streamTimeStore = context.getStateStore(STREAM_TIME_STORE);
        this.partition = context.taskId().partition();
        Long stored = streamTimeStore.get(STREAM_TIME_KEY);
        this.streamTime = stored == null ? Long.MIN_VALUE : stored;
        metrics.init(context);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        if (value instanceof StreamTimeTick tick) {
            advanceStreamTime(tick.getAt().toEpochMilli());
            context.forward(record.<String>withKey(null).<CustomerOutput>withValue(new CustomerOutput.Delta(SegmentDelta.watermark(partition, streamTime))));
            context.forward(record.<String>withKey(null).<CustomerOutput>withValue(
                    new CustomerOutput.Observed(null, streamTime, tick.getEndOfInput())));
            return;
        }
        String eventId = EventType.eventId(value);
        long time = EventType.occurredAtMillis(value);
        if (isDuplicate(eventId, time)) {
            metrics.duplicate();
            return;
        }
        seenEventIds.put(eventId, 1L, time);
        metrics.accepted(EventType.of(value));

        boolean late = streamTime != Long.MIN_VALUE && windows.isLate(time, streamTime);
        if (!late) {
            advanceStreamTime(time);
        }
        String customerId = EventType.customerId(value);
        CustomerTimeline timeline = timelines.get(customerId);
        if (timeline == null) {
            timeline = new CustomerTimeline();
        }
        List<CustomerTimeline.FactChange> changes = timeline.insert(entryOf(value, time));
        SegmentDelta delta = new SegmentContributions(dimensions, windows).addAll(timeline, changes).build(partition, streamTime);
        timeline.prune(streamTime - 2 * windows.horizonMs());
        timelines.put(customerId, timeline);

        context.forward(record.withKey(customerId).<CustomerOutput>withValue(new CustomerOutput.Delta(delta)));
        context.forward(record.withKey(customerId).<CustomerOutput>withValue(new CustomerOutput.Observed(value, streamTime, false)));
        if (late) {
            metrics.late(LateReason.BEYOND_GRACE);
            String reason = "event time " + Instant.ofEpochMilli(time) + " is beyond grace for every window: stream time "
                    + Instant.ofEpochMilli(streamTime) + ", grace " + Duration.ofMillis(windows.graceMs());
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            headers.add(LATE_REASON_HEADER, LateReason.BEYOND_GRACE.code().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            headers.add(LATE_DETAIL_HEADER, reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            context.forward(new Record<String, CustomerOutput>(customerId, new CustomerOutput.Late(value, reason),
                    record.timestamp(), headers));
        }
    }

    private boolean isDuplicate(String eventId, long time) {
        try (WindowStoreIterator<Long> seen = seenEventIds.fetch(eventId,
                Instant.ofEpochMilli(saturatedSubtract(time, dedupHorizonMs)), Instant.ofEpochMilli(saturatedAdd(time, dedupHorizonMs)))) {
            return seen.hasNext();
        }
    }

    private void advanceStreamTime(long time) {
        if (time > streamTime) {
            streamTime = time;
            streamTimeStore.put(STREAM_TIME_KEY, time);
        }
    }

    private static TimelineEntry entryOf(SpecificRecord event, long time) {
        if (event instanceof Signup s) {
            return TimelineEntry.signup(time, new Dimensions(s.getPlan(), s.getCountry(), s.getChannel()));
        } else if (event instanceof Cancellation) {
            return TimelineEntry.cancellation(time);
        } else if (event instanceof Purchase p) {
            return TimelineEntry.purchase(time, p.getAmount().movePointRight(2).longValueExact());
        } else if (event instanceof SurveyResponse r) {
            return TimelineEntry.survey(time, r.getSurvey(), r.getScore());
        }
        throw new IllegalArgumentException("not a customer event: " + event.getSchema().getFullName());
    }

    private static long saturatedSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : Math.max(r, 0);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
