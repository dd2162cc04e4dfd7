package org.retentionpulse.reference;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;

/** One final metric value; {@code value} is null where the contract says the metric is null. */
public record FinalValue(MetricKey key, BigDecimal value) {

    /** Collects values into a key-sorted map that keeps nulls; a key listed twice is an error. */
    public static SortedMap<MetricKey, BigDecimal> toSortedMap(Collection<FinalValue> values) {
        SortedMap<MetricKey, BigDecimal> map = new TreeMap<>();
        for (FinalValue value : values) {
            if (map.containsKey(value.key())) {
                throw new IllegalArgumentException("final value listed twice: " + value.key());
            }
            map.put(value.key(), value.value());
        }
        return map;
    }
}
