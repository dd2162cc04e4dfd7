package org.retentionpulse.topology.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;

/** The segment-deltas format: version 6 round trips, version 5 (the previous release's) is still read, and 6 is smaller. */
class SegmentDeltaSerdeTest {
    /** {@link #batch()} as the previous release (format 5, fixed-width integers) wrote it. */
    private static final String BATCH_V5 = "05030000000000000002000000010008706c616e3d70726f000000020000000000004cf4000000210000"
            + "000000000003fffffffffffffffe0000000000004cf70000000400000000000000010000000200010000000000004cee000000010000000000"
            + "00000200020000000000004ce0ffffffff0000000100000000000000010000000000004cf7000d746f6f5f657870656e7369766500000000"
            + "00000001000000010000000000000afe000300000000000000010000000000000001ffffffffffffffff0000000000003039";
    private static final String WATERMARK_V5 = "0502000000010000018bcfe568000000018bcfe6eea0";

    private final SegmentDeltaSerde serde = new SegmentDeltaSerde();

    private static long[] counts(int... counterAndValue) {
        long[] c = new long[Counter.COUNT];
        for (int i = 0; i < counterAndValue.length; i += 2) {
            c[counterAndValue[i]] = counterAndValue[i + 1];
        }
        return c;
    }

    private static SegmentDelta.Batch batch() {
        return new SegmentDelta.Batch(0, 2, List.of(new SegmentDelta.Changes("plan=pro",
                List.of(new SegmentDelta.BucketChange("plan=pro", 19_700, counts(0, 3, 5, -2)),
                        new SegmentDelta.BucketChange("plan=pro", 19_703, counts(2, 1))),
                List.of(new SegmentDelta.CoverageChange("plan=pro", 1, 19_694, 1, 0, 2),
                        new SegmentDelta.CoverageChange("plan=pro", 2, 19_680, -1, 1, 0)),
                List.of(new SegmentDelta.ReasonChange("plan=pro", 19_703, "too_expensive", 1)),
                List.of(new SegmentDelta.CohortChange("plan=pro", 2_814, 3, 1, 1, -1, 12_345)))));
    }

    /** Records compare their long[] by identity: this renders the counts' contents. */
    private static String render(SegmentDelta delta) {
        if (!(delta instanceof SegmentDelta.Batch b)) {
            return delta.toString();
        }
        return b.partition() + "/" + b.sourcePartition() + b.changes().stream().map(c -> c.segment()
                + c.buckets().stream().map(x -> x.bucket() + Arrays.toString(x.counts())).collect(Collectors.joining(","))
                + c.coverage() + c.reasons() + c.cohorts()).collect(Collectors.joining(";"));
    }

    @Test
    void aBatchRoundTripsInTheCompactFormat() {
        byte[] bytes = serde.serialize("t", batch());
        assertEquals(6, bytes[0], "format version");
        assertEquals(render(batch()), render(serde.deserialize("t", bytes)));
    }

    @Test
    void keysThatGoDownBetweenEntriesRoundTrip() {
        // coverage entries of two specs: the second spec's window index is far below the first's
        SegmentDelta.Batch batch = new SegmentDelta.Batch(1, 0, List.of(new SegmentDelta.Changes("all", List.of(),
                List.of(new SegmentDelta.CoverageChange("all", 0, 20_000, 1, 1, 1),
                        new SegmentDelta.CoverageChange("all", 2, 600, -3, 0, 7)),
                List.of(), List.of(new SegmentDelta.CohortChange("all", Long.MAX_VALUE / 2, 0, 1, 0, 0, -99)))));
        assertEquals(render(batch), render(serde.deserialize("t", serde.serialize("t", batch))));
    }

    @Test
    void thePreviousReleasesBatchesAndWatermarksAreStillRead() {
        assertEquals(render(batch()), render(serde.deserialize("t", HexFormat.of().parseHex(BATCH_V5))));
        assertEquals(new SegmentDelta.Watermark(1, 1_700_000_000_000L, 1_700_000_100_000L),
                serde.deserialize("t", HexFormat.of().parseHex(WATERMARK_V5)));
    }

    @Test
    void theCompactFormatIsLessThanHalfTheFixedWidthOne() {
        int compact = serde.serialize("t", batch()).length;
        int fixedWidth = BATCH_V5.length() / 2;
        assertTrue(compact * 2 < fixedWidth, "compact " + compact + " bytes, fixed-width " + fixedWidth);
    }
}
