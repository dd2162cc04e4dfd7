package org.retentionpulse.tools.generator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;

import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;

/**
 * One simulated customer: a small state machine that knows the time of its next event and produces it on
 * demand, so a population costs memory per customer, not per event.
 *
 * <p>The model, per active period (from a signup to its cancellation):
 * <ul>
 *   <li>a latent satisfaction {@code z ~ N(0, 1)} drives the survey scores and the churn hazard
 *       ({@code ~ exp(-0.9 z)}), so detractors churn several times more often than promoters;</li>
 *   <li>a purchase rate drawn once per customer from a gamma distribution with shape 0.5 (BG/NBD-style
 *       heterogeneity: most customers buy rarely, a few often), a first purchase within days of signing up
 *       for 60% of them, and a personal lognormal spend level that grows with the plan;</li>
 *   <li>churn is a cancellation, or for 40% of churners a silent stop (no more purchases or surveys,
 *       no cancellation); half of the churners buy less and less, and answer surveys worse, in the
 *       45 days before;</li>
 *   <li>a quarter of the cancelling customers sign up again, a day plus about a month (exponential) later,
 *       40% of them on a newly drawn plan.</li>
 * </ul>
 * A guest never signs up: it only buys, at a low rate, from a random time in the period on.
 */
final class SyntheticCustomer implements SimulatedCustomer {

    static final long DAY_MILLIS = 86_400_000L;
    static final double SURVEYS_PER_DAY = 1.0 / 30;

    private static final double INITIAL_COHORT_SHARE = 0.30;
    private static final long INITIAL_COHORT_SPREAD_MILLIS = 3_600_000L;
    private static final double PURCHASE_RATE_SHAPE = 0.5;
    private static final double ONBOARDING_PURCHASE_PROBABILITY = 0.6;
    private static final double ONBOARDING_PURCHASE_MEAN_DAYS = 1.5;
    private static final double SATISFACTION_PURCHASE_EFFECT = 0.2;
    private static final double GUEST_PURCHASES_PER_MONTH = 0.5;
    private static final double BASE_ORDER_VALUE = 30.0;
    private static final double PLAN_SPEND_STEP = 1.6;
    private static final double FREE_ORDER_PROBABILITY = 0.003;
    private static final double SATISFACTION_CHURN_EFFECT = 0.9;
    // E[exp(-0.9 z)] for z ~ N(0, 1), so the average hazard equals the configured churn rate.
    private static final double MEAN_CHURN_MULTIPLIER = Math.exp(SATISFACTION_CHURN_EFFECT * SATISFACTION_CHURN_EFFECT / 2);
    private static final double PLAN_CHURN_STEP = 0.2;
    private static final double SILENT_CHURN_SHARE = 0.4;
    private static final double DECLINE_SHARE = 0.5;
    private static final long DECLINE_MILLIS = 45 * DAY_MILLIS;
    private static final double DECLINE_FLOOR = 0.15;
    private static final double DECLINE_SATISFACTION_DROP = 1.0;
    private static final double REACTIVATION_PROBABILITY = 0.25;
    private static final double REACTIVATION_MEAN_DAYS = 30;
    private static final double REACTIVATION_PLAN_CHANGE = 0.4;
    private static final double REACTIVATION_SATISFACTION_BONUS = 0.3;
    private static final double MISSING_CHANNEL_PROBABILITY = 0.02;
    private static final double SURVEY_NOISE = 0.7;
    private static final double COMMENT_PROBABILITY = 0.2;

    private static final String[] NEGATIVE_COMMENTS = {
        "too expensive", "support was slow", "checkout kept failing", "missing features we need"};
    private static final String[] NEUTRAL_COMMENTS = {"ok overall", "delivery could be faster"};
    private static final String[] POSITIVE_COMMENTS = {"great service", "love the product", "fast delivery"};
    private static final String[] UNHAPPY_REASONS = {"poor_experience", "support", "price"};
    private static final String[] COMMON_REASONS = {"price", "no_longer_needed", "switched_provider"};

    private final int index;
    private final String id;
    private final boolean guest;
    private final SplittableRandom random;
    private final GeneratorConfig config;
    private final long endMillis;

    private int plan;
    private final int country;
    private final int channel;
    private final boolean channelMissing;
    private double satisfaction;
    private final double purchasesPerDay;
    private final double spendLevel;

    private long churnAt = NEVER;
    private boolean silentChurn;
    private long declineFrom = NEVER;

    private long nextSignup = NEVER;
    private long nextPurchase = NEVER;
    private long nextSurvey = NEVER;
    private long nextCancellation = NEVER;
    private long nextAt = NEVER;

