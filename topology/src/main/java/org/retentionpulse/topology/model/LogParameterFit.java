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
 * deterministic: the same data (and the same previous fit, for a warm start) give the same parameters on every
 * instance. For that the likelihoods of this package use {@link StrictMath} (and Commons Math its pure-Java
 * FastMath): {@link Math}'s log and exp may differ by an ulp between JVMs and between interpreted and JIT-compiled
 * code, and near a flat likelihood one ulp can change where the search stops; a stream task refitted on another
 * instance after a failover must find the parameters the failed one would have.
 *
 * <p>One Nelder-Mead search, stopped when no vertex of the simplex changes its log-likelihood by more than a
 * relative {@code 1e-12} from one iteration to the next. No restart from the point found: on CDNOW
 * a restart cost 35-80 % more evaluations and improved the log-likelihood by less than {@code 1e-12} relative
 * (BENCHMARKS.md, "Fit cost (session 6)"; the restart loop this class had never ran, its first comparison, against
 * {@code -∞}, being always false). Fails loudly with {@link ModelFitException}: when the evaluation budget runs
 * out, when the best value is not finite, or when a parameter ran off to {@code exp(±}{@value #LOG_BOUND}{@code )},
 * where the likelihood is flat and the "estimate" means the data cannot identify it.
 */
final class LogParameterFit {
    /** Evaluations per search; BG/NBD on CDNOW needs about 240. */
    static final int MAX_EVALUATIONS = 20_000;
    /** |log parameter| beyond this is a parameter running away, not an estimate. */
    static final double LOG_BOUND = 18;
    /** The cold search's simplex side in log space: a factor e, so the search finds its way from the defaults. */
    static final double COLD_STEP = 1.0;
    /**
     * The warm search's simplex side in log space, a factor of about 1.1. From one daily fit to the next the least
     * identified parameters (BG/NBD's a and b) move by 0.03 in log space at the median and 0.13 at the 90th
     * percentile (generated 10,000-customer task samples), the others by less than 0.04; a side of 1 took 169
     * evaluations for BG/NBD and 136 for Gamma-Gamma there, 0.1 took 162 and 112, smaller sides 2 % fewer still (10 %
     * on CDNOW; BENCHMARKS.md). What remains is the shrinking of the simplex to the tolerance, whatever the start.
     */
    static final double WARM_STEP = 0.1;
    /**
     * A warm start from, or a warm result at, a log-parameter beyond ±{@value} (a factor 22,000 from 1) is not
     * trusted, and the cold search decides instead. There the likelihood is nearly flat (the parameter is on its way
     * to running off, {@link #LOG_BOUND}), and a warm search from such a point stays on that ridge: on CDNOW's daily
     * samples a young fit with {@code a = 9e-7} was the warm start of the next months' fits, which stayed at
     * {@code a ≈ 2e-8} with a log-likelihood 0.5-1 % below the cold fits' ({@code a ≈ 0.75}).
     */
    static final double WARM_BOUND = 10;
    private static final double RELATIVE_TOLERANCE = 1e-12;
    private static final double ABSOLUTE_TOLERANCE = 1e-10;

    /** The parameters found, the maximum log-likelihood and the evaluations it took. */
    record Result(double[] parameters, double logLikelihood, int evaluations) {
    }

    private LogParameterFit() {
    }

    /**
     * A cold search, from {@code start} with a simplex of side {@value #COLD_STEP} in log space.
     *
     * @param model the model's name in messages
     * @param names the parameters' names in messages
     * @param logLikelihood the log-likelihood of the (positive) parameters
     * @param start the starting parameters
     */
    static Result maximise(String model, String[] names, ToDoubleFunction<double[]> logLikelihood, double[] start) {
        return maximise(model, names, logLikelihood, start, null);
    }

    /**
     * The same search warm-started from {@code previous} (a previous fit's parameters, in the search's units) when it
     * is {@linkplain #WARM_BOUND well inside} the parameter space: from there with a simplex of side
     * {@value #WARM_STEP}, its result kept if the search stayed well inside. Otherwise (no previous fit, one near the
     * edge, a warm search that went there) the cold search from {@code start} decides, and fails as it would; the
     * evaluations then include the warm search's. A warm search that runs out of evaluations fails as a cold one does.
     */
    static Result maximise(String model, String[] names, ToDoubleFunction<double[]> logLikelihood, double[] start,
            double[] previous) {
        Objective objective = new Objective(logLikelihood);
        int warmEvaluations = 0;
        if (previous != null && wellInside(log(previous))) {
            objective.warm = true;
            Search warm = search(model, objective, log(previous), WARM_STEP);
            objective.warm = false;
            if (Double.isFinite(warm.best)) { // every point it evaluated was well inside
                return new Result(exp(warm.point), warm.best, warm.evaluations);
            }
            warmEvaluations = warm.evaluations;
        }
        Search cold = search(model, objective, log(start), COLD_STEP);
        if (!Double.isFinite(cold.best)) {
            throw new ModelFitException(ModelFitException.Reason.NOT_FINITE, model + " fit found no finite log-likelihood; last value "
                    + objective.last + " at " + describe(names, exp(cold.point)));
        }
        for (int i = 0; i < cold.point.length; i++) {
            if (Math.abs(cold.point[i]) > LOG_BOUND) {
                throw new ModelFitException(ModelFitException.Reason.NOT_IDENTIFIED, String.format(Locale.ROOT,
                        "%s fit did not converge: parameter %s ran off to %.3g (the data cannot identify it); "
                                + "last log-likelihood %.4f at %s", model, names[i], StrictMath.exp(cold.point[i]), cold.best,
                        describe(names, exp(cold.point))));
            }
        }
        return new Result(exp(cold.point), cold.best, warmEvaluations + cold.evaluations);
    }

    /**
     * The log-likelihood of log-parameters, non-finite values as -∞, and the last value computed (for messages). In a
     * warm search a point beyond {@link #WARM_BOUND} ends the search ({@link LeftTheInterior}): it is on its way to
     * a parameter running off, where a search with a small simplex can creep on for the whole evaluation budget
     * (seen: 20,000 evaluations, where the cold search stops after a few hundred beyond {@link #LOG_BOUND}).
     */
    private static final class Objective {
        final ObjectiveFunction function;
        double last = Double.NaN;
        boolean warm;

        Objective(ToDoubleFunction<double[]> logLikelihood) {
            function = new ObjectiveFunction(logParams -> {
                if (warm && !wellInside(logParams)) {
                    throw new LeftTheInterior();
                }
                double ll = logLikelihood.applyAsDouble(exp(logParams));
                last = ll;
                return Double.isFinite(ll) ? ll : Double.NEGATIVE_INFINITY;
            });
        }
    }

    /** A warm search's end at a point beyond {@link #WARM_BOUND}; no stack trace, it is a result, not an error. */
    private static final class LeftTheInterior extends RuntimeException {
        LeftTheInterior() {
            super(null, null, false, false);
        }
    }

    /** Where a search ended (log-parameters), its log-likelihood (NaN when it left the interior) and the evaluations it took. */
    private record Search(double[] point, double best, int evaluations) {
    }

    /** Nelder-Mead from {@code point} (log-parameters) with a first simplex of side {@code step}. */
    private static Search search(String model, Objective objective, double[] point, double step) {
        SimplexOptimizer optimizer = new SimplexOptimizer(RELATIVE_TOLERANCE, ABSOLUTE_TOLERANCE);
        try {
            PointValuePair found = optimizer.optimize(new MaxEval(MAX_EVALUATIONS), objective.function, GoalType.MAXIMIZE,
                    new InitialGuess(point), new NelderMeadSimplex(point.length, step));
            return new Search(found.getPoint(), found.getValue(), optimizer.getEvaluations());
        } catch (LeftTheInterior e) {
            return new Search(point, Double.NaN, optimizer.getEvaluations());
        } catch (TooManyEvaluationsException e) {
            throw new ModelFitException(ModelFitException.Reason.NO_CONVERGENCE, String.format(Locale.ROOT,
                    "%s fit did not converge in %d evaluations; last log-likelihood %s", model, MAX_EVALUATIONS,
                    objective.last), e);
        }
    }

    /** Whether every log-parameter is within ±{@value #WARM_BOUND}. */
    private static boolean wellInside(double[] logParams) {
        return Arrays.stream(logParams).allMatch(v -> Math.abs(v) <= WARM_BOUND);
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
