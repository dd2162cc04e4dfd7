package org.retentionpulse.topology.modelfit;

/**
 * The value of {@link ModelRefitter#STORE} per segment: when its schedule was last looked at, when it is next
 * tried, the latest successful fit (kept when later ones fail) and why the latest attempt failed, if it did.
 *
 * @param evaluatedAt the latest scheduled fit instant this segment was considered at (tried, or skipped while
 *                    backing off), {@link Long#MIN_VALUE} for none; for {@link ModelRefitter#OVERALL} every
 *                    scheduled instant the task crossed (the task's schedule position)
 * @param nextAttemptAt the first scheduled instant at which a fit is tried again (after failures: later, see
 *                      {@link ModelRefitter#backoffIntervals})
 * @param failures failed attempts since the latest success that back off ({@link ModelRefitter#backsOff}; 0 after a
 *                 success)
 * @param latest the latest successful fit, or null
 * @param failure why the latest attempt failed, or null when it succeeded
 */
public record ModelFitState(long evaluatedAt, long nextAttemptAt, int failures, FittedModel latest, String failure) {
    public static final ModelFitState NONE = new ModelFitState(Long.MIN_VALUE, Long.MIN_VALUE, 0, null, null);

    /** The same state, considered at {@code at} without an attempt. */
    ModelFitState evaluated(long at) {
        return new ModelFitState(at, nextAttemptAt, failures, latest, failure);
    }
}
