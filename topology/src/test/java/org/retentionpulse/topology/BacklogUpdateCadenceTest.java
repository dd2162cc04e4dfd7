package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.retentionpulse.topology.RetentionPulseTopologyTest.key;
import static org.retentionpulse.topology.RetentionPulseTopologyTest.purchase;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.reference.MetricKey;
import org.retentionpulse.topology.combine.DeltaCombining;
import org.retentionpulse.topology.time.Backlog;

/**
 * The segment stage's update cadence through the whole topology: records appended long before the wall clock (a
 * backlog) are published at most once per backlog interval, live ones at every update punctuation, and what is
 * counted does not depend on when it was published.
 */
class BacklogUpdateCadenceTest {
    private static final Duration UPDATE_INTERVAL = Duration.ofMillis(500);
    // Two records per flush: every second record's changes reach the segment stage at once, whatever the wall clock.
    private static final DeltaCombining COMBINING = new DeltaCombining(Duration.ofMillis(100), 2);

    @Test
    void aStageReadingABacklogPublishesOncePerBacklogIntervalAndLiveRecordsAtTheNextPunctuation() {
        TopologyConfig config = PipelineDriver.config("P1D/P1D").withUpdateInterval(UPDATE_INTERVAL).withCombining(COMBINING);
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            Instant appended = pipeline.wallClock().minus(Duration.ofHours(1)); // an hour behind: a backlog
            pipeline.send("ann", purchase("p1", "ann", "2024-03-01T10:00:00Z"), appended);
            pipeline.send("bob", purchase("p2", "bob", "2024-03-01T10:05:00Z"), appended);
            pipeline.advanceWallClock(UPDATE_INTERVAL);
            assertTrue(updatesSince(pipeline) > 0, "the first publication is never held back");

            pipeline.send("cid", purchase("p3", "cid", "2024-03-01T10:10:00Z"), appended);
            pipeline.send("dan", purchase("p4", "dan", "2024-03-01T10:15:00Z"), appended);
            long ticks = Backlog.BEHIND.toMillis() / UPDATE_INTERVAL.toMillis();
            for (long i = 1; i < ticks; i++) {
                pipeline.advanceWallClock(UPDATE_INTERVAL);
                assertEquals(0, updatesSince(pipeline), "behind: no update " + i * UPDATE_INTERVAL.toMillis() + " ms after the last");
            }
            pipeline.advanceWallClock(UPDATE_INTERVAL);
            assertEquals(0, new BigDecimal("40.00").compareTo(revenue(pipeline)), "a backlog interval after the last: the held-back changes");

            Instant live = pipeline.wallClock();
            pipeline.send("eve", purchase("p5", "eve", "2024-03-01T10:20:00Z"), live);
            pipeline.send("fay", purchase("p6", "fay", "2024-03-01T10:25:00Z"), live);
            pipeline.advanceWallClock(UPDATE_INTERVAL);
            assertEquals(0, new BigDecimal("60.00").compareTo(revenue(pipeline)), "live records: published at the next punctuation");

            pipeline.closeAllWindows();
            assertEquals(0, new BigDecimal("60.00").compareTo(
                    pipeline.finals().get(key("revenue", "P1D/P1D", "all", "2024-03-01T00:00:00Z"))));
        }
    }

    @Test
    void behindAPublicationCoversTheLatestWindowOfEachSpecAndLiveEveryOpenWindow() {
        TopologyConfig config = PipelineDriver.config("P7D/P1D").withUpdateInterval(UPDATE_INTERVAL).withCombining(COMBINING);
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            Instant appended = pipeline.wallClock().minus(Duration.ofHours(1));
            pipeline.send("ann", purchase("p1", "ann", "2024-03-01T10:00:00Z"), appended);
            pipeline.send("bob", purchase("p2", "bob", "2024-03-03T10:00:00Z"), appended);
            pipeline.advanceWallClock(COMBINING.interval()); // the combiner's flush of bob's changes, before the update punctuation
            pipeline.advanceWallClock(UPDATE_INTERVAL.minus(COMBINING.interval()));
            Set<Instant> behind = windowStartsSince(pipeline);
            assertEquals(Set.of(Instant.parse("2024-03-03T00:00:00Z")), behind,
                    "behind: only the latest of the seven open windows that stream time has reached");
            pipeline.advanceWallClock(Backlog.BEHIND);
            assertEquals(days("2024-02-26T00:00:00Z", 6), windowStartsSince(pipeline),
                    "nothing read since: the open windows left out, so that none keeps a stale update");

            Instant live = pipeline.wallClock();
            pipeline.send("cid", purchase("p3", "cid", "2024-03-03T11:00:00Z"), live);
            pipeline.send("dan", purchase("p4", "dan", "2024-03-03T12:00:00Z"), live);
            pipeline.advanceWallClock(UPDATE_INTERVAL);
            assertEquals(days("2024-02-26T00:00:00Z", 7), windowStartsSince(pipeline), "live: every open window the records changed");

            pipeline.closeAllWindows();
            SortedMap<MetricKey, BigDecimal> finals = pipeline.finals();
            assertEquals(0, new BigDecimal("10.00").compareTo(finals.get(key("revenue", "P7D/P1D", "all", "2024-02-24T00:00:00Z"))),
                    "a window that closed while behind, with no update, has its exact final");
            assertEquals(0, new BigDecimal("40.00").compareTo(finals.get(key("revenue", "P7D/P1D", "all", "2024-03-01T00:00:00Z"))));
        }
    }

    private static Set<Instant> days(String first, int n) {
        Set<Instant> days = new HashSet<>();
        for (int day = 0; day < n; day++) {
            days.add(Instant.parse(first).plus(Duration.ofDays(day)));
        }
        return days;
    }

    /** The window starts of the updates (not finals) published since the last call. */
    private Set<Instant> windowStartsSince(PipelineDriver pipeline) {
        List<MetricUpdate> all = pipeline.updates();
        Set<Instant> starts = new HashSet<>();
        for (MetricUpdate u : all.subList(seen, all.size())) {
            if (!u.getFinal$()) {
                starts.add(u.getWindowStart());
            }
        }
        seen = all.size();
        return starts;
    }

    @Test
    void withoutCombiningEveryPunctuationPublishesWhateverTheRecordsAge() {
        TopologyConfig config = PipelineDriver.config("P1D/P1D").withUpdateInterval(UPDATE_INTERVAL)
                .withCombining(DeltaCombining.PER_RECORD);
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            Instant appended = pipeline.wallClock().minus(Duration.ofHours(1));
            pipeline.send("ann", purchase("p1", "ann", "2024-03-01T10:00:00Z"), appended);
            pipeline.advanceWallClock(UPDATE_INTERVAL);
            assertTrue(updatesSince(pipeline) > 0);
            pipeline.send("bob", purchase("p2", "bob", "2024-03-01T10:05:00Z"), appended);
            pipeline.advanceWallClock(UPDATE_INTERVAL);
            assertEquals(0, new BigDecimal("20.00").compareTo(revenue(pipeline)));
        }
    }

    private int seen;

    /** Updates published since the last call (the driver's list only grows). */
    private int updatesSince(PipelineDriver pipeline) {
        int all = pipeline.updates().size();
        int fresh = all - seen;
        seen = all;
        return fresh;
    }

    /** The latest revenue update of the open 03-01 window for segment all, and marks every update so far as seen. */
    private BigDecimal revenue(PipelineDriver pipeline) {
        updatesSince(pipeline);
        BigDecimal latest = null;
        for (MetricUpdate u : pipeline.updates()) {
            if (u.getMetric().equals("revenue") && u.getSegment().equals("all") && !u.getFinal$()) {
                latest = u.getValue();
            }
        }
        return latest;
    }
}
