package org.retentionpulse.topology.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum likelihood over positive parameters, searched on their logarithms (so every point is valid and
 * the scales of the parameters do not matter) with Commons Math's Nelder-Mead simplex. Derivative-free and
 * deterministic: the same data give the same parameters on every instance and after every restart. For that the
 * likelihoods of this package use {@link StrictMath} (and Commons Math its pure-Java FastMath): {@link Math}'s
 * log and exp may differ by an ulp between JVMs and between interpreted and JIT-compiled code, and near a flat
 * likelihood one ulp can change where the search stops; a stream task refitted on another instance after a
 * failover must find the parameters the failed one would have.
 *
 * <p>Nelder-Mead can stop on a collapsed simplex short of the optimum, so the search is restarted from the
 * point it found until a restart no longer improves the log-likelihood (at most {@value #MAX_RESTARTS}
 * times). Fails loudly with {@link ModelFitException}: when the evaluation budget runs out, when the best
 * value is not finite, or when a parameter ran off to {@code exp(±}{@value #LOG_BOUND}{@code )}, where the
 * likelihood is flat and the "estimate" means the data cannot identify it.
 */
final class LogParameterFit {
    /** Evaluations per search; BG/NBD on CDNOW needs about 600. */
    static final int MAX_EVALUATIONS = 20_000;
    static final int MAX_RESTARTS = 5;
    /** |log parameter| beyond this is a parameter running away, not an estimate. */
    static final double LOG_BOUND = 18;
    private static final double RELATIVE_TOLERANCE = 1e-12;
    private static final double ABSOLUTE_TOLERANCE = 1e-10;

    /** The parameters found, the maximum log-likelihood and the evaluations it took. */
    record Result(double[] parameters, double logLikelihood, int evaluations) {
    }

    private LogParameterFit() {
    }

    /**
     * @param model the model's name in messages
     * @param names the parameters' names in messages
     * @param logLikelihood the log-likelihood of the (positive) parameters
     * @param start the starting parameters
     */
    static Result maximise(String model, String[] names, ToDoubleFunction<double[]> logLikelihood, double[] start) {
        double[] last = {Double.NaN};
        ObjectiveFunction objective = new ObjectiveFunction(logParams -> {
            double ll = logLikelihood.applyAsDouble(exp(logParams));
            last[0] = ll;
            return Double.isFinite(ll) ? ll : Double.NEGATIVE_INFINITY;
        });
        double[] point = log(start);
        double best = Double.NEGATIVE_INFINITY;
        int evaluations = 0;
        for (int restart = 0; restart <= MAX_RESTARTS; restart++) {
            SimplexOptimizer optimizer = new SimplexOptimizer(RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE);
            PointValuePair found;
            try {
                found = optimizer.optimize(new MaxEval(MAX_EVALUATIONS), objective, GoalType.MAXIMIZE,
                        new InitialGuess(point), new NelderMeadSimplex(point.length, 1.0));
            } catch (TooManyEvaluationsException e) {
                throw new ModelFitException(ModelFitException.Reason.NO_CONVERGENCE, String.format(Locale.ROOT,
                        "%s fit did not converge in %d evaluations; last log-likelihood %s", model, MAX_EVALUATIONS,
                        last[0]), e);
            }
            evaluations += optimizer.getEvaluations();
            boolean improved = found.getValue() > best + ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(best);
            if (found.getValue() >= best) {
                point = found.getPoint();
                best = found.getValue();
            }
            if (!improved) {
                break;
            }
        }
        if (!Double.isFinite(best)) {
            throw new ModelFitException(ModelFitException.Reason.NOT_FINITE, model + " fit found no finite log-likelihood; last value " + last[0]
                    + " at " + describe(names, exp(point)));
        }
        for (int i = 0; i < point.length; i++) {
            if (Math.abs(point[i]) > LOG_BOUND) {
                throw new ModelFitException(ModelFitException.Reason.NOT_IDENTIFIED, String.format(Locale.ROOT,
                        "%s fit did not converge: parameter %s ran off to %.3g (the data cannot identify it); "
                                + "last log-likelihood %.4f at %s", model, names[i], StrictMath.exp(point[i]), best,
                        describe(names, exp(point))));
            }
        }
        return new Result(exp(point), best, evaluations);
    }

    static String describe(String[] names, double[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            s.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(String.format(Locale.ROOT, "%.4g", values[i]));
        }
        return s.toString();
    }

    private static double[] exp(double[] v) {
        return Arrays.stream(v).map(StrictMath::exp).toArray();
    }

    private static double[] log(double[] v) {
        return Arrays.stream(v).map(StrictMath::log).toArray();
    }
}
