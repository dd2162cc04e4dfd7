package org.retentionpulse.app.pipeline;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.http.ApiServer;
import org.retentionpulse.app.http.CohortQueries;
import org.retentionpulse.app.http.CustomerRiskQueries;
import org.retentionpulse.app.http.HealthRoutes;
import org.retentionpulse.app.http.ModelQueries;
import org.retentionpulse.app.http.HttpSettings;
import org.retentionpulse.app.http.MetricQueries;
import org.retentionpulse.app.http.MetricsEndpoint;
import org.retentionpulse.app.observability.OutputMonitor;
import org.retentionpulse.app.observability.PipelineMeters;
import org.retentionpulse.topology.TopologyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Pipeline} with everything that serves it: the HTTP server (health, {@code /metrics}, the API),
 * the Prometheus registry with the pipeline meters, and the output monitor. The HTTP port is bound first,
 * so Kafka Streams' {@code application.server} names the real port (also when {@code http.port=0}).
 */
public final class ServedPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServedPipeline.class);

    private final ApiServer server;
    private final Pipeline pipeline;
    private final PrometheusMeterRegistry registry;
    private final PipelineMeters meters;
    private final OutputMonitor monitor;

    private ServedPipeline(ApiServer server, Pipeline pipeline, PrometheusMeterRegistry registry, PipelineMeters meters,
                           OutputMonitor monitor) {
        this.server = server;
        this.pipeline = pipeline;
        this.registry = registry;
        this.meters = meters;
        this.monitor = monitor;
    }

    /**
     * Binds the HTTP port, creates and starts the pipeline, the meters and the monitor, then serves HTTP.
     * The output topics must exist (the monitor assigns their partitions).
     */
    public static ServedPipeline start(PipelineSettings settings, TopologyConfig topology, Map<String, Object> extraStreamsProperties)
            throws IOException {
        HttpSettings http = HttpSettings.from(settings.settings());
        ApiServer server = new ApiServer(http);
        Pipeline pipeline = null;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PipelineMeters meters = null;
        OutputMonitor monitor = null;
        try {
            Map<String, Object> extra = new HashMap<>(extraStreamsProperties);
            extra.put(StreamsConfig.APPLICATION_SERVER_CONFIG, server.advertised());
            pipeline = new Pipeline(topology, settings.streamsProperties(topology, extra));
            meters = new PipelineMeters(registry, pipeline);
            monitor = new OutputMonitor(settings.clientProperties(), topology, registry,
                    settings.settings().getInt(AppDefaults.METRICS_SEGMENT_CAP)).start();
            Pipeline p = pipeline;
            HealthRoutes.addTo(server, p::state);
            server.route(MetricsEndpoint.PATH, new MetricsEndpoint(registry));
            server.route(MetricQueries.PATH, new MetricQueries(pipeline.streams(), topology, server));
            server.route(CustomerRiskQueries.PATH, new CustomerRiskQueries(pipeline.streams(), topology, server));
            server.route(ModelQueries.PATH, new ModelQueries(monitor.modelFits(), topology));
            server.route(CohortQueries.PATH, CohortQueries.of(pipeline.streams(), topology, server));
            pipeline.start();
            server.start();
            return new ServedPipeline(server, pipeline, registry, meters, monitor);
        } catch (RuntimeException e) {
            server.close();
            if (monitor != null) {
                monitor.close();
            }
            if (meters != null) {
                meters.close();
            }
            if (pipeline != null) {
                pipeline.close(Duration.ofSeconds(10));
            }
            registry.close();
            throw e;
        }
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Base URL of this instance's HTTP server, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) {
        log.info("Stopping HTTP server, output monitor and pipeline");
        server.close();
        monitor.close();
        meters.close();
        pipeline.close(timeout);
        registry.close();
    }
}
