package org.retentionpulse.topology.modelfit;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.retentionpulse.topology.model.CustomerModel;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.ModelFitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refits a customer task's customer-lifetime model on its {@link FitSampleStore} when the task's stream time
 * crosses the schedule ({@link ModelFitting#interval}), on the record path: the fit at instant {@code B} happens
 * while processing the first record that moves stream time to {@code B} or later, before that record is
 * applied, on the summaries of the purchases accepted before it (all earlier than {@code B}) with ages to the
 * day before {@code B}. The result goes into the logged {@link #STORE}, so which parameters score a customer at a
 * given input position depends on the input alone, never on timing, and a restored task continues with the
 * parameters it had. Each fit is warm-started from the previous one. A fit that fails
 * ({@link ModelFitException}: too few repeat buyers, no convergence, parameters that cannot predict, see
 * {@link CustomerModel#fit}) keeps the previous parameters and is logged; the stream goes on.
 */
public final class ModelRefitter {
    /** Segment ({@value #OVERALL}) -> {@link ModelFitState}; one entry per segment fitted, kept for good. */
    public static final String STORE = "customer-model";
    /** The key of the fit over all of the task's customers. */
    public static final String OVERALL = "all";

    private static final Logger LOG = LoggerFactory.getLogger(ModelRefitter.class);

    /** Where a new fit goes besides the store (the {@code retention-model} topic). */
    public interface Published {
        void fitted(FittedModel model);
    }

    private final ModelFitting fitting;
    private final FitSampleStore sample;
    private final KeyValueStore<String, ModelFitState> store;
    private final int partition;
    private final Published published;
    private final LongSupplier nanoClock;
    private ModelFitState state;
    private CustomerModel current;

    public ModelRefitter(ModelFitting fitting, FitSampleStore sample, KeyValueStore<String, ModelFitState> store,
            int partition, Published published, LongSupplier nanoClock) {
        this.fitting = fitting;
        this.sample = sample;
        this.store = store;
        this.partition = partition;
        this.published = published;
        this.nanoClock = nanoClock;
        ModelFitState stored = store.get(OVERALL);
        this.state = stored == null ? ModelFitState.NONE : stored;
        this.current = state.latest() == null ? null : state.latest().model(fitting.policy().horizon());
    }

    /** The model customers are scored with now, or null before the first successful fit. */
    public CustomerModel current() {
        return current;
    }

    /** The latest fit state (for tests and queries). */
    public ModelFitState state() {
        return state;
    }

    /**
     * Call before applying a record that moves the task's stream time to {@code streamTime} (not for the
     * end-of-input tick): fits if a scheduled instant was crossed since the last attempt.
     */
    public void advanceTo(long streamTime) {
        if (!fitting.enabled() || streamTime == Long.MIN_VALUE) {
            return;
        }
        long boundary = fitting.boundaryAtOrBefore(streamTime);
        if (boundary <= state.attemptedAt()) {
            return;
        }
        if (state.attemptedAt() == Long.MIN_VALUE && sample.size() == 0) {
            // the task's first record: nothing to fit yet, and no failure worth reporting
            state = new ModelFitState(boundary, null, null);
        } else {
            state = fit(boundary);
            if (state.failure() == null) {
                current = state.latest().model(fitting.policy().horizon());
                published.fitted(state.latest());
            }
        }
        store.put(OVERALL, state);
    }

    private ModelFitState fit(long boundary) {
        List<CustomerSummary> summaries = sample.summariesAsOf(boundary - 1);
        FittedModel previous = state.latest();
        long started = nanoClock.getAsLong();
        try {
            CustomerModel model = CustomerModel.fit(summaries, fitting.policy().horizon(), current);
            long micros = (nanoClock.getAsLong() - started) / 1_000;
            FittedModel fitted = new FittedModel(OVERALL, partition, boundary, model.purchases(), model.spend(), micros);
            if (state.failure() != null) {
                LOG.info("customer task partition {}: model fitted again as of {} on {} customers", partition,
                        Instant.ofEpochMilli(boundary), summaries.size());
            }
            LOG.debug("task partition {}: model fitted as of {} on {} customers in {} µs: {}", partition, boundary,
                    summaries.size(), micros, fitted);
            return new ModelFitState(boundary, fitted, null);
        } catch (ModelFitException e) {
            String why = String.format(Locale.ROOT, "fit as of %s on %d customers failed: %s",
                    Instant.ofEpochMilli(boundary), summaries.size(), e.getMessage());
            // One line per run of failures, not one per day of event time (a replay passes hundreds of days a minute);
            // the next failures of the run go to DEBUG, and the next success says the run is over.
            boolean runOfFailures = state.failure() != null;
            if (runOfFailures) {
                LOG.debug("customer task partition {}: model {}", partition, why);
            } else if (previous == null) {
                LOG.info("customer task partition {}: model {}; churn risk by the rules alone until a fit succeeds",
                        partition, why);
            } else {
                LOG.warn("customer task partition {}: model {}; keeping the parameters fitted as of {} (further failures "
                        + "are logged at DEBUG until a fit succeeds)", partition, why, Instant.ofEpochMilli(previous.fittedAt()));
            }
            return new ModelFitState(boundary, previous, why);
        }
    }
}
