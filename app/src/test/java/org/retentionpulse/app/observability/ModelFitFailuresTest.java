package org.retentionpulse.app.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.model.ModelFitException;
import org.retentionpulse.topology.modelfit.ModelFitFailureSensors;

/** retention_pulse_model_fit_failures_total{segment, reason}: the tasks' failure sensors, summed per segment and reason. */
class ModelFitFailuresTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<MetricName, Metric> metrics = new ConcurrentHashMap<>();
    private final ModelFitFailures failures = new ModelFitFailures(registry, () -> metrics, false);

    private void sensor(String task, String segment, String reason, double total) {
        MetricName name = new MetricName(ModelFitFailureSensors.METRIC + "-total", PipelineMeters.SENSOR_GROUP, "",
                Map.of("task-id", task, ModelFitFailureSensors.SEGMENT_TAG, segment, ModelFitFailureSensors.REASON_TAG, reason));
        metrics.put(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return total;
            }
        });
    }

    private Double count(String segment, String reason) {
        FunctionCounter c = registry.find("retention.pulse.model.fit.failures").tags("segment", segment, "reason", reason)
                .functionCounter();
        return c == null ? null : c.count();
    }

    @Test
    void theOverallFitsReasonsAreThereFromTheStartAtZero() {
        for (ModelFitException.Reason reason : ModelFitException.Reason.values()) {
            assertEquals(0.0, count("all", reason.code()), reason::code);
        }
    }

    @Test
    void aSegmentsFailuresAppearOnceSeenAndAreSummedOverTasks() {
        sensor("0_0", "all", "no_convergence", 2);
        sensor("0_1", "all", "no_convergence", 3);
        sensor("0_1", "plan=pro", "not_identified", 4);
        assertNull(count("plan=pro", "not_identified"), "not registered before it is seen");

        failures.discover();

        assertEquals(5.0, count("all", "no_convergence"));
        assertEquals(4.0, count("plan=pro", "not_identified"));
        assertEquals(0.0, count("all", "not_identified"));
        assertNull(count("plan=pro", "no_convergence"), "only the pairs that failed");
    }
}
