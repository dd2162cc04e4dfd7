package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;

/**
 * Statistical sanity of the simulated population (20,000 customers over 180 days): the
 * signals the pipeline's churn-risk alerts look for must be there.
 */
class PopulationBehaviourTest {

    private static final long DAY = SyntheticCustomer.DAY_MILLIS;
    private static final GeneratorConfig CONFIG = GeneratorConfig.builder().seed(2024).customers(20_000).days(180).build();

    private static final Map<String, History> HISTORIES = new HashMap<>();
    private static final List<BigDecimal> AMOUNTS = new ArrayList<>();
    private static final int[] NPS_SCORES = new int[11];

    /** What one signed-up customer did. */
    private static final class History {
        long firstSignup = -1;
        long firstCancellation = -1;
        int firstNps = -1;
        final List<Long> purchases = new ArrayList<>();
    }

    @BeforeAll
    static void simulate() {
        EventGenerator.create(CONFIG).forEachRemaining(event -> {
            final long at = event.occurredAt().toEpochMilli();
            if (event.record() instanceof Signup) {
                final History history = HISTORIES.computeIfAbsent(event.customerId(), id -> new History());
                if (history.firstSignup < 0) {
                    history.firstSignup = at;
                }
                return;
            }
            if (event.record() instanceof Purchase purchase) {
                AMOUNTS.add(purchase.getAmount());
            }
            final History history = HISTORIES.get(event.customerId());
            if (history == null) {
                return;
            }
            if (event.record() instanceof Cancellation && history.firstCancellation < 0) {
                history.firstCancellation = at;
            } else if (event.record() instanceof Purchase) {
                history.purchases.add(at);
            } else if (event.record() instanceof SurveyResponse response && response.getSurvey() == SurveyType.NPS) {
                NPS_SCORES[response.getScore()]++;
                if (history.firstNps < 0) {
                    history.firstNps = response.getScore();
                }
            }
        });
    }

    @Test
    void detractorsCancelClearlyMoreOftenThanPromoters() {
        final double detractors = cancellationRate(0, 6);
        final double promoters = cancellationRate(9, 10);
        assertTrue(detractors > 2.5 * promoters && detractors - promoters > 0.05,
                "detractors " + detractors + " vs promoters " + promoters);
    }

    private static double cancellationRate(final int lowestScore, final int highestScore) {
        long customers = 0;
        long cancelled = 0;
        for (final History history : HISTORIES.values()) {
            if (history.firstNps >= lowestScore && history.firstNps <= highestScore) {
                customers++;
                if (history.firstCancellation >= 0) {
                    cancelled++;
                }
            }
        }
        assertTrue(customers > 1_000, "enough respondents between " + lowestScore + " and " + highestScore);
        return cancelled / (double) customers;
    }

    @Test
    void npsScoresSpanTheScaleWithARealisticMix() {
        long total = 0;
        for (final int count : NPS_SCORES) {
            total += count;
        }
        final double promoters = (NPS_SCORES[9] + NPS_SCORES[10]) / (double) total;
        final double detractors = sum(NPS_SCORES, 0, 6) / (double) total;
        for (int score = 0; score <= 10; score++) {
            assertTrue(NPS_SCORES[score] > 0, "someone scores " + score);
        }
        assertTrue(promoters > 0.2 && promoters < 0.6, "promoters " + promoters);
        assertTrue(detractors > 0.1 && detractors < 0.4, "detractors " + detractors);
    }

    private static long sum(final int[] counts, final int from, final int to) {
        long sum = 0;
        for (int i = from; i <= to; i++) {
            sum += counts[i];
        }
        return sum;
    }

    @Test
    void aFifthOfTheCustomersMakeMostOfThePurchases() {
        final List<Integer> counts = HISTORIES.values().stream().map(history -> history.purchases.size())
                .sorted(Comparator.reverseOrder()).toList();
        final long total = counts.stream().mapToLong(Integer::longValue).sum();
        final long top = counts.subList(0, counts.size() / 5).stream().mapToLong(Integer::longValue).sum();
        final long buyers = counts.stream().filter(count -> count > 0).count();
        assertTrue(top > 0.5 * total, "top 20% make " + top + " of " + total + " purchases");
        assertTrue(buyers > 0.6 * counts.size(), "most customers buy at least once: " + buyers);
    }

    @Test
    void purchasesThinOutBeforeACancellation() {
        long lastMonth = 0;
        long monthBefore = 0;
        long churners = 0;
        for (final History history : HISTORIES.values()) {
            final long cancelledAt = history.firstCancellation;
            if (cancelledAt < 0 || cancelledAt - 60 * DAY < history.firstSignup) {
                continue;
            }
            churners++;
            for (final long at : history.purchases) {
                if (at < cancelledAt && at >= cancelledAt - 30 * DAY) {
                    lastMonth++;
                } else if (at < cancelledAt - 30 * DAY && at >= cancelledAt - 60 * DAY) {
                    monthBefore++;
                }
            }
        }
        assertTrue(churners > 200, "enough long-lived churners: " + churners);
        assertTrue(lastMonth < 0.8 * monthBefore, "purchases in the last 30 days before cancelling " + lastMonth
                + " vs the 30 days before " + monthBefore);
    }

    @Test
    void someCustomersGoQuietWithoutCancelling() {
        final long end = CONFIG.end().toEpochMilli();
        long regulars = 0;
        long quiet = 0;
        for (final History history : HISTORIES.values()) {
            final List<Long> purchases = history.purchases;
            if (history.firstCancellation >= 0 || purchases.size() < 8) {
                continue;
            }
            regulars++;
            // The gaps after the onboarding purchase; a steady buyer falls silent this long about 1 time in 500.
            final long last = purchases.get(purchases.size() - 1);
            final double typicalGap = (last - purchases.get(1)) / (double) (purchases.size() - 2);
            if (end - last > 8 * typicalGap && end - last > 14 * DAY) {
                quiet++;
            }
        }
        assertTrue(quiet > regulars * 0.008, quiet + " of " + regulars + " regular buyers went quiet without cancelling");
    }

    @Test
    void orderValuesAreExactCentsWithALongTail() {
        final List<BigDecimal> sorted = AMOUNTS.stream().sorted().toList();
        final BigDecimal total = sorted.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        final BigDecimal mean = total.divide(BigDecimal.valueOf(sorted.size()), java.math.RoundingMode.HALF_EVEN);
        final BigDecimal median = sorted.get(sorted.size() / 2);
        sorted.forEach(amount -> assertEquals(2, amount.scale()));
        assertTrue(sorted.get(0).signum() >= 0);
        assertTrue(mean.compareTo(median) > 0, "right-skewed: mean " + mean + " > median " + median);
        assertTrue(sorted.get(sorted.size() - 1).compareTo(median.multiply(BigDecimal.valueOf(5))) > 0);
    }
}
