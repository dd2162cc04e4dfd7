package org.retentionpulse.tools.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that determines a synthetic event stream. The same configuration always yields the same
 * events, with the same ids, in the same order (live mode shifts them to start now, nothing else).
 *
 * @param seed                  seed of every random choice
 * @param customers             number of customers who sign up; a few guests who never sign up are added
 *                              (about 3% as many, making about 1-2% of purchases)
 * @param start                 event time of the period's start; an initial cohort (30%) signs up in its first hour
 * @param days                  length of the period; no event is at or after {@code start + days}
 * @param targetEvents          stop after this many written events (duplicates and invalid lines included); 0 = no cap
 * @param plans                 plans with weights, cheapest first: later plans spend more and churn a little less
 * @param countries             countries with weights
 * @param channels              acquisition channels with weights; {@code referral} customers are a bit more
 *                              satisfied and {@code paid} ones a bit less, when those names are present
 * @param currency              currency of every valid purchase (the pipeline's reporting currency)
 * @param meanPurchasesPerMonth average purchase rate of an active customer per 30 days (heavily skewed across customers)
 * @param monthlyChurnRate      average probability per 30 days that an active customer churns (cancels or silently stops)
 * @param faults                faults to inject; {@link FaultRates#NONE} by default
 * @param eventsPerSecond       pace of {@link EventGenerator#writeTo}; 0 = as fast as possible
 * @param live                  event time follows wall-clock time: the stream starts now and each event is written
 *                              when its time comes (divided by {@code speedup}); {@code eventsPerSecond} is then ignored
 * @param speedup               how much faster than real time a live stream runs, e.g. 1440 = one day per minute
 * @param backfill              live mode only: the stream starts this long before now, and the events of that history
 *                              are written as fast as the sink takes them before the live pace begins at "now"
 *                              (so windows have their customers and their values from the first seconds)
 * @param regimeChange          a change of one plan's churn rate from a given instant (null: none)
 * @param profile               what kind of business the customers belong to: subscriptions (signups and
 *                              cancellations, the default) or a shop (customers never cancel, they stop buying)
 */
public record GeneratorConfig(
        long seed,
        int customers,
        Instant start,
        int days,
        long targetEvents,
        WeightedValues plans,
        WeightedValues countries,
        WeightedValues channels,
        String currency,
        double meanPurchasesPerMonth,
        double monthlyChurnRate,
        FaultRates faults,
        double eventsPerSecond,
        boolean live,
        double speedup,
        Duration backfill,
        RegimeChange regimeChange,

        Profile profile) {

    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");
    public static final WeightedValues DEFAULT_PLANS = WeightedValues.of(ordered(
            "basic", 0.55, "pro", 0.35, "team", 0.10));
    public static final WeightedValues DEFAULT_COUNTRIES = WeightedValues.of(ordered(
            "DE", 0.28, "FR", 0.16, "GB", 0.13, "ES", 0.10, "IT", 0.10, "NL", 0.09, "AT", 0.07, "CH", 0.07));
    public static final WeightedValues DEFAULT_CHANNELS = WeightedValues.of(ordered(
            "organic", 0.45, "paid", 0.30, "referral", 0.15, "partner", 0.10));

    public GeneratorConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(plans, "plans");
        Objects.requireNonNull(countries, "countries");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(backfill, "backfill");
        Objects.requireNonNull(profile, "profile");
        if (customers < 1) {
            throw new IllegalArgumentException("customers must be positive, got " + customers);
        }
        if (days < 1) {
            throw new IllegalArgumentException("days must be positive, got " + days);
        }
        if (targetEvents < 0) {
            throw new IllegalArgumentException("targetEvents must not be negative (0 = no cap), got " + targetEvents);
        }
        if (!currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency must be an ISO-4217 code, got '" + currency + "'");
        }
        if (!(meanPurchasesPerMonth >= 0) || Double.isInfinite(meanPurchasesPerMonth)) {
            throw new IllegalArgumentException("meanPurchasesPerMonth must be a non-negative number");
        }
        if (!(monthlyChurnRate >= 0 && monthlyChurnRate < 1)) {
            throw new IllegalArgumentException("monthlyChurnRate must be within [0, 1)");
        }
        if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be a non-negative number (0 = unpaced)");
        }
        if (!(speedup > 0) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException("speedup must be positive");
        }
        if (backfill.isNegative() || backfill.compareTo(Duration.ofDays(days)) > 0) {
            throw new IllegalArgumentException("backfill must be within [0, days], got " + backfill);
        }
    }

    /**
     * The kind of business simulated. {@link #SUBSCRIPTION}: {@link SyntheticCustomer}, customers sign up and
     * cancel. {@link #SHOP}: {@link ShopCustomer}, customers buy in a rhythm of their own, never cancel, some
     * stop buying and some of those come back (contract section 7, {@code churn.inactivity}).
     */
    public enum Profile {
        SUBSCRIPTION, SHOP;

        /** {@code subscription} or {@code shop}, any case. */
        public static Profile parse(final String text) {
            for (final Profile profile : values()) {
                if (profile.name().equalsIgnoreCase(text.trim())) {
                    return profile;
                }
            }
            throw new IllegalArgumentException("profile must be subscription or shop, got '" + text + "'");
        }
    }

    /** The defaults: seed 42, 10,000 customers, 90 days from 2024-01-01, EUR, no faults, unpaced. */
    public static GeneratorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Live mode: the event time from which events are paced (the start plus the backfill). */
    public Instant liveFrom() {
        return start.plus(backfill);
    }

    /** The exclusive end of the period. */
    public Instant end() {
        return start.plus(Duration.ofDays(days));
    }

    /** This configuration starting at {@code newStart} instead. */
    public GeneratorConfig withStart(final Instant newStart) {
        return toBuilder().start(newStart).build();
    }

    private static Map<String, Double> ordered(final Object... valuesAndWeights) {
        final Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < valuesAndWeights.length; i += 2) {
            map.put((String) valuesAndWeights[i], (Double) valuesAndWeights[i + 1]);
        }
        return map;
    }

    /** Builds a {@link GeneratorConfig}, starting from the defaults. */
    public static final class Builder {
        private long seed = 42;
        private int customers = 10_000;
        private Instant start = DEFAULT_START;
        private int days = 90;
        private long targetEvents;
        private WeightedValues plans = DEFAULT_PLANS;
        private WeightedValues countries = DEFAULT_COUNTRIES;
        private WeightedValues channels = DEFAULT_CHANNELS;
        private String currency = "EUR";
        private double meanPurchasesPerMonth = 1.5;
        private double monthlyChurnRate = 0.05;
        private FaultRates faults = FaultRates.NONE;
        private double eventsPerSecond;
        private boolean live;
        private double speedup = 1;
        private Duration backfill = Duration.ZERO;
        private RegimeChange regimeChange;
        private Profile profile = Profile.SUBSCRIPTION;

        private Builder() {
        }

        private Builder(final GeneratorConfig config) {
            seed = config.seed;
            customers = config.customers;
            start = config.start;
            days = config.days;
            targetEvents = config.targetEvents;
            plans = config.plans;
            countries = config.countries;
            channels = config.channels;
            currency = config.currency;
            meanPurchasesPerMonth = config.meanPurchasesPerMonth;
            monthlyChurnRate = config.monthlyChurnRate;
            faults = config.faults;
            eventsPerSecond = config.eventsPerSecond;
            live = config.live;
            speedup = config.speedup;
            backfill = config.backfill;
            regimeChange = config.regimeChange;
            profile = config.profile;
        }

        public Builder seed(final long value) {
            seed = value;
            return this;
        }

        public Builder customers(final int value) {
            customers = value;
            return this;
        }

        public Builder start(final Instant value) {
            start = value;
            return this;
        }

        public Builder days(final int value) {
            days = value;
            return this;
        }

        public Builder targetEvents(final long value) {
            targetEvents = value;
            return this;
        }

        public Builder plans(final WeightedValues value) {
            plans = value;
            return this;
        }

        public Builder countries(final WeightedValues value) {
            countries = value;
            return this;
        }

        public Builder channels(final WeightedValues value) {
            channels = value;
            return this;
        }

        public Builder currency(final String value) {
            currency = value;
            return this;
        }

        public Builder meanPurchasesPerMonth(final double value) {
            meanPurchasesPerMonth = value;
            return this;
        }

        public Builder monthlyChurnRate(final double value) {
            monthlyChurnRate = value;
            return this;
        }

        public Builder faults(final FaultRates value) {
            faults = value;
            return this;
        }

        public Builder eventsPerSecond(final double value) {
            eventsPerSecond = value;
            return this;
        }

        public Builder live(final boolean value) {
            live = value;
            return this;
        }

        public Builder speedup(final double value) {
            speedup = value;
            return this;
        }

        public Builder backfill(final Duration value) {
            backfill = value;
            return this;
        }

        public Builder regimeChange(final RegimeChange value) {
            regimeChange = value;
            return this;
        }

        public Builder profile(final Profile value) {
            profile = value;
            return this;
        }

        public GeneratorConfig build() {
            return new GeneratorConfig(seed, customers, start, days, targetEvents, plans, countries, channels,
                    currency, meanPurchasesPerMonth, monthlyChurnRate, faults, eventsPerSecond, live, speedup, backfill, regimeChange, profile);
        }
    }
}
