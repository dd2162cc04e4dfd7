package org.retentionpulse.topology.delta;

/**
 * The NPS bands of docs/METRICS.md section 4: promoters answer 9..10, passives 7..8, detractors 0..6. The one
 * place that decides them, for the {@code nps} metric's counts and for the churn-risk DETRACTOR signal.
 */
public enum NpsBand {
    PROMOTER(Counter.NPS_PROMOTERS),
    PASSIVE(Counter.NPS_PASSIVES),
    DETRACTOR(Counter.NPS_DETRACTORS);

    private final Counter counter;

    NpsBand(Counter counter) {
        this.counter = counter;
    }

    /** The band of a valid NPS score (0..10). */
    public static NpsBand of(int score) {
        return score >= 9 ? PROMOTER : score >= 7 ? PASSIVE : DETRACTOR;
    }

    /** The segment-stage counter of this band's responses. */
    public Counter counter() {
        return counter;
    }
}
