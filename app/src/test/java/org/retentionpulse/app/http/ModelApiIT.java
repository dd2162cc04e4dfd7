package org.retentionpulse.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.Eventually;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.pipeline.ServedPipeline;
import org.retentionpulse.app.pipeline.TopicProvisioner;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.topology.TopologyConfig;

/**
 * The customer-lifetime model fitted in the stream, seen from outside on a real broker: {@code GET /api/model}
 * lists the task's latest fits (overall and per plan), the Prometheus scrape has their parameters and the failure
 * counter, and a customer's risk carries the model's prediction made with the fit of its plan if it has one, else
 * with the overall fit.
 */
class ModelApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final long DAY = 86_400_000L;
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /**
     * Customers buying the BG/NBD way for 60 days: heterogeneous rates and dropouts, in event-time order; every tenth
     * on plan free (too few for a fit of its own), the others on pro.
     */
    private static List<String[]> events() {
        Random random = new Random(14);
        List<String[]> out = new ArrayList<>();
        int ids = 0;
        for (int c = 0; c < 500; c++) {
            String id = "m" + c;
            long t = START.toEpochMilli() + random.nextInt(20) * DAY + random.nextInt((int) DAY);
            out.add(new String[] {id, Long.toString(t), "{\"type\":\"signup\",\"event_id\":\"e" + (++ids) + "\",\"customer_id\":\"" + id
                    + "\",\"occurred_at\":\"" + Instant.ofEpochMilli(t) + "\",\"plan\":\"" + (c % 10 == 0 ? "free" : "pro")
                    + "\",\"country\":\"DE\",\"channel\":\"ads\"}"});
            double rate = 0.01 - Math.log(1 - random.nextDouble()) * 0.1;
            double u = random.nextDouble();
            for (t += 60_000; t < START.toEpochMilli() + 60 * DAY; t += (long) (-Math.log(1 - random.nextDouble()) / rate * DAY)) {
                out.add(new String[] {id, Long.toString(t), "{\"type\":\"purchase\",\"event_id\":\"e" + (++ids) + "\",\"customer_id\":\""
                        + id + "\",\"occurred_at\":\"" + Instant.ofEpochMilli(t) + "\",\"order_id\":\"o" + ids + "\",\"amount\":\""
                        + (10 + random.nextInt(40)) + ".00\",\"currency\":\"EUR\"}"});
                if (random.nextDouble() < 0.8 * u * u) {
                    break;
                }
            }
        }
        out.sort(Comparator.comparingLong(e -> Long.parseLong(e[1])));
        return out;
    }

    @Test
    void theTasksFitIsServedExportedAndUsedForTheCustomersPrediction(@TempDir Path state) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        overrides.put(AppDefaults.APPLICATION_ID, "model-api-it");
        overrides.put(AppDefaults.STATE_DIR, state.toString());
        overrides.put(AppDefaults.TOPICS_PARTITIONS, "1");
        overrides.put(AppDefaults.HTTP_PORT, "0");
        overrides.put("streams.commit.interval.ms", "100");
        overrides.put(AppDefaults.MODEL_FIT_SEGMENT_DIMENSION, "plan");
        overrides.put(AppDefaults.MODEL_FIT_SEGMENT_MIN_CUSTOMERS, "50");
        PipelineSettings settings = new PipelineSettings(Settings.load(null, Map.of(), overrides));
        TopologyConfig topology = settings.topology(1);
        try (TopicProvisioner topics = new TopicProvisioner(settings.clientProperties())) {
            topics.createMissing(topology.topics(), 1, (short) 1);
        }
        try (ServedPipeline served = ServedPipeline.start(settings, topology, Map.of())) {
            Eventually.await("the pipeline running", Duration.ofSeconds(90), () -> served.pipeline().streams(),
                    s -> s.state() == KafkaStreams.State.RUNNING);
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                for (String[] e : events()) {
                    producer.send(new ProducerRecord<>(topology.topics().inputs().get(0), e[0], e[2].getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
            }
            // the last fit is as of the last midnight the stream time crossed: day 59 (no event on day 60)
            JsonNode model = Eventually.await("fits as of 2024-02-29", Duration.ofSeconds(120), () -> getJson(served, "/api/model"),
                    body -> body.path("fits").size() == 2
                            && body.path("fits").get(0).path("fitted_at").asText().equals("2024-02-29T00:00:00Z")
                            && body.path("fits").get(1).path("fitted_at").asText().equals("2024-02-29T00:00:00Z"));
            assertTrue(model.get("enabled").asBoolean());
            assertEquals(Duration.ofDays(1), Duration.parse(model.get("fit_interval").asText()));
            assertEquals("plan", model.get("fit_segment_dimension").asText());
            JsonNode fit = model.get("fits").get(0);
            assertEquals("all", fit.get("segment").asText());
            JsonNode pro = model.get("fits").get(1);
            assertEquals("plan=pro", pro.get("segment").asText(), "plan free has too few repeat buyers: " + model);
            assertTrue(pro.get("bgnbd").get("customers").asInt() < fit.get("bgnbd").get("customers").asInt(), model.toString());
            assertTrue(fit.get("bgnbd").get("customers").asInt() > 400, fit.toString());
            double r = fit.get("bgnbd").get("r").asDouble();
            assertTrue(r > 0 && fit.get("gamma_gamma").get("q").asDouble() > 1, fit.toString());

            String scrape = Eventually.await("the model gauges", Duration.ofSeconds(30), () -> get(served, "/metrics").body(),
                    body -> body.contains("retention_pulse_model_parameter{"));
            Matcher exported = Pattern.compile("retention_pulse_model_parameter\\{parameter=\"r\",partition=\"0\",segment=\"all\"} (\\S+)")
                    .matcher(scrape);
            assertTrue(exported.find(), scrape);
            assertEquals(r, Double.parseDouble(exported.group(1)), 1e-9 * r, "the scrape exports the fitted r");
            assertTrue(scrape.contains("retention_pulse_model_parameter{parameter=\"r\",partition=\"0\",segment=\"plan=pro\"}"), scrape);
            assertTrue(scrape.contains("retention_pulse_model_fit_failures_total{reason=\"no_convergence\",segment=\"all\"}"), scrape);
            JsonNode free = getJson(served, "/api/customers/m10/risk").path("model").path("prediction");
            assertEquals("all", free.path("fit_segment").asText(), "plan free is scored by the overall fit: " + free);

            JsonNode risk = getJson(served, "/api/customers/m7/risk");
            JsonNode prediction = risk.path("model").path("prediction");
            assertEquals("2024-02-29T00:00:00Z", prediction.path("fitted_at").asText(), risk.toString());
            assertEquals("plan=pro", prediction.path("fit_segment").asText(), "a pro customer is scored by its plan's fit");
            double pAlive = prediction.path("p_alive").asDouble(-1);
            assertTrue(pAlive >= 0 && pAlive <= 1, risk.toString());
            if (risk.get("model").get("repeat_purchases").asInt() == 0) {
                assertEquals(1.0, pAlive, "a one-time buyer is alive by construction");
            }
            assertEquals(prediction.get("expected_purchases").asDouble() * prediction.get("expected_spend").asDouble(),
                    prediction.get("predicted_clv").asDouble(), 1e-9);
        }
    }

    private static JsonNode getJson(ServedPipeline p, String path) throws Exception {
        HttpResponse<String> response = get(p, path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(ServedPipeline p, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(p.url() + path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
