package org.retentionpulse.app.http;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code /health/live}: 200 while the process serves HTTP. {@code /health/ready}: 200 only while Kafka
 * Streams is RUNNING (all tasks assigned and restored), else 503; both say the state.
 */
public final class HealthRoutes {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private HealthRoutes() {
    }

    public static void addTo(ApiServer server, Supplier<KafkaStreams.State> state) {
        server.route(LIVE, request -> ApiServer.Reply.json(200, Map.of("status", "live", "state", state.get().name())));
        server.route(READY, request -> {
            KafkaStreams.State now = state.get();
            boolean ready = now == KafkaStreams.State.RUNNING;
            return ApiServer.Reply.json(ready ? 200 : 503, Map.of("status", ready ? "ready" : "not ready", "state", now.name()));
        });
    }
}
