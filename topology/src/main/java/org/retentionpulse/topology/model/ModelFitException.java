package org.retentionpulse.topology.model;

/**
 * A model could not be fitted: too little or degenerate data, an optimiser that did not converge, or a
 * result that is not finite or ran to the edge of the parameter space. The message names the model, what
 * went wrong and the last log-likelihood, so an operator can tell a data problem from a numerical one.
 */
public final class ModelFitException extends RuntimeException {
    public ModelFitException(String message) {
        super(message);
    }

    public ModelFitException(String message, Throwable cause) {
        super(message, cause);
    }
}
