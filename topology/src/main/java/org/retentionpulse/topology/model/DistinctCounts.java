package org.retentionpulse.topology.model;

import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The distinct repeat-purchase counts {@code x} of some customers, ascending, each with the number of customers
 * that have it. A likelihood's terms that depend on {@code x} alone (log-gamma functions of {@code r + x},
 * {@code p x}, ...) are then computed once per distinct value and weighted by its count, not once per customer:
 * counts are whole purchase days, so a sample of 10,000 customers has a few dozen distinct values (80 in a
 * generated one of 199 days). Ascending, so the sums are the same on every run.
 */
final class DistinctCounts {
    private final int[] values;
    private final int[] customers;

    private DistinctCounts(int[] values, int[] customers) {
        this.values = values;
        this.customers = customers;
    }

    static DistinctCounts of(IntStream x) {
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        x.forEach(v -> counts.merge(v, 1, Integer::sum));
        return new DistinctCounts(counts.keySet().stream().mapToInt(Integer::intValue).toArray(),
                counts.values().stream().mapToInt(Integer::intValue).toArray());
    }

    /** The number of distinct values. */
    int size() {
        return values.length;
    }

    /** The {@code k}-th smallest distinct value. */
    int value(int k) {
        return values[k];
    }

    /** How many customers have the {@code k}-th value. */
    int customers(int k) {
        return customers[k];
    }
}
