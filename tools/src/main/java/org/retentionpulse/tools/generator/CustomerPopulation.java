package org.retentionpulse.tools.generator;

import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * All simulated customers (and a few guests who buy without signing up), merged into one stream of clean
 * events in event-time order. A priority queue holds each customer once, ordered by its next event, so memory
 * grows with the number of customers, never with the number of events. Ties are broken by customer number.
 */
final class CustomerPopulation implements Iterator<GeneratedEvent> {

    /** Guests per signed-up customer. */
    static final double GUEST_SHARE = 0.03;

    private final PriorityQueue<SimulatedCustomer> queue;
    private final EventIds ids = EventIds.clean();
    private final int size;

    CustomerPopulation(final GeneratorConfig config) {
        final int guests = (int) Math.round(config.customers() * GUEST_SHARE);
        size = config.customers() + guests;
        queue = new PriorityQueue<>(Math.max(1, size),
                Comparator.comparingLong(SimulatedCustomer::nextAt).thenComparingInt(SimulatedCustomer::index));
        final int width = Math.max(6, Integer.toString(size).length());
        for (int i = 0; i < size; i++) {
            final boolean guest = i >= config.customers();
            final int number = guest ? i - config.customers() + 1 : i + 1;
            final String id = (guest ? "g" : "c") + zeroPadded(number, width);
            final SplittableRandom random = new SplittableRandom(customerSeed(config.seed(), i));
            final SimulatedCustomer customer = config.profile() == GeneratorConfig.Profile.SHOP
                    ? new ShopCustomer(i, id, guest, random, config)
                    : new SyntheticCustomer(i, id, guest, random, config);
            if (customer.nextAt() != SimulatedCustomer.NEVER) {
                queue.add(customer);
            }
        }
    }

    /**
     * A well-mixed seed per customer (the SplitMix64 finalizer over seed and number), so customer {@code i}
     * behaves the same whatever the population size.
     */
    static long customerSeed(final long seed, final int index) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String zeroPadded(final int number, final int width) {
        final String digits = Integer.toString(number);
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    /** Customers and guests, including those already done. */
    int size() {
        return size;
    }

    /** Customers that still have events to come: what the population holds in memory besides its constants. */
    int pending() {
        return queue.size();
    }

    @Override
    public boolean hasNext() {
        return !queue.isEmpty();
    }

    @Override
    public GeneratedEvent next() {
        final SimulatedCustomer customer = queue.poll();
        if (customer == null) {
            throw new NoSuchElementException();
        }
        final GeneratedEvent event = customer.emit(ids);
        if (customer.nextAt() != SimulatedCustomer.NEVER) {
            queue.add(customer);
        }
        return event;
    }
}
