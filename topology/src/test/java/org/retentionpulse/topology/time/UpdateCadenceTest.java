package org.retentionpulse.topology.time;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpdateCadenceTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long BEHIND = Backlog.BEHIND.toMillis();

    /** The application's defaults: updates every 0.5 s, every 2 s while behind. */
    private static UpdateCadence everyHalfSecondAndTwoWhileBehind() {
        return new UpdateCadence(Duration.ofMillis(500), Duration.ofSeconds(2));
    }

    @Test
    void aLiveStagePublishesAtEveryPunctuation() {
        UpdateCadence cadence = everyHalfSecondAndTwoWhileBehind();
        cadence.read(NOW - 100);
        assertTrue(cadence.due(NOW));
        cadence.published(NOW);
        assertTrue(cadence.due(NOW + 500));
    }

    @Test
    void aStageBehindTheWallClockPublishesOncePerBacklogInterval() {
        UpdateCadence cadence = everyHalfSecondAndTwoWhileBehind();
        cadence.read(NOW - BEHIND - 1);
        assertTrue(cadence.due(NOW), "the first publication is never held back");
        cadence.published(NOW);
        assertFalse(cadence.due(NOW + 500));
        assertFalse(cadence.due(NOW + 1_999));
        assertTrue(cadence.due(NOW + 2_000));
    }

    @Test
    void aStageIsBehindWhileItsNewestRecordIsOlderThanTheThreshold() {
        UpdateCadence cadence = everyHalfSecondAndTwoWhileBehind();
        assertFalse(cadence.behind(NOW), "nothing read yet");
        cadence.read(NOW - BEHIND - 1);
        assertTrue(cadence.behind(NOW));
        cadence.read(NOW - 10);
        assertFalse(cadence.behind(NOW));
    }

    @Test
    void onlyAStageReadingABacklogPublishesTheLatestWindowOfEachSpecAlone() {
        UpdateCadence cadence = everyHalfSecondAndTwoWhileBehind();
        cadence.read(NOW - 100);
        assertFalse(cadence.latestWindowsOnly(NOW), "live: every open window");
        cadence.read(NOW - BEHIND - 1);
        assertFalse(cadence.latestWindowsOnly(NOW), "the newest record read decides, and it is live");
        UpdateCadence behind = everyHalfSecondAndTwoWhileBehind();
        behind.read(NOW - BEHIND - 1);
        assertTrue(behind.latestWindowsOnly(NOW));
        behind.published(NOW);
        assertFalse(behind.latestWindowsOnly(NOW + 2_000), "behind but nothing read since the last publication: every window");
    }

    @Test
    void aLiveRecordEndsTheBacklogCadenceAtTheNextPunctuation() {
        UpdateCadence cadence = everyHalfSecondAndTwoWhileBehind();
        cadence.read(NOW - 60_000);
        cadence.published(NOW);
        assertFalse(cadence.due(NOW + 500));
        cadence.read(NOW + 400);
        assertTrue(cadence.due(NOW + 500));
    }

    @Test
    void aRecordExactlyAtTheThresholdIsStillLive() {
        UpdateCadence cadence = everyHalfSecondAndTwoWhileBehind();
        cadence.read(NOW - BEHIND);
        cadence.published(NOW - 500);
        assertTrue(cadence.due(NOW));
    }

    @Test
    void aBacklogIntervalNoLongerThanTheIntervalNeverHoldsBack() {
        UpdateCadence cadence = new UpdateCadence(Duration.ofSeconds(1), Duration.ofSeconds(1));
        cadence.read(NOW - 60_000);
        cadence.published(NOW);
        assertTrue(cadence.due(NOW + 1_000));
    }

    @Test
    void aZeroIntervalPublishesNoUpdatesAndNegativeOnesAreRejected() {
        assertFalse(new UpdateCadence(Duration.ZERO, Duration.ZERO).publishes());
        assertTrue(new UpdateCadence(Duration.ofMillis(500), Duration.ZERO).publishes());
        assertThrows(IllegalArgumentException.class, () -> new UpdateCadence(Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new UpdateCadence(Duration.ZERO, Duration.ofMillis(-1)));
    }
}
