package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.retentionpulse.topology.model.ModelFitException;
import org.retentionpulse.topology.modelfit.ModelFitFailureSensors;
import org.retentionpulse.topology.modelfit.ModelRefitter;

/**
 * {@code retention_pulse_model_fit_failures_total{segment, reason}}: failed model fits of this instance's customer
 * tasks, summed over tasks from their {@link ModelFitFailureSensors} (per instance, like the event counters: sum
 * over instances). Every reason of the overall fit ({@code segment="all"}) is registered up front, so dashboards
 * see zeros rather than missing series; a segment value's series appear at its first failure, found by a look at
 * the client's metrics every {@value #DISCOVERY_SECONDS} s (their number is bounded by the values fitted, see
 * {@link ModelRefitter}, times the reasons).
 */
final class ModelFitFailures implements AutoCloseable {
    static final long DISCOVERY_SECONDS = 10;
    private static final String NAME = ModelFitFailureSensors.METRIC + "-total";

    private final MeterRegistry registry;
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    /** segment|reason -> the total behind its counter (function counters hold their state weakly). */
    private final Map<String, StreamsSensorTotal> totals = new ConcurrentHashMap<>();
    private final ScheduledExecutorService discovery;

    ModelFitFailures(MeterRegistry registry, Supplier<Map<MetricName, ? extends Metric>> metrics, boolean discover) {
        this.registry = registry;
        this.metrics = metrics;
        for (ModelFitException.Reason reason : ModelFitException.Reason.values()) {
            register(ModelRefitter.OVERALL, reason.code());
        }
        if (discover) {
            discovery = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "retention-pulse-model-fit-failures");
                t.setDaemon(true);
                return t;
            });
            discovery.scheduleWithFixedDelay(this::discover, DISCOVERY_SECONDS, DISCOVERY_SECONDS, TimeUnit.SECONDS);
        } else {
            discovery = null;
        }
    }

    /** Registers a counter for every (segment, reason) the client's metrics have and this does not yet. */
    void discover() {
        for (MetricName name : metrics.get().keySet()) {
            if (selected(name)) {
                register(name.tags().get(ModelFitFailureSensors.SEGMENT_TAG), name.tags().get(ModelFitFailureSensors.REASON_TAG));
            }
        }
    }

    private static boolean selected(MetricName name) {
        return name.group().equals(PipelineMeters.SENSOR_GROUP) && name.name().equals(NAME)
                && name.tags().containsKey(ModelFitFailureSensors.SEGMENT_TAG)
                && name.tags().containsKey(ModelFitFailureSensors.REASON_TAG);
    }

    private void register(String segment, String reason) {
        totals.computeIfAbsent(segment + "|" + reason, key -> {
            StreamsSensorTotal total = new StreamsSensorTotal(metrics, n -> selected(n)
                    && segment.equals(n.tags().get(ModelFitFailureSensors.SEGMENT_TAG))
                    && reason.equals(n.tags().get(ModelFitFailureSensors.REASON_TAG)));
            FunctionCounter.builder("retention.pulse.model.fit.failures", total, StreamsSensorTotal::value)
                    .description("Failed customer-lifetime model fits, by segment fitted and reason")
                    .tag("segment", segment).tag("reason", reason).register(registry);
            return total;
        });
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.shutdownNow();
        }
    }
}
