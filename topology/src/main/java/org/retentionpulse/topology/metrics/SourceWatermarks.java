package org.retentionpulse.topology.metrics;

import java.util.Arrays;
import org.retentionpulse.topology.time.WindowSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream time of every customer task (input partition) as the segment stage last heard it. Windows close at
 * the minimum: a lagging, restarting or rebalanced customer task holds windows open instead of having its events cut
 * off by a faster one. Persisted as {@link AggregateKey.Watermark} entries.
 */
final class SourceWatermarks {
    private static final Logger log = LoggerFactory.getLogger(SourceWatermarks.class);

    private long[] times;

    SourceWatermarks(int sourcePartitions) {
        times = new long[sourcePartitions];
        Arrays.fill(times, Long.MIN_VALUE);
    }

    /** Raises the stream time of {@code source}; true when it moved. */
    boolean advance(int source, long time) {
        if (source >= times.length) {
            log.warn("Segment delta from customer partition {} but {} source partitions are configured; "
                    + "windows now wait for {} partitions", source, times.length, source + 1);
            int old = times.length;
            times = Arrays.copyOf(times, source + 1);
            Arrays.fill(times, old, times.length, Long.MIN_VALUE);
        }
        if (time <= times[source]) {
            return false;
        }
        times[source] = time;
        return true;
    }

    /** The stream time last heard from {@code source} ({@code Long.MIN_VALUE} before its first watermark). */
    long of(int source) {
        return source < times.length ? times[source] : Long.MIN_VALUE;
    }

    /** The watermark windows close at ({@link WindowSet#isClosed}): the slowest customer task's stream time. */
    long min() {
        long min = Long.MAX_VALUE;
        for (long t : times) {
            min = Math.min(min, t);
        }
        return times.length == 0 ? Long.MIN_VALUE : min;
    }

    /** The fastest customer task's stream time: open windows up to it get updates. */
    long max() {
        long max = Long.MIN_VALUE;
        for (long t : times) {
            max = Math.max(max, t);
        }
        return max;
    }
}
