package org.retentionpulse.app.bench;

import java.util.Arrays;

/** Latency samples of one output (milliseconds) and their nearest-rank percentiles. Not thread-safe. */
public final class LatencyStats {
    private long[] samples = new long[1024];
    private int size;

    public void add(long millis) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = millis;
    }

    public void addAll(LatencyStats other) {
        for (int i = 0; i < other.size; i++) {
            add(other.samples[i]);
        }
    }

    public int count() {
        return size;
    }

    /** The nearest-rank {@code p}-th percentile (0 < p <= 100), or -1 without samples. */
    public long percentile(double p) {
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    public long max() {
        return percentile(100);
    }
}