    /** Customer number {@code index}, drawing from its own generator so the population stays reproducible. */
    SyntheticCustomer(final int index, final String id, final boolean guest, final SplittableRandom random,
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
        channelMissing = random.nextDouble() < MISSING_CHANNEL_PROBABILITY;
        final String channelName = config.channels().value(channel);
        final double channelEffect = "referral".equals(channelName) ? 0.3 : "paid".equals(channelName) ? -0.2 : 0;
        satisfaction = random.nextGaussian() + channelEffect;
        spendLevel = spendLevel(random, plan);

        final double meanPerMonth = guest ? GUEST_PURCHASES_PER_MONTH : config.meanPurchasesPerMonth();
        final double rate = meanPerMonth <= 0 ? 0 : RandomDraws.gamma(random, PURCHASE_RATE_SHAPE, meanPerMonth / 30);
        purchasesPerDay = guest ? rate : rate * Math.exp(SATISFACTION_PURCHASE_EFFECT * satisfaction);

        final long periodMillis = endMillis - startMillis;
        if (guest) {
            final long firstVisit = startMillis + RandomDraws.uniformMillis(random, periodMillis);
            nextPurchase = firstVisit;
        } else if (random.nextDouble() < INITIAL_COHORT_SHARE) {
            nextSignup = startMillis + RandomDraws.uniformMillis(random, INITIAL_COHORT_SPREAD_MILLIS);
        } else {
            nextSignup = startMillis + RandomDraws.uniformMillis(random, periodMillis);
        }
        reschedule();
    }

    /** A customer's personal order value: lognormal around a level that grows with the plan. */
    static double spendLevel(final SplittableRandom random, final int plan) {
        return BASE_ORDER_VALUE * Math.pow(PLAN_SPEND_STEP, plan) * RandomDraws.lognormalFactor(random, 0.45);
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
        final long at = nextAt();
        final Instant occurredAt = Instant.ofEpochMilli(at);
        final GeneratedEvent event;
        if (at == nextSignup) {
            nextSignup = NEVER;
            startPeriod(at);
            event = GeneratedEvent.of(signup(ids.nextEventId(), occurredAt), id, occurredAt, Fault.NONE);
        } else if (at == nextCancellation) {
            nextCancellation = NEVER;
            endPeriod(at);
            event = GeneratedEvent.of(new Cancellation(ids.nextEventId(), id, occurredAt, cancellationReason()),
                    id, occurredAt, Fault.NONE);
        } else if (at == nextPurchase) {
            nextPurchase = purchaseAfter(at);
            event = GeneratedEvent.of(new Purchase(ids.nextEventId(), id, occurredAt, ids.nextOrderId(),
                    orderAmount(random, spendLevel), config.currency()), id, occurredAt, Fault.NONE);
        } else {
            nextSurvey = surveyAfter(at);
            event = GeneratedEvent.of(survey(ids.nextEventId(), occurredAt, at), id, occurredAt, Fault.NONE);
        }
        reschedule();
        return event;
    }

    private Signup signup(final String eventId, final Instant occurredAt) {
        return new Signup(eventId, id, occurredAt, config.plans().value(plan), config.countries().value(country),
                channelMissing ? null : config.channels().value(channel));
    }

    private void startPeriod(final long at) {
        final double hazardPerDay = -Math.log1p(-config.monthlyChurnRate()) / 30
                * Math.exp(-SATISFACTION_CHURN_EFFECT * satisfaction) / MEAN_CHURN_MULTIPLIER
                / (1 + PLAN_CHURN_STEP * plan);
        final long lifetime = config.regimeChange() == null
                ? RandomDraws.waitMillis(random, hazardPerDay, endMillis - at)
                : config.regimeChange().churnWait(random, hazardPerDay, at, endMillis - at, config.plans().value(plan));
        churnAt = lifetime < 0 ? NEVER : at + lifetime;
        silentChurn = random.nextDouble() < SILENT_CHURN_SHARE;
        declineFrom = churnAt != NEVER && random.nextDouble() < DECLINE_SHARE
                ? Math.max(at, churnAt - DECLINE_MILLIS) : NEVER;
        nextCancellation = silentChurn ? NEVER : churnAt;
        if (purchasesPerDay > 0 && random.nextDouble() < ONBOARDING_PURCHASE_PROBABILITY) {
            final long wait = RandomDraws.waitMillis(random, 1 / ONBOARDING_PURCHASE_MEAN_DAYS, endMillis - at);
            nextPurchase = wait < 0 || at + wait >= churnAt ? purchaseAfter(at) : at + wait;
        } else {
            nextPurchase = purchaseAfter(at);
        }
        nextSurvey = surveyAfter(at);
    }

    private void endPeriod(final long at) {
        churnAt = NEVER;
        declineFrom = NEVER;
        nextPurchase = NEVER;
        nextSurvey = NEVER;
        if (random.nextDouble() < REACTIVATION_PROBABILITY) {
            final long wait = RandomDraws.waitMillis(random, 1 / REACTIVATION_MEAN_DAYS, endMillis - at);
            nextSignup = wait < 0 ? NEVER : at + DAY_MILLIS + wait;
            if (random.nextDouble() < REACTIVATION_PLAN_CHANGE) {
                plan = config.plans().pickIndex(random);
            }
            satisfaction += REACTIVATION_SATISFACTION_BONUS;
        }
    }

