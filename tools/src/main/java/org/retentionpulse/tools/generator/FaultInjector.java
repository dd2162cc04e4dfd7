package org.retentionpulse.tools.generator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.schemas.serde.CanonicalJson;

/**
 * Breaks a clean, ordered event stream on purpose, at the rates of {@link FaultRates}: duplicates follow
 * their original, invalid records are added beside the event that triggered them, and delayed events are held
 * back until the stream's event time has moved past their release time.
 *
 * <p>It draws from its own random generator, so the clean events (and their ids) are the same whether
 * faults are on or off; only their order and company change.
 */
final class FaultInjector implements Iterator<GeneratedEvent> {

    private static final long SEED_SALT = 0x5DEECE66DL;
    private static final long LATE_SPREAD_MILLIS = SyntheticCustomer.DAY_MILLIS;
    private static final List<Fault> INVALID_KINDS = List.of(Fault.INVALID_SCORE, Fault.INVALID_AMOUNT_SCALE,
            Fault.NEGATIVE_AMOUNT, Fault.WRONG_CURRENCY, Fault.MISSING_EVENT_ID, Fault.NOT_JSON);
    private static final List<String> OTHER_CURRENCIES = List.of("USD", "GBP", "CHF", "JPY", "EUR");

    private final Iterator<GeneratedEvent> clean;
    private final FaultRates rates;
    private final String currency;
    private final long endMillis;
    private final SplittableRandom random;
    private final EventIds ids = EventIds.injected();
    private final ArrayDeque<GeneratedEvent> ready = new ArrayDeque<>();
    private final PriorityQueue<Held> held = new PriorityQueue<>(
            Comparator.comparingLong(Held::releaseAt).thenComparingLong(Held::sequence));
    private long heldSequence;

    FaultInjector(final Iterator<GeneratedEvent> clean, final GeneratorConfig config) {
        this.clean = clean;
        this.rates = config.faults();
        this.currency = config.currency();
        this.endMillis = config.end().toEpochMilli();
        this.random = new SplittableRandom(CustomerPopulation.customerSeed(config.seed() ^ SEED_SALT, -1));
    }

    /** Events held back for later: with the population, all the generator keeps in memory. */
    int held() {
        return held.size();
    }

    @Override
    public boolean hasNext() {
        return !ready.isEmpty() || clean.hasNext() || !held.isEmpty();
    }

    @Override
    public GeneratedEvent next() {
        while (ready.isEmpty()) {
            if (clean.hasNext()) {
                accept(clean.next());
            } else if (!held.isEmpty()) {
                release(held.poll());
            } else {
                throw new NoSuchElementException();
            }
        }
        return ready.poll();
    }

    private void accept(final GeneratedEvent event) {
        final long at = event.occurredAt().toEpochMilli();
        while (!held.isEmpty() && held.peek().releaseAt() <= at) {
            release(held.poll());
        }
        // Always three draws per event, so one fault's rate does not shift another's choices.
        final double invalidDraw = random.nextDouble();
        final double delayDraw = random.nextDouble();
        final boolean duplicate = random.nextDouble() < rates.duplicateRate();
        if (invalidDraw < rates.invalidRate()) {
            ready.add(invalidBeside(event));
        }
        if (delayDraw < rates.outOfOrderRate()) {
            final long delay = 1 + RandomDraws.uniformMillis(random, rates.maxOutOfOrderDelay().toMillis());
            hold(event.withFault(Fault.OUT_OF_ORDER), at + delay, duplicate);
            return;
        }
        if (delayDraw < rates.outOfOrderRate() + rates.lateRate() && mayArriveLate(event.record())) {
            final long delay = rates.minLateDelay().toMillis() + RandomDraws.uniformMillis(random, LATE_SPREAD_MILLIS);
            // A late event needs newer events after it; past the period's end nothing would make it late.
            if (at + delay < endMillis) {
                hold(event.withFault(Fault.LATE), at + delay, duplicate);
                return;
            }
        }
        emit(event, duplicate);
    }

