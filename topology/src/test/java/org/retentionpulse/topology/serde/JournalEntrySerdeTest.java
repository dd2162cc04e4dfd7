package org.retentionpulse.topology.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.combine.JournalEntry;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.topology.delta.SegmentDelta;

/** The combiner's journal entries: version 2 round trips, version 1 (left in a changelog by the previous release) is read. */
class JournalEntrySerdeTest {
    /** {@link #changes()} and {@link #flushed()} as the previous release wrote them (version 1, fixed-width integers). */
    private static final String CHANGES_V1 = "010100000000000000070000018bcfe74a40000000010000018bcfe568000000018bcfe62b5000020003"
            + "616c6c0008706c616e3d70726f0000000200000000000000004cf4000000090000000000000001ffffffffffffffff00010000000000004cf4"
            + "000000090000000000000001ffffffffffffffff00000001000000020000000000004cd700000001000000000000000000000001000100000000"
            + "00004cf400056d6f76656400000000000000010000000100000000000000000afe0000000000000000000100000000000000000000000000000001"
            + "0000000000001387";
    private static final String FLUSHED_V1 = "010200000000000000070000018bcfe56800";

    private final JournalEntrySerde serde = new JournalEntrySerde();

    private static JournalEntry.Changes changes() {
        long[] counts = new long[Counter.COUNT];
        counts[0] = 1;
        counts[3] = -1;
        return new JournalEntry.Changes(7, 1_700_000_123_456L, new SegmentDelta.Contribution(1, 1_700_000_000_000L,
                List.of(new SegmentDelta.BucketChange("all", 19_700, counts), new SegmentDelta.BucketChange("plan=pro", 19_700, counts)),
                List.of(new SegmentDelta.CoverageChange("all", 2, 19_671, 1, 0, 0)),
                List.of(new SegmentDelta.ReasonChange("plan=pro", 19_700, "moved", 1)),
                List.of(new SegmentDelta.CohortChange("all", 2_814, 0, 1, 0, 1, 4_999)), 1_700_000_050_000L));
    }

    private static JournalEntry.Flushed flushed() {
        return new JournalEntry.Flushed(7, 1_700_000_000_000L);
    }

    /** Records compare their long[] by identity: this renders the counts' contents. */
    private static String render(JournalEntry entry) {
        if (!(entry instanceof JournalEntry.Changes e)) {
            return entry.toString();
        }
        SegmentDelta.Contribution c = e.contribution();
        return e.cycle() + "@" + e.timestamp() + " " + c.sourcePartition() + "/" + c.streamTime() + "/" + c.latestEvent()
                + c.buckets().stream().map(b -> b.segment() + b.bucket() + Arrays.toString(b.counts())).collect(Collectors.joining(","))
                + c.coverage() + c.reasons() + c.cohorts();
    }

    @Test
    void entriesRoundTripInTheCompactFormat() {
        byte[] bytes = serde.serialize("t", changes());
        assertEquals(2, bytes[0], "format version");
        assertEquals(render(changes()), render(serde.deserialize("t", bytes)));
        assertEquals(flushed(), serde.deserialize("t", serde.serialize("t", flushed())));
    }

    @Test
    void entriesThePreviousReleaseLeftInTheChangelogAreRead() {
        assertEquals(render(changes()), render(serde.deserialize("t", HexFormat.of().parseHex(CHANGES_V1))));
        assertEquals(flushed(), serde.deserialize("t", HexFormat.of().parseHex(FLUSHED_V1)));
    }

    @Test
    void theCompactFormatIsLessThanHalfTheFixedWidthOne() {
        int compact = serde.serialize("t", changes()).length;
        assertTrue(compact * 2 < CHANGES_V1.length() / 2, "compact " + compact + " bytes, fixed-width " + CHANGES_V1.length() / 2);
    }
}
