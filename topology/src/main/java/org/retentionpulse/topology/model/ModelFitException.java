package org.retentionpulse.topology.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A model could not be fitted: too little or degenerate data, an optimiser that did not converge, or a
 * result that is not finite or ran to the edge of the parameter space. The message names the model, what
 * went wrong and the last log-likelihood, so an operator can tell a data problem from a numerical one; the
 * {@link Reason} is the same answer as a code (the failure counter's {@code reason} label).
 */
public final class ModelFitException extends RuntimeException {
    /** Why a fit failed. */
    public enum Reason {
        /** Fewer customers with a repeat purchase than a model needs to be identified at all. */
        TOO_FEW_REPEAT_BUYERS,
        /** The search ran out of evaluations. */
        NO_CONVERGENCE,
        /** A parameter ran off to the edge of the space: the data cannot identify it. */
        NOT_IDENTIFIED,
        /** No finite log-likelihood anywhere the search looked. */
        NOT_FINITE,
        /** Fitted parameters whose predictions are undefined or infinite (e.g. q <= 1, a + b <= 1). */
        NOT_PREDICTIVE;

        /** Lower-case code, as in metric labels: {@code too_few_repeat_buyers}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public ModelFitException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ModelFitException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
