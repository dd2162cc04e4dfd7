package org.retentionpulse.app.evaluate;

import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/** How well a score separates churned customers from the others. */
public final class RankingQuality {
    private RankingQuality() {
    }

    /**
     * The ROC AUC of {@code score} for {@code churned}: the chance that a random churned customer scores higher
     * than a random retained one, ties counting half (Mann-Whitney U over average ranks).
     */
    public static double auc(double[] score, boolean[] churned) {
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(score);
        double positives = 0;
        double rankSum = 0;
        for (int i = 0; i < score.length; i++) {
            if (churned[i]) {
                positives++;
                rankSum += ranks[i];
            }
        }
        double negatives = score.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("AUC needs churned and retained customers; got " + (long) positives
                    + " churned of " + score.length);
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /** Precision and recall of "flagged" for churn, and how many were flagged. */
    public record Flagged(long flagged, double precision, double recall) {
        static Flagged of(boolean[] flagged, boolean[] churned) {
            long n = 0;
            long hits = 0;
            long churners = 0;
            for (int i = 0; i < flagged.length; i++) {
                n += flagged[i] ? 1 : 0;
                hits += flagged[i] && churned[i] ? 1 : 0;
                churners += churned[i] ? 1 : 0;
            }
            return new Flagged(n, n == 0 ? Double.NaN : (double) hits / n, churners == 0 ? Double.NaN : (double) hits / churners);
        }
    }
}
