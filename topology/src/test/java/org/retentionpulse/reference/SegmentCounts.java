package org.retentionpulse.reference;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The counts of docs/METRICS.md sections 4 and 8 for one window and one segment, carried unrounded; the metric
 * values are derived from them by {@link MetricFormulas}. Read-only outside this package.
 */
public final class SegmentCounts {

    private long activeAtStart;
    private long activeAtEnd;
    private long signups;
    private long reactivations;
    private long referralSignups;
    private long ignoredSignups;
    private long cancellations;
    private long ignoredCancellations;
    private long orders;
    private BigDecimal revenue = BigDecimal.ZERO;
    private final Map<String, Long> ordersByCustomer = new HashMap<>();
    private long npsPromoters;
    private long npsPassives;
    private long npsDetractors;
    private long csatResponses;
    private long csatPositive;
    private long cesResponses;
    private long cesSum;
    private long winBackPool;
    private long winBacks;
    private final SortedMap<String, Long> churnedByReason = new TreeMap<>();
    private final Set<String> respondents = new HashSet<>();
    private boolean hasEvents;

    SegmentCounts() {
    }

    void countActiveAtStart() {
        activeAtStart++;
    }

    void countActiveAtEnd() {
        activeAtEnd++;
    }

    void countInWinBackPool() {
        winBackPool++;
    }

    /** A lapse is a cancellation at its instant, with reason {@code inactivity} (section 7). */
    void countLapse() {
        cancellations++;
        churnedByReason.merge(ChurnReasons.INACTIVITY, 1L, Long::sum);
    }

    /** A reactivation, counted in the segment of the customer's previous period (section 8). */
    void countWinBack() {
        winBacks++;
    }

    void count(Event event, Lifecycle.Outcome outcome) {
        hasEvents = true;
        switch (event.kind()) {
            case SIGNUP -> {
                if (outcome.effective()) {
                    signups++;
                    reactivations += outcome.reactivation() ? 1 : 0;
                    referralSignups += event.isReferralSignup() ? 1 : 0;
                } else {
                    ignoredSignups++;
                }
            }
            case CANCELLATION -> {
                if (outcome.effective()) {
                    cancellations++;
                    churnedByReason.merge(outcome.reason(), 1L, Long::sum);
                } else {
                    ignoredCancellations++;
                }
            }
            case PURCHASE -> {
                // Section 7: under churn.inactivity a purchase of a customer not active is an effective start.
                if (outcome.effective()) {
                    signups++;
                    reactivations += outcome.reactivation() ? 1 : 0;
                }
                orders++;
                revenue = revenue.add(event.amount());
                ordersByCustomer.merge(event.customerId(), 1L, Long::sum);
            }
            case SURVEY -> {
                respondents.add(event.customerId());
                countSurvey(event);
            }
        }
    }

    private void countSurvey(Event event) {
        int score = event.score();
        switch (event.survey()) {
            case NPS -> {
                if (score >= 9) {
                    npsPromoters++;
                } else if (score >= 7) {
                    npsPassives++;
                } else {
                    npsDetractors++;
                }
            }
            case CSAT -> {
                csatResponses++;
                csatPositive += score >= 4 ? 1 : 0;
            }
            case CES -> {
                cesResponses++;
                cesSum += score;
            }
        }
    }

    /** Whether at least one event of the window was attributed to this segment. */
    public boolean hasEvents() {
        return hasEvents;
    }

    /** S: customers active at the window start. */
    public long activeAtStart() {
        return activeAtStart;
    }

    /** E: customers active at the window end. */
    public long activeAtEnd() {
        return activeAtEnd;
    }

    /** N: effective signups (new customers and reactivations); under churn.inactivity every effective start. */
    public long signups() {
        return signups;
    }

    public long reactivations() {
        return reactivations;
    }

    /** Effective signups whose channel is {@code referral}. */
    public long referralSignups() {
        return referralSignups;
    }

    public long ignoredSignups() {
        return ignoredSignups;
    }

    /** C: effective cancellations, and lapses under churn.inactivity. */
    public long cancellations() {
        return cancellations;
    }

    public long ignoredCancellations() {
        return ignoredCancellations;
    }

    /** O: purchase events. */
    public long orders() {
        return orders;
    }

    /** R: exact sum of the purchase amounts. */
    public BigDecimal revenue() {
        return revenue;
    }

    /** P1: customers with at least one purchase in this window and segment. */
    public long buyers() {
        return ordersByCustomer.size();
    }

    /** P2: customers with at least two purchases in this window and segment. */
    public long repeatBuyers() {
        return ordersByCustomer.values().stream().filter(n -> n >= 2).count();
    }

    public long npsPromoters() {
        return npsPromoters;
    }

    public long npsPassives() {
        return npsPassives;
    }

    public long npsDetractors() {
        return npsDetractors;
    }

    public long csatResponses() {
        return csatResponses;
    }

    public long csatPositive() {
        return csatPositive;
    }

    public long cesResponses() {
        return cesResponses;
    }

    public long cesSum() {
        return cesSum;
    }

    /** L: customers in the win-back pool at the window start. */
    public long winBackPool() {
        return winBackPool;
    }

    /** WB: reactivations in the window, counted in their pool segment. */
    public long winBacks() {
        return winBacks;
    }

    /** C_r: churned customers per normalised reason (lapses under {@code inactivity}); sums to C. */
    public SortedMap<String, Long> churnedByReason() {
        return Collections.unmodifiableSortedMap(churnedByReason);
    }

    /** RESP: distinct customers with at least one valid survey response in the window and segment. */
    public long respondents() {
        return respondents.size();
    }

    @Override
    public String toString() {
        return "S=" + activeAtStart + " N=" + signups + " C=" + cancellations + " E=" + activeAtEnd
                + " reactivations=" + reactivations + " referral=" + referralSignups
                + " ignored_signups=" + ignoredSignups + " ignored_cancellations=" + ignoredCancellations
                + " O=" + orders + " R=" + revenue + " P1=" + buyers() + " P2=" + repeatBuyers()
                + " nps=" + npsPromoters + "/" + npsPassives + "/" + npsDetractors
                + " csat=" + csatPositive + "/" + csatResponses + " ces=" + cesSum + "/" + cesResponses
                + " L=" + winBackPool + " WB=" + winBacks + " reasons=" + churnedByReason + " RESP=" + respondents();
    }
}
