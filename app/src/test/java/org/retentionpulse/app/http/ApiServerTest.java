package org.retentionpulse.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;

/** The HTTP server on a real socket: health, the token guard, JSON errors, parameters. */
class ApiServerTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        Settings settings = Settings.load(null, Map.of("RETENTION_PULSE_HTTP_TOKEN", "t0ken"), Map.of(AppDefaults.HTTP_PORT, "0"));
        server = new ApiServer(HttpSettings.from(settings));
        HealthRoutes.addTo(server, state::get);
        server.route("/api/echo/", request -> ApiServer.Reply.json(200, request.query()));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(5));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyOnlyWhileKafkaStreamsIsRunningLiveAlways() throws Exception {
        HttpResponse<String> notReady = get("/health/ready");
        assertEquals(503, notReady.statusCode());
        assertTrue(notReady.body().contains("REBALANCING"), notReady.body());
        assertEquals(200, get("/health/live").statusCode());
        state.set(KafkaStreams.State.RUNNING);
        assertEquals(200, get("/health/ready").statusCode());
        state.set(KafkaStreams.State.PENDING_SHUTDOWN);
        assertEquals(503, get("/health/ready").statusCode());
    }

    @Test
    void apiNeedsTheBearerTokenFromTheEnvironmentHealthDoesNot() throws Exception {
        assertEquals(401, get("/api/echo/x").statusCode());
        assertEquals(401, get("/api/echo/x", "Authorization", "Bearer nope").statusCode());
        assertEquals(401, get("/api/echo/x", "Authorization", "Basic dDBrZW4=").statusCode());
        HttpResponse<String> ok = get("/api/echo/x?segment=plan%3Dpro&window=P1D/P1D", "Authorization", "Bearer t0ken");
        assertEquals(200, ok.statusCode());
        assertEquals("{\"segment\":\"plan=pro\",\"window\":\"P1D/P1D\"}", ok.body());
        assertEquals(503, get("/health/ready").statusCode(), "health is never guarded");
    }

    @Test
    void errorsAreJsonWithTheirStatus() throws Exception {
        HttpResponse<String> twice = get("/api/echo/x?a=1&a=2", "Authorization", "Bearer t0ken");
        assertEquals(400, twice.statusCode());
        assertEquals("{\"status\":400,\"error\":\"parameter 'a' given twice\"}", twice.body());
        assertEquals("application/json", twice.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(404, get("/health/live/more").statusCode());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/health/live"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void tokenIsNeverInTheSettingsDescriptionOrToString() {
        Settings settings = Settings.load(null, Map.of("RETENTION_PULSE_HTTP_TOKEN", "t0ken"), Map.of());
        assertFalse(settings.describe().toString().contains("t0ken"));
        assertFalse(HttpSettings.from(settings).toString().contains("t0ken"));
    }
}
