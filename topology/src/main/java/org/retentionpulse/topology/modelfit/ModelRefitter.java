package org.retentionpulse.topology.modelfit;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.model.CustomerModel;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.ModelFitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refits a customer task's customer-lifetime models on its {@link FitSampleStore} when the task's stream time
 * crosses the schedule ({@link ModelFitting#interval}), on the record path: the fits at instant {@code B} happen
 * while processing the first record that moves stream time to {@code B} or later, before that record is
 * applied, on the summaries of the purchases accepted before it (all earlier than {@code B}) with ages to the
 * day before {@code B}. The results go into the logged {@link #STORE}, so which parameters score a customer at a
 * given input position depends on the input alone, never on timing, and a restored task continues with the
 * parameters it had. Each fit is warm-started from the segment's previous one (a segment's first from the overall
 * fit). A fit that fails ({@link ModelFitException}: too few repeat buyers, no convergence, parameters that cannot
 * predict, see {@link CustomerModel#fit}) keeps the previous parameters, is counted and logged; the stream goes on.
 *
 * <p>Fits: {@link #OVERALL} on the whole sample, and with a {@link ModelFitting#segmentDimension} one per value
 * whose sampled customers include at least {@link ModelFitting#segmentMinRepeatBuyers} repeat buyers (a value
 * below it is not fitted, logged once; its customers are scored by the overall fit). At most
 * {@code sample size / min repeat buyers} values qualify at a time (20 with the defaults), which caps the fits per
 * round, the {@code retention-model} keys and the gauges' {@code segment} values.
 *
 * <p><b>Backoff.</b> After {@code n} failures in a row that ran the search on at least
 * {@value #BACKOFF_MIN_CUSTOMERS} customers ({@link #backsOff}) a segment is next tried {@link #backoffIntervals}{@code (n)} intervals later (2, then every
 * {@value #MAX_BACKOFF_INTERVALS}); a success resets it to every interval.
 * A backfill passes a day of event time in well under a second, and most failed fits run the optimiser to its
 * evaluation limit, several times the cost of one that converges: refitting daily through a run of failures cost
 * a 300k-event replay more than half of its CPU (BENCHMARKS.md). The backoff counts scheduled instants, never wall
 * time, so the fits still depend on the input alone.
 */
public final class ModelRefitter {
    /**
     * Segment ({@value #OVERALL}, or {@code dimension=value} such as {@code plan=pro}) -> {@link ModelFitState}; one
     * entry per segment ever tried, kept for good (at most the overall one plus the values that ever qualified).
     */
    public static final String STORE = "customer-model";
    /** The key of the fit over all of the task's customers. */
    public static final String OVERALL = "all";
    /**
     * The longest wait between attempts of a segment that keeps failing, in fit intervals. It bounds how long a
     * young task waits for its first fit once its data would allow one (the first weeks fail: dropout not yet
     * identified) and how stale a failing segment's parameters get, at a few days of a daily schedule; a run of
     * failures then costs a quarter of the daily attempts.
     */
    static final int MAX_BACKOFF_INTERVALS = 4;
    /** Fits on fewer customers never back off ({@link #backsOff}). */
    static final int BACKOFF_MIN_CUSTOMERS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ModelRefitter.class);

    /** Where a new fit goes besides the store (the {@code retention-model} topic). */
    public interface Published {
        void fitted(FittedModel model);
    }

    /** Where a failed fit is counted (the stage's {@code model-fit-failures} sensors). */
    public interface Failures {
        void failed(String segment, ModelFitException.Reason reason);
    }

    private final ModelFitting fitting;
    private final FitSampleStore sample;
    private final KeyValueStore<String, ModelFitState> store;
    private final int partition;
    private final Published published;
    private final Failures failures;
    private final LongSupplier nanoClock;
    private final SortedMap<String, ModelFitState> states = new TreeMap<>();
    /** The latest successful fit per segment: what scores a customer (O(1) per event). */
    private final Map<String, FittedModel> scoring = new HashMap<>();
    /** Values reported as too small since they last were big enough (logging only: not state). */
    private final Set<String> reportedTooSmall = new HashSet<>();

    public ModelRefitter(ModelFitting fitting, FitSampleStore sample, KeyValueStore<String, ModelFitState> store,
            int partition, Published published, Failures failures, LongSupplier nanoClock) {
        this.fitting = fitting;
        this.sample = sample;
        this.store = store;
        this.partition = partition;
        this.published = published;
        this.failures = failures;
        this.nanoClock = nanoClock;
        try (KeyValueIterator<String, ModelFitState> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                states.put(entry.key, entry.value);
                if (entry.value.latest() != null) {
                    scoring.put(entry.key, entry.value.latest());
                }
            }
        }
    }

    /** The overall fit customers without a fit of their segment are scored with, or null before the first success. */
    public FittedModel current() {
        return scoring.get(OVERALL);
    }

    /** The fit that scores this customer: its segment's latest successful fit, else the overall one, else null. */
    public FittedModel fitFor(CustomerProfile profile) {
        return fitFor(fitting, profile, scoring::get);
    }

    /**
     * The one rule of which fit scores a customer, also for queries of the store: {@code latestFit} gives a
     * segment's latest successful fit (null for none).
     */
    public static FittedModel fitFor(ModelFitting fitting, CustomerProfile profile, Function<String, FittedModel> latestFit) {
        FittedModel own = fitting.segmentDimension().isEmpty() ? null : latestFit.apply(fitting.segmentOf(profile));
        return own != null ? own : latestFit.apply(OVERALL);
    }

    /** The overall fit state (for tests and queries). */
    public ModelFitState state() {
        return state(OVERALL);
    }

    /** The fit state of a segment ({@link ModelFitState#NONE} if it was never tried). */
    public ModelFitState state(String segment) {
        return states.getOrDefault(segment, ModelFitState.NONE);
    }

    /**
     * Whether a failure delays the next attempt: only when retrying would cost something worth saving. Too few
     * repeat buyers is found before any search, by a count, and is what a young task sees until its customers come
     * back. A search on fewer than {@value #BACKOFF_MIN_CUSTOMERS} customers costs milliseconds even when it fails,
     * and on such small samples fits fail and succeed from one day to the next (seen: a 40-day stream's tasks of
     * 130-200 customers fitted only on a few scattered days, which a backoff skipped: CrashRecoveryIT). Every other
     * failure ran the search (to its limit, for no convergence) on a sample where a search costs a tenth of a
     * second or more, and on the same kind of data it fails the same way the next day.
     */
    static boolean backsOff(ModelFitException.Reason reason, int customers) {
        return reason != ModelFitException.Reason.TOO_FEW_REPEAT_BUYERS && customers >= BACKOFF_MIN_CUSTOMERS;
    }

    /** Wait after {@code failures} failures in a row, in fit intervals: 2, then {@value #MAX_BACKOFF_INTERVALS}. */
    static long backoffIntervals(int failures) {
        return Math.min(1L << Math.min(failures, 30), MAX_BACKOFF_INTERVALS);
    }

    /**
     * Call before applying a record that moves the task's stream time to {@code streamTime} (not for the
     * end-of-input tick): fits the segments that are due if a scheduled instant was crossed since the last one.
     */
    public void advanceTo(long streamTime) {
        if (!fitting.enabled() || streamTime == Long.MIN_VALUE) {
            return;
        }
        long boundary = fitting.boundaryAtOrBefore(streamTime);
        ModelFitState overall = state(OVERALL);
        if (boundary <= overall.evaluatedAt()) {
            return;
        }
        if (overall.evaluatedAt() == Long.MIN_VALUE && sample.size() == 0) {
            // the task's first record: nothing to fit yet, and no failure worth reporting
            save(OVERALL, new ModelFitState(boundary, boundary + fitting.interval().toMillis(), 0, null, null));
            return;
        }
        // Only when a stored segment is due is the sample read (new values are looked at then too): a task backing
        // off costs one store write per scheduled instant.
        if (overall.nextAttemptAt() > boundary && states.values().stream().noneMatch(s -> s.nextAttemptAt() <= boundary)) {
            save(OVERALL, overall.evaluated(boundary));
            return;
        }
        FitSampleStore.Summaries summaries = sample.summariesAsOf(boundary - 1);
        if (overall.nextAttemptAt() <= boundary) {
            attempt(OVERALL, summaries.all(), boundary);
        } else {
            save(OVERALL, overall.evaluated(boundary));
        }
        summaries.bySegment().forEach((segment, customers) -> consider(segment, customers, boundary));
    }

    /** A segment value's fit, if it is due and has enough repeat buyers. */
    private void consider(String segment, List<CustomerSummary> customers, long boundary) {
        ModelFitState s = state(segment);
        if (s.nextAttemptAt() > boundary) {
            return;
        }
        long repeatBuyers = customers.stream().filter(c -> c.x() > 0).count();
        if (repeatBuyers < fitting.segmentMinRepeatBuyers()) {
            if (reportedTooSmall.add(segment)) {
                LOG.info("customer task partition {}: segment {} is not fitted on its own: {} of its {} sampled customers "
                        + "have a repeat purchase, fewer than {}; its customers are scored by {}", partition, segment,
                        repeatBuyers, customers.size(), fitting.segmentMinRepeatBuyers(),
                        s.latest() == null ? "the overall fit" : "its fit as of " + Instant.ofEpochMilli(s.latest().fittedAt()));
            }
            if (s != ModelFitState.NONE) { // a value that had enough once: looked at again next time
                save(segment, new ModelFitState(boundary, boundary + fitting.interval().toMillis(), s.failures(),
                        s.latest(), s.failure()));
            }
            return;
        }
        reportedTooSmall.remove(segment);
        attempt(segment, customers, boundary);
    }

    private void attempt(String segment, List<CustomerSummary> customers, long boundary) {
        ModelFitState s = state(segment);
        FittedModel previous = s.latest();
        FittedModel warm = previous != null ? previous : scoring.get(OVERALL);
        long started = nanoClock.getAsLong();
        try {
            CustomerModel model = CustomerModel.fit(customers, fitting.policy().horizon(),
                    warm == null ? null : warm.model(fitting.policy().horizon()));
            long micros = (nanoClock.getAsLong() - started) / 1_000;
            FittedModel fitted = new FittedModel(segment, partition, boundary, model.purchases(), model.spend(), micros);
            if (s.failure() != null) {
                LOG.info("customer task partition {}: model of {} fitted again as of {} on {} customers after {} failures",
                        partition, segment, Instant.ofEpochMilli(boundary), customers.size(), s.failures());
            }
            LOG.debug("task partition {}: model of {} fitted as of {} on {} customers in {} µs: {}", partition, segment,
                    boundary, customers.size(), micros, fitted);
            save(segment, new ModelFitState(boundary, boundary + fitting.interval().toMillis(), 0, fitted, null));
            scoring.put(segment, fitted);
            published.fitted(fitted);
        } catch (ModelFitException e) {
            failed(segment, s, customers.size(), boundary, e);
        }
    }

    private void failed(String segment, ModelFitState s, int customers, long boundary, ModelFitException e) {
        boolean backsOff = backsOff(e.reason(), customers);
        int inRow = backsOff ? s.failures() + 1 : s.failures();
        long next = boundary + (backsOff ? backoffIntervals(inRow) : 1) * fitting.interval().toMillis();
        String why = String.format(Locale.ROOT, "fit of %s as of %s on %d customers failed: %s", segment,
                Instant.ofEpochMilli(boundary), customers, e.getMessage());
        // One line per run of failures, not one per attempt (a replay passes hundreds of days a minute); the next
        // failures of the run go to DEBUG, and the next success says the run is over.
        if (s.failure() != null) {
            LOG.debug("customer task partition {}: model {}; next attempt as of {}", partition, why, Instant.ofEpochMilli(next));
        } else if (s.latest() == null) {
            LOG.info("customer task partition {}: model {}; {} by {} until a fit succeeds (next attempt as of {}, then "
                    + "less often while fits fail)", partition, why, segment.equals(OVERALL) ? "churn risk" : "its customers scored",
                    segment.equals(OVERALL) ? "the rules alone" : "the overall fit", Instant.ofEpochMilli(next));
        } else {
            LOG.warn("customer task partition {}: model {}; keeping the parameters fitted as of {} (next attempt as of {}; "
                    + "further failures are logged at DEBUG until a fit succeeds)", partition, why,
                    Instant.ofEpochMilli(s.latest().fittedAt()), Instant.ofEpochMilli(next));
        }
        failures.failed(segment, e.reason());
        save(segment, new ModelFitState(boundary, next, inRow, s.latest(), why));
    }

    private void save(String segment, ModelFitState s) {
        states.put(segment, s);
        store.put(segment, s);
    }
}
