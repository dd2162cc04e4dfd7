package org.retentionpulse.tools.generator;

import java.time.Instant;
import java.util.SplittableRandom;

import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;

/**
 * One simulated shop customer ({@link GeneratorConfig.Profile#SHOP}): it never cancels, it stops buying.
 *
 * <p>The model:
 * <ul>
 *   <li>a customer signs up (30% in the first hour, the rest spread over the period) and buys in a rhythm of its
 *       own: a personal mean gap between orders (lognormal around {@code 30 / meanPurchasesPerMonth} days, shorter
 *       for more satisfied customers), each gap drawn around it (gamma with shape 3: regular, not memoryless);</li>
 *   <li>after each order the customer stops buying with the probability that the configured monthly churn rate
 *       gives for one gap (higher for unhappy customers, as for subscriptions); a stopped customer answers no
 *       more surveys;</li>
 *   <li>35% of those who stop come back after a long pause (three of their gaps plus about 45 days, exponential):
 *       under {@code churn.inactivity} they have lapsed meanwhile, and their next order is a reactivation;</li>
 *   <li>surveys as for subscriptions, about one per month while the customer buys;</li>
 *   <li>a guest never signs up: it buys in the same way from a random time in the period on.</li>
 * </ul>
 */
final class ShopCustomer implements SimulatedCustomer {

    private static final long DAY_MILLIS = SyntheticCustomer.DAY_MILLIS;
    private static final double INITIAL_COHORT_SHARE = 0.30;
    private static final long INITIAL_COHORT_SPREAD_MILLIS = 3_600_000L;
    private static final double ONBOARDING_PURCHASE_MEAN_DAYS = 2;
    private static final double GAP_SPREAD = 0.6;
    private static final double GAP_SHAPE = 3;
    private static final double SATISFACTION_GAP_EFFECT = 0.2;
    private static final double SATISFACTION_STOP_EFFECT = 0.9;
    // E[exp(-0.9 z)] for z ~ N(0, 1), so the average stop hazard equals the configured churn rate.
    private static final double MEAN_STOP_MULTIPLIER = Math.exp(SATISFACTION_STOP_EFFECT * SATISFACTION_STOP_EFFECT / 2);
    private static final double COMEBACK_PROBABILITY = 0.35;
    private static final double COMEBACK_PAUSE_GAPS = 3;
    private static final double COMEBACK_MEAN_EXTRA_DAYS = 45;
    private static final double GUEST_GAP_FACTOR = 2;

    private final int index;
    private final String id;
    private final boolean guest;
    private final SplittableRandom random;
    private final GeneratorConfig config;
    private final long endMillis;

    private final int plan;
    private final int country;
    private final int channel;
    private final boolean channelMissing;
    private final double satisfaction;
    private final double meanGapDays;
    private final double spendLevel;

    private long nextSignup = NEVER;
    private long nextPurchase = NEVER;
    private long nextSurvey = NEVER;
    private long nextAt = NEVER;

