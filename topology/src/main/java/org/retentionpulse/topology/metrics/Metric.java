package org.retentionpulse.topology.metrics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.List;
import org.retentionpulse.topology.delta.Counter;
import org.retentionpulse.schemas.MetricComponents;

/**
 * The metrics of docs/METRICS.md sections 4 and 8: each computes its value from a window's {@link WindowCounts}
 * exactly (integer or decimal arithmetic, never floating point), rounded half-even to 4 decimals, or null
 * where the spec says the metric is undefined, and names the components it publishes.
 */
public enum Metric {
    /** 100 * C / S. */
    CHURN_RATE("churn_rate") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(100 * c.get(Counter.CANCELLATIONS)), BigInteger.valueOf(c.activeAtStart()));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            lifecycle(c, b);
        }
    },
    /** 100 * (E - N) / S. */
    RETENTION_RATE("retention_rate") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(100 * (c.activeAtEnd() - c.get(Counter.SIGNUPS))), BigInteger.valueOf(c.activeAtStart()));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            lifecycle(c, b);
        }
    },
    /** 100 * P2 / P1. */
    REPEAT_PURCHASE_RATE("repeat_purchase_rate") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(100 * c.repeatPurchasers()), BigInteger.valueOf(c.purchasers()));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setP1(c.purchasers());
            b.setP2(c.repeatPurchasers());
        }
    },
    /** 100 * (promoters - detractors) / responses. */
    NPS("nps") {
        @Override
        public BigDecimal value(WindowCounts c) {
            long prom = c.get(Counter.NPS_PROMOTERS);
            long detr = c.get(Counter.NPS_DETRACTORS);
            long all = prom + c.get(Counter.NPS_PASSIVES) + detr;
            return ratio(BigInteger.valueOf(100 * (prom - detr)), BigInteger.valueOf(all));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setProm(c.get(Counter.NPS_PROMOTERS));
            b.setPass(c.get(Counter.NPS_PASSIVES));
            b.setDetr(c.get(Counter.NPS_DETRACTORS));
        }
    },
    /** 100 * satisfied (4..5) / responses. */
    CSAT("csat") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(100 * c.get(Counter.CSAT_POSITIVE)), BigInteger.valueOf(c.get(Counter.CSAT_RESPONSES)));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setCsatN(c.get(Counter.CSAT_RESPONSES));
            b.setCsatPos(c.get(Counter.CSAT_POSITIVE));
        }
    },
    /** 100 * (mean score / 5) = 20 * sum / n. */
    CES("ces") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(20 * c.get(Counter.CES_SCORE_SUM)), BigInteger.valueOf(c.get(Counter.CES_RESPONSES)));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setCesN(c.get(Counter.CES_RESPONSES));
            b.setCesSum(c.get(Counter.CES_SCORE_SUM));
            b.setCesSq(c.get(Counter.CES_SCORE_SQUARES));
        }
    },
    /** R, exact; 0 when there are no orders. */
    REVENUE("revenue") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return BigDecimal.valueOf(c.get(Counter.REVENUE_CENTS), 2).setScale(SCALE, RoundingMode.UNNECESSARY);
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            orders(c, b);
        }
    },
    /** R / O. */
    AOV("aov") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(c.get(Counter.REVENUE_CENTS)), BigInteger.valueOf(100 * c.get(Counter.ORDERS)));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            orders(c, b);
        }
    },
    /** O / P1. */
    PURCHASE_FREQUENCY("purchase_frequency") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(c.get(Counter.ORDERS)), BigInteger.valueOf(c.purchasers()));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setO(c.get(Counter.ORDERS));
            b.setP1(c.purchasers());
        }
    },
    /**
     * aov * purchase_frequency * (100 / churn_rate) = (R/O) * (O/P1) * (S/C) = R*S / (P1*C), computed from the
     * exact counts; null when any factor is undefined or churn is zero.
     */
    CLV("clv") {
        @Override
        public BigDecimal value(WindowCounts c) {
            long orders = c.get(Counter.ORDERS);
            long cancellations = c.get(Counter.CANCELLATIONS);
            if (orders == 0 || c.purchasers() == 0 || c.activeAtStart() == 0 || cancellations == 0) {
                return null;
            }
            BigInteger numerator = BigInteger.valueOf(c.get(Counter.REVENUE_CENTS)).multiply(BigInteger.valueOf(c.activeAtStart()));
            BigInteger denominator = BigInteger.valueOf(100).multiply(BigInteger.valueOf(c.purchasers())).multiply(BigInteger.valueOf(cancellations));
            return ratio(numerator, denominator);
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            orders(c, b);
            b.setP1(c.purchasers());
            b.setS(c.activeAtStart());
            b.setC(c.get(Counter.CANCELLATIONS));
        }
    },
    /** 100 * referral signups / N. */
    REFERRAL_SHARE("referral_share") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(100 * c.get(Counter.REFERRAL_SIGNUPS)), BigInteger.valueOf(c.get(Counter.SIGNUPS)));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setN(c.get(Counter.SIGNUPS));
            b.setReferralSignups(c.get(Counter.REFERRAL_SIGNUPS));
        }
    },
    /** E, never null. */
    ACTIVE_CUSTOMERS("active_customers") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return BigDecimal.valueOf(c.activeAtEnd()).setScale(SCALE, RoundingMode.UNNECESSARY);
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            lifecycle(c, b);
        }
    },
    /** Section 8: 100 * WB / L, win-backs over the win-back pool at the window start. */
    REACTIVATION_RATE("reactivation_rate") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(100 * c.get(Counter.WIN_BACKS)), BigInteger.valueOf(c.winBackPool()));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setWB(c.get(Counter.WIN_BACKS));
            b.setL(c.winBackPool());
        }
    },
    /** Section 8: 100 * RESP / (S + N), distinct respondents over everyone active in the window. */
    SURVEY_RESPONSE_RATE("survey_response_rate") {
        @Override
        public BigDecimal value(WindowCounts c) {
            return ratio(BigInteger.valueOf(100 * c.respondents()), BigInteger.valueOf(c.activeAtStart() + c.get(Counter.SIGNUPS)));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setRESP(c.respondents());
            b.setS(c.activeAtStart());
            b.setN(c.get(Counter.SIGNUPS));
        }
    },
    /**
     * Section 8: one record per churn reason r with churned customers, 100 * C_r / C; the reasons are those of
     * {@link WindowCounts#churnedByReason()} (already capped, the rest under {@code other}).
     */
    CHURN_REASON_SHARE("churn_reason_share") {
        @Override
        public List<String> reasons(WindowCounts c) {
            return List.copyOf(c.churnedByReason().keySet());
        }

        /** The share is per reason: no value without one. */
        @Override
        public BigDecimal value(WindowCounts c) {
            return null;
        }

        @Override
        public BigDecimal value(WindowCounts c, String reason) {
            return ratio(BigInteger.valueOf(100 * churned(c, reason)), BigInteger.valueOf(c.get(Counter.CANCELLATIONS)));
        }

        @Override
        void components(WindowCounts c, MetricComponents b) {
            b.setChurned(c.get(Counter.CANCELLATIONS));
        }

        @Override
        void components(WindowCounts c, String reason, MetricComponents b) {
            b.setChurnedReason(churned(c, reason));
            b.setChurned(c.get(Counter.CANCELLATIONS));
        }

        private long churned(WindowCounts c, String reason) {
            return c.churnedByReason().getOrDefault(reason, 0L);
        }
    };

    /** The one record key of a metric without reasons: {@link #reasons} of every metric but churn_reason_share. */
    private static final List<String> NO_REASON = Collections.singletonList(null);

    /** Decimals of published values. */
    public static final int SCALE = 4;

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** The metric's name on the wire, e.g. {@code churn_rate}. */
    public String key() {
        return key;
    }

    /** The metric value rounded half-even to {@link #SCALE} decimals, or null where undefined. */
    public abstract BigDecimal value(WindowCounts counts);

    abstract void components(WindowCounts counts, MetricComponents builder);

    void components(WindowCounts counts, String reason, MetricComponents builder) {
        components(counts, builder);
    }

    /**
     * The records this metric has for one window and segment, by their {@code reason}: one without a reason (null)
     * for every metric but {@code churn_reason_share}, which has one per churn reason (none without churn).
     */
    public List<String> reasons(WindowCounts counts) {
        return NO_REASON;
    }

    /** The value of the record for {@code reason} (one of {@link #reasons}). */
    public BigDecimal value(WindowCounts counts, String reason) {
        return value(counts);
    }

    /** The components this metric publishes; the others stay null. */
    public MetricComponents components(WindowCounts counts) {
        // The record itself, not its Avro builder: build() deep-copies a default for each of the ~25 unset fields, which
        // was the top frame of the segment stage's update path (all defaults are null, which the no-arg constructor leaves).
        MetricComponents components = new MetricComponents();
        components(counts, components);
        return components;
    }

    /** The components of the record for {@code reason} (one of {@link #reasons}). */
    public MetricComponents components(WindowCounts counts, String reason) {
        MetricComponents components = new MetricComponents();
        components(counts, reason, components);
        return components;
    }

    /** The metric named {@code key}, or null when this version has none of that name. */
    public static Metric find(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        return null;
    }

    public static Metric fromKey(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'");
    }

    private static BigDecimal ratio(BigInteger numerator, BigInteger denominator) {
        if (denominator.signum() == 0) {
            return null;
        }
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), SCALE, RoundingMode.HALF_EVEN);
    }

    private static void lifecycle(WindowCounts c, MetricComponents b) {
        b.setS(c.activeAtStart());
        b.setN(c.get(Counter.SIGNUPS));
        b.setC(c.get(Counter.CANCELLATIONS));
        b.setE(c.activeAtEnd());
        b.setReactivations(c.get(Counter.REACTIVATIONS));
        b.setIgnoredSignups(c.get(Counter.IGNORED_SIGNUPS));
        b.setIgnoredCancellations(c.get(Counter.IGNORED_CANCELLATIONS));
    }

    private static void orders(WindowCounts c, MetricComponents b) {
        b.setO(c.get(Counter.ORDERS));
        b.setR(BigDecimal.valueOf(c.get(Counter.REVENUE_CENTS), 2));
    }
}
