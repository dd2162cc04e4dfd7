package org.retentionpulse.tools.generator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A deterministic stream of synthetic customer events: signups, purchases, cancellations and survey
 * responses of a simulated population (see {@link GeneratorConfig}), in event-time order, optionally with
 * injected faults ({@link FaultRates}).
 *
 * <p>Read it as an iterator or {@link #stream()}, or write it to a sink with a pace:
 * <pre>{@code
 * EventGenerator generator = EventGenerator.create(config);
 * try (EventSink sink = JsonLinesSink.toFile(path)) {
 *     GenerationSummary summary = generator.writeTo(sink, progress -> log(progress));
 * }
 * }</pre>
 * Memory is proportional to the number of customers (plus events held back for out-of-order or late
 * delivery), never to the number of events. Not thread-safe, except {@link #stop()}.
 */
public final class EventGenerator implements Iterator<GeneratedEvent> {

    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;
    private static final long SLEEP_SLICE_NANOS = 100_000_000L;

    private final GeneratorConfig config;
    private final CustomerPopulation population;
    private final FaultInjector faults;
    private final Iterator<GeneratedEvent> events;
    private GeneratedEvent lookahead;
    private long generated;
    private Pacer pacer;
    private volatile boolean stopRequested;

    private EventGenerator(final GeneratorConfig config) {
        this.config = config;
        this.population = new CustomerPopulation(config);
        this.faults = config.faults().any() ? new FaultInjector(population, config) : null;
        this.events = faults != null ? faults : population;
    }

    /**
     * A generator for {@code config}. In live mode the stream starts now minus the configured backfill (the
     * configured start is replaced, to the millisecond).
     */
    public static EventGenerator create(final GeneratorConfig config) {
        return create(config, Clock.systemUTC());
    }

    /** {@link #create(GeneratorConfig)} with the clock that defines "now" for live mode. */
    public static EventGenerator create(final GeneratorConfig config, final Clock clock) {
        return new EventGenerator(config.live()
                ? config.withStart(clock.instant().truncatedTo(ChronoUnit.MILLIS).minus(config.backfill()))
                : config);
    }

    /** The configuration in effect (in live mode, with the actual start). */
    public GeneratorConfig config() {
        return config;
    }

    /** Events handed out so far, by {@link #next()} or written by {@link #writeTo}. */
    public long eventsGenerated() {
        return generated;
    }

    @Override
    public boolean hasNext() {
        if (lookahead != null) {
            return true;
        }
        return (config.targetEvents() == 0 || generated < config.targetEvents()) && events.hasNext();
    }

    @Override
    public GeneratedEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final GeneratedEvent event;
        if (lookahead != null) {
            event = lookahead;
            lookahead = null;
        } else {
            event = events.next();
            generated++;
        }
        return event;
    }

    /** The remaining events as a sequential stream. */
    public Stream<GeneratedEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Writes all remaining events; see {@link #writeTo(EventSink, long, ProgressListener)}. */
    public GenerationSummary writeTo(final EventSink sink, final ProgressListener listener) {
        return writeTo(sink, Long.MAX_VALUE, listener);
    }

    /**
     * Writes up to {@code maxEvents} of the remaining events to {@code sink} at the configured pace, reports
     * progress about once a second, and flushes the sink (it stays open). It returns early when
     * {@link #stop()} is called or the thread is interrupted (the interrupt flag is kept). A later call
     * carries on where this one stopped.
     */
    public GenerationSummary writeTo(final EventSink sink, final long maxEvents, final ProgressListener listener) {
        return writeTo(sink, maxEvents, listener, PaceClock.SYSTEM);
    }

    GenerationSummary writeTo(final EventSink sink, final long maxEvents, final ProgressListener listener,
                              final PaceClock clock) {
        final PaceClock stoppable = stoppable(clock);
        if (pacer == null) {
            pacer = Pacer.of(config, stoppable);
        }
        final long startNanos = clock.nanoTime();
        long lastReportNanos = startNanos;
        long written = 0;
        long streamTime = Long.MIN_VALUE;
        final long[] byFault = new long[Fault.values().length];
        while (written < maxEvents && !stopRequested && hasNext()) {
            final GeneratedEvent event = next();
            final long eventTime = Math.max(streamTime, event.occurredAt().toEpochMilli());
            try {
                pacer.awaitTurn(eventTime);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                lookahead = event;
                break;
            }
            if (stopRequested) {
                lookahead = event;
                break;
            }
            sink.write(event);
            streamTime = eventTime;
            written++;
            byFault[event.fault().ordinal()]++;
            final long now = clock.nanoTime();
            if (now - lastReportNanos >= PROGRESS_INTERVAL_NANOS) {
                lastReportNanos = now;
                listener.onProgress(progress(written, now - startNanos, streamTime, false));
            }
        }
        sink.flush();
        final long elapsedNanos = clock.nanoTime() - startNanos;
        listener.onProgress(progress(written, elapsedNanos, streamTime, true));
        final Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        for (final Fault fault : Fault.values()) {
            if (byFault[fault.ordinal()] > 0) {
                counts.put(fault, byFault[fault.ordinal()]);
            }
        }
        return new GenerationSummary(written, counts, Duration.ofNanos(elapsedNanos), !hasNext());
    }

    /** Makes a running {@link #writeTo} return soon (within 100 ms when it is waiting), and later ones at once. */
    public void stop() {
        stopRequested = true;
    }

    /** Customers still to produce events plus events held back: what this generator keeps in memory. */
    int inMemory() {
        return population.pending() + (faults == null ? 0 : faults.held());
    }

    /** Customers and guests simulated. */
    int populationSize() {
        return population.size();
    }

    private static GenerationProgress progress(final long written, final long elapsedNanos, final long streamTime,
                                               final boolean finished) {
        final double seconds = elapsedNanos / 1e9;
        return new GenerationProgress(written, Duration.ofNanos(elapsedNanos), seconds > 0 ? written / seconds : 0,
                streamTime == Long.MIN_VALUE ? null : Instant.ofEpochMilli(streamTime), finished);
    }

    /** Sleeps in slices, so {@link #stop()} also ends a long wait in live mode. */
    private PaceClock stoppable(final PaceClock clock) {
        return new PaceClock() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void sleepNanos(final long nanos) throws InterruptedException {
                long remaining = nanos;
                while (remaining > 0 && !stopRequested) {
                    final long slice = Math.min(remaining, SLEEP_SLICE_NANOS);
                    clock.sleepNanos(slice);
                    remaining -= slice;
                }
            }
        };
    }
}