    /** Purchases and survey responses: late lifecycle events would contradict the customer's later ones. */
    private static boolean mayArriveLate(final SpecificRecord record) {
        return record instanceof Purchase || record instanceof SurveyResponse;
    }

    private void hold(final GeneratedEvent event, final long releaseAt, final boolean duplicate) {
        held.add(new Held(event, releaseAt, heldSequence++, duplicate));
    }

    private void release(final Held entry) {
        emit(entry.event(), entry.duplicate());
    }

    private void emit(final GeneratedEvent event, final boolean duplicate) {
        ready.add(event);
        if (duplicate) {
            ready.add(event.withFault(Fault.DUPLICATE));
        }
    }

    /** A record the pipeline must reject, of a customer of the triggering event, at its event time. */
    private GeneratedEvent invalidBeside(final GeneratedEvent trigger) {
        final String customerId = trigger.customerId();
        final Instant at = trigger.occurredAt();
        final Fault kind = INVALID_KINDS.get(random.nextInt(INVALID_KINDS.size()));
        final BigDecimal amount = BigDecimal.valueOf(100 + random.nextInt(20_000), 2);
        return switch (kind) {
            case INVALID_SCORE -> {
                final SurveyType survey = SurveyType.values()[random.nextInt(SurveyType.values().length)];
                final int high = survey == SurveyType.NPS ? 11 : 6;
                final int low = survey == SurveyType.NPS ? -1 : 0;
                yield GeneratedEvent.of(new SurveyResponse(ids.nextEventId(), customerId, at, survey,
                        random.nextBoolean() ? high : low, null), customerId, at, kind);
            }
            case INVALID_AMOUNT_SCALE -> {
                final Purchase valid = purchase(customerId, at, amount, currency);
                final String line = CanonicalJson.formatEvent(valid);
                final BigDecimal threeDecimals = amount.add(BigDecimal.valueOf(1 + random.nextInt(9), 3));
                final String twoDecimalsField = "\"amount\":\"" + amount.toPlainString() + "\"";
                final String threeDecimalsField = "\"amount\":\"" + threeDecimals.toPlainString() + "\"";
                valid.setAmount(threeDecimals);
                yield new GeneratedEvent(valid, customerId, at, kind,
                        Optional.of(line.replace(twoDecimalsField, threeDecimalsField)));
            }
            case NEGATIVE_AMOUNT ->
                    GeneratedEvent.of(purchase(customerId, at, amount.negate(), currency), customerId, at, kind);
            case WRONG_CURRENCY -> {
                final List<String> others = OTHER_CURRENCIES.stream().filter(c -> !c.equals(currency)).toList();
                final String wrong = others.get(random.nextInt(others.size()));
                yield GeneratedEvent.of(purchase(customerId, at, amount, wrong), customerId, at, kind);
            }
            case MISSING_EVENT_ID -> {
                final Purchase purchase = purchase(customerId, at, amount, currency);
                purchase.setEventId("");
                yield GeneratedEvent.of(purchase, customerId, at, kind);
            }
            case NOT_JSON -> {
                final Purchase purchase = purchase(customerId, at, amount, currency);
                final String line = CanonicalJson.formatEvent(purchase);
                // Cut inside the object, as a crashed writer would: never valid JSON.
                final int cut = line.length() / 3 + random.nextInt(line.length() / 2);
                yield new GeneratedEvent(purchase, customerId, at, kind, Optional.of(line.substring(0, cut)));
            }
            default -> throw new IllegalStateException("not an invalid kind: " + kind);
        };
    }

    private Purchase purchase(final String customerId, final Instant at, final BigDecimal amount,
                              final String purchaseCurrency) {
        return new Purchase(ids.nextEventId(), customerId, at, ids.nextOrderId(), amount, purchaseCurrency);
    }

    /** An event waiting for the stream to reach its release time. */
    private record Held(GeneratedEvent event, long releaseAt, long sequence, boolean duplicate) {
    }
}
