package org.retentionpulse.topology.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * The bounded, deterministic sample a model is fitted on: the {@code max} customers whose id hashes lowest
 * (a bottom-k sample), i.e. those below the hash threshold that lets exactly {@code max} through. The same
 * population gives the same sample on every instance; as the population grows a customer only leaves the
 * sample when a customer with a lower hash arrives, so consecutive fits see mostly the same customers; and
 * the hash is independent of anything the model looks at, so the sample is a uniform one.
 *
 * <p>The hash is the first 64 bits of the MD5 of the id's UTF-8 bytes ({@link UUID#nameUUIDFromBytes}):
 * stable across JVMs and releases, unlike {@link String#hashCode}'s poor spread.
 */
public final class FitSample {
    private FitSample() {
    }

    /** The id's sampling hash. */
    public static long hash(String customerId) {
        return UUID.nameUUIDFromBytes(customerId.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    }

    /** At most {@code max} values of {@code population}: all of them, or those of the {@code max} lowest id hashes. */
    public static <T> List<T> of(Map<String, T> population, int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("sample size must be positive, got " + max);
        }
        if (population.size() <= max) {
            return new ArrayList<>(population.values());
        }
        record Entry<T>(long hash, String id, T value) {
        }
        Comparator<Entry<T>> order = Comparator.<Entry<T>>comparingLong(Entry::hash).thenComparing(Entry::id);
        PriorityQueue<Entry<T>> highestFirst = new PriorityQueue<>(max + 1, order.reversed());
        population.forEach((id, value) -> {
            highestFirst.add(new Entry<>(hash(id), id, value));
            if (highestFirst.size() > max) {
                highestFirst.poll();
            }
        });
        return highestFirst.stream().sorted(order).map(Entry::value).toList();
    }
}
