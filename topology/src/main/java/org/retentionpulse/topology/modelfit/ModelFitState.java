package org.retentionpulse.topology.modelfit;

/**
 * The value of {@link ModelRefitter#STORE} per segment: the latest scheduled fit instant attempted, the latest
 * successful fit (kept when a later one fails) and why the latest attempt failed, if it did.
 *
 * @param attemptedAt the latest fit instant attempted, {@link Long#MIN_VALUE} for none
 * @param latest the latest successful fit, or null
 * @param failure why the attempt at {@code attemptedAt} failed, or null when it succeeded
 */
public record ModelFitState(long attemptedAt, FittedModel latest, String failure) {
    public static final ModelFitState NONE = new ModelFitState(Long.MIN_VALUE, null, null);
}
