package org.retentionpulse.topology.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How the customer-lifetime model is used: the horizon of its predictions, the {@code LOW_P_ALIVE} signal,
 * and the size of the sample it is fitted on. The defaults, and why:
 * <ul>
 * <li><b>horizon</b> {@code P90D}: a quarter, the span retention teams plan actions for; expected purchases
 * and CLV are over this horizon.</li>
 * <li><b>LOW_P_ALIVE</b> for customers with at least one repeat purchase whose P(alive) is below
 * {@code 0.1}, weighing {@code 0.1 × (1 - P(alive) / 0.1)}. It is mostly an explanation: the model's
 * purchase-timing risk (see {@link ModelRisk}) already falls with P(alive), and on CDNOW every extra weight on
 * P(alive) lowered the AUC (fitted on all 23,570 customers: weight 0: 0.7634, the default: 0.7632, 0.4 with
 * threshold 0.3: 0.760), because repeat buyers the model calls dead come back more often (about 36% of those
 * below 0.1 bought again in the holdout) than one-time buyers do (15%). One-time buyers never get it: their P(alive) is 1 by construction of
 * BG/NBD (a customer can only drop out right after a purchase), and their risk comes from their low expected
 * purchases instead.</li>
 * <li><b>fit sample</b> at most {@code 10,000} customers ({@link FitSample}; in the stream, per customer task,
 * refitted every {@code model.fit.interval} of event time). Measured on this project's 2-core machine, warm: a
 * successful fit of 10,000 customers costs about 46 ms (about 270 likelihood evaluations of the two models; the cost
 * of an evaluation grows with the distinct summaries and repeat buyers: BENCHMARKS.md, "Fit cost (session 6)"), 0.1-0.2
 * s before that session's cheaper likelihoods; fits that fail (parameters running off) cost several times more. A
 * live stream fits once a day, so only a replay, which passes days of event time in seconds, feels it: with the earlier
 * fit a 1M-event, 90-day replay (158,000 customers, one task, load average 10) took 131 s without the model, 168 s with a
 * 5,000 sample, 187 s with 10,000 and 240 s with 50,000. 10,000 keeps fitting under a third of such a replay;
 * its standard errors are {@code √(10,000 / 2,357)}, about 2 times smaller than those of the published
 * 2,357-customer CDNOW fit, below the differences between customers worth acting on.</li>
 * </ul>
 *
 * @param horizon the span of expected purchases and predicted CLV
 * @param pAliveThreshold LOW_P_ALIVE below this P(alive), for customers with a repeat purchase
 * @param pAliveWeight LOW_P_ALIVE's contribution at P(alive) = 0 (scaled linearly to 0 at the threshold)
 * @param fitSampleSize the most customers one fit uses
 */
public record ModelPolicy(Duration horizon, double pAliveThreshold, double pAliveWeight, int fitSampleSize) {

    public ModelPolicy {
        Objects.requireNonNull(horizon, "horizon");
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("model horizon must be positive, got " + horizon);
        }
        if (!(pAliveThreshold > 0 && pAliveThreshold <= 1)) {
            throw new IllegalArgumentException("P(alive) threshold must be in (0, 1], got " + pAliveThreshold);
        }
        if (!(pAliveWeight >= 0 && pAliveWeight <= 1)) {
            throw new IllegalArgumentException("P(alive) weight must be in [0, 1], got " + pAliveWeight);
        }
        if (fitSampleSize < 100) {
            throw new IllegalArgumentException("fit sample size must be at least 100 customers, got " + fitSampleSize);
        }
    }

    public static ModelPolicy defaults() {
        return new ModelPolicy(Duration.ofDays(90), 0.1, 0.1, 10_000);
    }
}
