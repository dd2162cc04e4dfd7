package org.retentionpulse.reference;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Compares two sets of final values the way the contract means them: same keys, and numerically equal values
 * ({@link BigDecimal#compareTo}, so {@code 2.0} equals {@code 2}), null only against null.
 */
public final class FinalValueComparison {

    private FinalValueComparison() {
    }

    /** One line per missing, unexpected or different key; empty when both sets agree. */
    public static List<String> differences(SortedMap<MetricKey, BigDecimal> expected,
                                           SortedMap<MetricKey, BigDecimal> actual) {
        TreeSet<MetricKey> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> differences = new ArrayList<>();
        for (MetricKey key : keys) {
            if (!actual.containsKey(key)) {
                differences.add("missing " + key + " (expected " + expected.get(key) + ")");
            } else if (!expected.containsKey(key)) {
                differences.add("unexpected " + key + " = " + actual.get(key));
            } else if (!sameValue(expected.get(key), actual.get(key))) {
                differences.add(key + ": expected " + expected.get(key) + " but was " + actual.get(key));
            }
        }
        return differences;
    }

    /** Null equals only null; numbers are equal when {@code compareTo} says so. */
    public static boolean sameValue(BigDecimal expected, BigDecimal actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        return expected.compareTo(actual) == 0;
    }
}