    ShopCustomer(final int index, final String id, final boolean guest, final SplittableRandom random,
                 final GeneratorConfig config) {
        this.index = index;
        this.id = id;
        this.guest = guest;
        this.random = random;
        this.config = config;
        this.endMillis = config.end().toEpochMilli();
        final long startMillis = config.start().toEpochMilli();

        plan = config.plans().pickIndex(random);
        country = config.countries().pickIndex(random);
        channel = config.channels().pickIndex(random);
        channelMissing = random.nextDouble() < 0.02;
        satisfaction = random.nextGaussian();
        spendLevel = SyntheticCustomer.spendLevel(random, plan);
        final double perMonth = Math.max(0.05, config.meanPurchasesPerMonth());
        meanGapDays = 30 / perMonth * RandomDraws.lognormalFactor(random, GAP_SPREAD)
                * Math.exp(-SATISFACTION_GAP_EFFECT * satisfaction) * (guest ? GUEST_GAP_FACTOR : 1);

        final long periodMillis = endMillis - startMillis;
        if (guest) {
            nextPurchase = startMillis + RandomDraws.uniformMillis(random, periodMillis);
        } else if (random.nextDouble() < INITIAL_COHORT_SHARE) {
            nextSignup = startMillis + RandomDraws.uniformMillis(random, INITIAL_COHORT_SPREAD_MILLIS);
        } else {
            nextSignup = startMillis + RandomDraws.uniformMillis(random, periodMillis);
        }
        reschedule();
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public long nextAt() {
        return nextAt;
    }

    @Override
    public GeneratedEvent emit(final EventIds ids) {
        final long at = nextAt;
        final Instant occurredAt = Instant.ofEpochMilli(at);
        final GeneratedEvent event;
        if (at == nextSignup) {
            nextSignup = NEVER;
            final long wait = RandomDraws.waitMillis(random, 1 / ONBOARDING_PURCHASE_MEAN_DAYS, endMillis - at);
            nextPurchase = wait < 0 ? NEVER : at + wait;
            nextSurvey = surveyAfter(at);
            event = GeneratedEvent.of(signup(ids.nextEventId(), occurredAt), id, occurredAt, Fault.NONE);
        } else if (at == nextPurchase) {
            scheduleAfterPurchase(at);
            event = GeneratedEvent.of(new Purchase(ids.nextEventId(), id, occurredAt, ids.nextOrderId(),
                    SyntheticCustomer.orderAmount(random, spendLevel), config.currency()), id, occurredAt, Fault.NONE);
        } else {
            nextSurvey = surveyAfter(at);
            event = GeneratedEvent.of(SyntheticCustomer.surveyResponse(random, ids.nextEventId(), id, occurredAt,
                    satisfaction), id, occurredAt, Fault.NONE);
        }
        reschedule();
        return event;
    }

    /** The next order after one at {@code at}: one gap later, or after a long pause, or never. */
    private void scheduleAfterPurchase(final long at) {
        final double gapDays = RandomDraws.gamma(random, GAP_SHAPE, meanGapDays);
        if (random.nextDouble() >= stopProbability(gapDays)) {
            nextPurchase = at + Math.max(1, Math.round(gapDays * DAY_MILLIS));
            return;
        }
        nextSurvey = NEVER;
        if (random.nextDouble() < COMEBACK_PROBABILITY) {
            final double pauseDays = COMEBACK_PAUSE_GAPS * meanGapDays
                    + random.nextExponential() * COMEBACK_MEAN_EXTRA_DAYS;
            nextPurchase = at + Math.round(pauseDays * DAY_MILLIS);
            nextSurvey = guest ? NEVER : surveyAfter(nextPurchase);
        } else {
            nextPurchase = NEVER;
        }
    }

    /** The chance of stopping within one gap of {@code gapDays} at the configured monthly churn rate. */
    private double stopProbability(final double gapDays) {
        final double hazardPerDay = -Math.log1p(-config.monthlyChurnRate()) / 30
                * Math.exp(-SATISFACTION_STOP_EFFECT * satisfaction) / MEAN_STOP_MULTIPLIER;
        return 1 - Math.exp(-hazardPerDay * gapDays);
    }

    private long surveyAfter(final long at) {
        if (guest) {
            return NEVER;
        }
        final long wait = RandomDraws.waitMillis(random, SyntheticCustomer.SURVEYS_PER_DAY, endMillis - at);
        return wait < 0 ? NEVER : at + wait;
    }

    private Signup signup(final String eventId, final Instant occurredAt) {
        return new Signup(eventId, id, occurredAt, config.plans().value(plan), config.countries().value(country),
                channelMissing ? null : config.channels().value(channel));
    }

    /** Drops events at or after the period's end and caches the time of the next one (the queue's sort key). */
    private void reschedule() {
        nextSignup = nextSignup >= endMillis ? NEVER : nextSignup;
        nextPurchase = nextPurchase >= endMillis ? NEVER : nextPurchase;
        nextSurvey = nextSurvey >= endMillis ? NEVER : nextSurvey;
        nextAt = Math.min(nextSignup, Math.min(nextPurchase, nextSurvey));
    }
}
