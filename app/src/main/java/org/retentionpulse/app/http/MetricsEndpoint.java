package org.retentionpulse.app.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;

/**
 * {@code GET /metrics}: the Prometheus scrape of the registry. OpenMetrics 1.0 when the Accept header asks for
 * {@code application/openmetrics-text} (as Prometheus does by default), else the Prometheus text format
 * 0.0.4; the registry's own writers produce both (the content type passed to {@code scrape} selects the
 * writer, the same negotiation the Prometheus client applies to an Accept header).
 */
public final class MetricsEndpoint implements ApiServer.Route {
    public static final String PATH = "/metrics";
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApiServer.Reply handle(ApiServer.Request request) throws Exception {
        String accept = request.header("Accept");
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        registry.scrape(out, type);
        return new ApiServer.Reply(200, type, out.toByteArray());
    }
}