    /** The next purchase after {@code at} under the current (possibly declining) rate, by thinning. */
    private long purchaseAfter(final long at) {
        final long stop = Math.min(churnAt, endMillis);
        long candidate = at;
        while (true) {
            final long wait = RandomDraws.waitMillis(random, purchasesPerDay, stop - candidate);
            if (wait < 0 || candidate + wait >= stop) {
                return NEVER;
            }
            candidate += wait;
            if (candidate < declineFrom || random.nextDouble() < engagement(candidate)) {
                return candidate;
            }
        }
    }

    private long surveyAfter(final long at) {
        if (guest) {
            return NEVER;
        }
        final long stop = Math.min(churnAt, endMillis);
        final long wait = RandomDraws.waitMillis(random, SURVEYS_PER_DAY, stop - at);
        return wait < 0 || at + wait >= stop ? NEVER : at + wait;
    }

    /** 1 before the decline, falling linearly to {@link #DECLINE_FLOOR} at churn. */
    private double engagement(final long at) {
        if (at < declineFrom) {
            return 1;
        }
        final double progress = (double) (at - declineFrom) / Math.max(1, churnAt - declineFrom);
        return 1 - (1 - DECLINE_FLOOR) * Math.min(1, progress);
    }

    /** One order's amount around the customer's spend level; now and then a free order. */
    static BigDecimal orderAmount(final SplittableRandom random, final double spendLevel) {
        if (random.nextDouble() < FREE_ORDER_PROBABILITY) {
            return BigDecimal.ZERO.setScale(2);
        }
        final long cents = Math.round(spendLevel * RandomDraws.lognormalFactor(random, 0.35) * 100);
        return BigDecimal.valueOf(Math.max(1, cents), 2);
    }

    private SurveyResponse survey(final String eventId, final Instant occurredAt, final long at) {
        final double drop = DECLINE_SATISFACTION_DROP * (1 - engagement(at)) / (1 - DECLINE_FLOOR);
        return surveyResponse(random, eventId, id, occurredAt, satisfaction - drop);
    }

    /**
     * A survey answer of a customer whose satisfaction is {@code satisfaction}, with noise: NPS half of the time,
     * CSAT 30%, CES 20%, and now and then a comment in the answer's mood.
     */
    static SurveyResponse surveyResponse(final SplittableRandom random, final String eventId, final String customerId,
                                         final Instant occurredAt, final double satisfaction) {
        final double mood = satisfaction + SURVEY_NOISE * random.nextGaussian();
        final double kind = random.nextDouble();
        final SurveyType type;
        final int score;
        if (kind < 0.5) {
            type = SurveyType.NPS;
            score = clamp(Math.round(7.9 + 1.8 * mood), 0, 10);
        } else if (kind < 0.8) {
            type = SurveyType.CSAT;
            score = clamp(Math.round(4.1 + 0.9 * mood), 1, 5);
        } else {
            // CES as the spec scores it (100 * mean / 5): 5 = effortless, 1 = very hard, so unhappy customers score low.
            type = SurveyType.CES;
            score = clamp(Math.round(3.6 + 0.9 * mood), 1, 5);
        }
        return new SurveyResponse(eventId, customerId, occurredAt, type, score, comment(random, mood));
    }

    private static String comment(final SplittableRandom random, final double mood) {
        if (random.nextDouble() >= COMMENT_PROBABILITY) {
            return null;
        }
        final String[] choices = mood < -0.5 ? NEGATIVE_COMMENTS : mood < 0.5 ? NEUTRAL_COMMENTS : POSITIVE_COMMENTS;
        return choices[random.nextInt(choices.length)];
    }

    private String cancellationReason() {
        final double u = random.nextDouble();
        if (u < 0.15) {
            return null;
        }
        final String[] choices = satisfaction < -0.5 && u < 0.7 ? UNHAPPY_REASONS : COMMON_REASONS;
        return choices[random.nextInt(choices.length)];
    }

    private static int clamp(final long value, final int min, final int max) {
        return (int) Math.max(min, Math.min(max, value));
    }

    /** Drops events at or after the period's end and caches the time of the next one (the queue's sort key). */
    private void reschedule() {
        if (nextSignup >= endMillis) {
            nextSignup = NEVER;
        }
        if (nextCancellation >= endMillis) {
            nextCancellation = NEVER;
        }
        if (nextPurchase >= endMillis) {
            nextPurchase = NEVER;
        }
        if (nextSurvey >= endMillis) {
            nextSurvey = NEVER;
        }
        nextAt = Math.min(Math.min(nextSignup, nextCancellation), Math.min(nextPurchase, nextSurvey));
    }
}
