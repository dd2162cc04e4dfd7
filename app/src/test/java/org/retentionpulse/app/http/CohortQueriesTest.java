package org.retentionpulse.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.time.CohortSpec;

/**
 * {@code GET /api/cohorts} on a real socket, its cells from the shop example's expected cells
 * ({@code docs/examples/shop.cohorts.expected.jsonl}, the week of 01-15 marked open) instead of a store: the triangle's
 * rows and cells, the open/final marks, and the parameter errors.
 */
class CohortQueriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<String> asked = new AtomicReference<>();
    private List<ObjectNode> expected;
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        expected = expectedCells();
        List<CohortCell> cells = new ArrayList<>();
        for (ObjectNode line : expected) {
            cells.add(CanonicalJson.parseCohortCell(line.toString()));
        }
        server = new ApiServer(HttpSettings.from(Settings.load(null, Map.of(), Map.of(AppDefaults.HTTP_PORT, "0"))));
        TopologyConfig topology = TopologyConfig.defaults().withCohorts(new CohortSpec(CohortSpec.Period.P1W, 4));
        // Like the store's key range, the source answers with more than the segment asked: the route filters.
        server.route(CohortQueries.PATH, new CohortQueries(topology, (segment, request) -> {
            asked.set(segment);
            return new CohortCellSource.Local(cells, "here:1");
        }));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersOneRowPerCohortWithItsSizeAndItsCellsByPeriodMarkedOpenOrFinal() throws Exception {
        JsonNode body = JSON.readTree(get("/api/cohorts?period=P1W&segment=all").body());
        assertEquals("P1W", body.get("cohort_period").asText());
        assertEquals("all", body.get("segment").asText());
        assertEquals(4, body.get("periods").asInt());
        assertEquals("here:1", body.get("served_by").asText());
        JsonNode rows = body.get("cohorts");
        assertEquals(2, rows.size());
        assertEquals("2024-01-01T00:00:00Z", rows.get(0).get("cohort_start").asText());
        assertEquals(6, rows.get(0).get("customers").asInt());
        assertEquals("2024-01-08T00:00:00Z", rows.get(1).get("cohort_start").asText());
        assertEquals(1, rows.get(1).get("customers").asInt());
        // The week 01-01 cohort: retention 66.6667 / 33.3333 / 16.6667, active share 100 / 66.6667 / 50 (README of the examples).
        JsonNode week1 = rows.get(0).get("cells");
        assertEquals(List.of(0, 1, 2), periods(week1));
        assertEquals(List.of("66.6667", "33.3333", "16.6667"), decimals(week1, "retention"));
        assertEquals(List.of("100", "66.6667", "50"), decimals(week1, "active_share"));
        assertEquals(List.of(true, true, false), finals(week1), "the cell of week 01-15 is open");
        assertEquals(List.of(true, false), finals(rows.get(1).get("cells")));
        assertFalse(week1.get(0).has("segment"), "the row says what the cells share: " + week1.get(0));
    }

    @Test
    void everyCellOfASegmentIsTheExpectedCellOfThatSegmentAndNoOther() throws Exception {
        JsonNode rows = JSON.readTree(get("/api/cohorts?segment=plan%3Dteam").body()).get("cohorts");
        assertEquals("plan=team", asked.get());
        List<ObjectNode> team = expected.stream().filter(c -> c.get("segment").asText().equals("plan=team")).toList();
        assertFalse(team.isEmpty());
        int cells = 0;
        for (JsonNode row : rows) {
            for (JsonNode cell : row.get("cells")) {
                ObjectNode want = team.stream().filter(c -> c.get("cohort_start").asText().equals(row.get("cohort_start").asText())
                        && c.get("period").asInt() == cell.get("period").asInt()).findFirst().orElseThrow();
                for (String field : List.of("customers", "retained", "active", "revenue", "retention", "active_share",
                        "revenue_per_customer", "final")) {
                    assertTrue(same(want.get(field), cell.get(field)), field + " of " + cell + ", expected " + want);
                }
                cells++;
            }
        }
        assertEquals(team.size(), cells);
    }

    @Test
    void aBadPeriodOrSegmentIsA400NamingTheParameter() throws Exception {
        assertError("/api/cohorts?period=P2W", "period 'P2W'");
        assertError("/api/cohorts?period=P1M", "period 'P1M' is not configured");
        assertError("/api/cohorts?segment=plan", "segment 'plan'");
        assertError("/api/cohorts?segment=color%3Dred", "segment 'color=red'");
        assertEquals(404, get("/api/cohorts/more").statusCode());
    }

    private void assertError(String path, String message) throws Exception {
        HttpResponse<String> response = get(path);
        assertEquals(400, response.statusCode(), path);
        assertTrue(JSON.readTree(response.body()).get("error").asText().contains(message), response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The example's cells as records on the topic would carry them: final, except those of the week of 01-15. */
    private static List<ObjectNode> expectedCells() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        try (InputStream in = CohortQueriesTest.class.getResourceAsStream("/reference/shop.cohorts.expected.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode cell = (ObjectNode) JSON.readTree(line);
                long week = java.time.Instant.parse(cell.get("cohort_start").asText())
                        .plus(Duration.ofDays(7L * cell.get("period").asInt())).getEpochSecond();
                cell.put("final", week != java.time.Instant.parse("2024-01-15T00:00:00Z").getEpochSecond());
                cell.put("computed_at", "2024-01-20T00:00:00Z");
                out.add(cell);
            }
        }
        return out;
    }

    /** Numbers and the revenue string numerically (100.0 is 100.0000, "0" is "0.00"), booleans as they are. */
    private static boolean same(JsonNode want, JsonNode got) {
        if (want.isBoolean()) {
            return want.equals(got);
        }
        return new java.math.BigDecimal(want.asText()).compareTo(new java.math.BigDecimal(got.asText())) == 0;
    }

    private static List<Integer> periods(JsonNode cells) {
        List<Integer> out = new ArrayList<>();
        cells.forEach(c -> out.add(c.get("period").asInt()));
        return out;
    }

    private static List<String> decimals(JsonNode cells, String field) {
        List<String> out = new ArrayList<>();
        cells.forEach(c -> out.add(c.get(field).decimalValue().stripTrailingZeros().toPlainString()));
        return out;
    }

    private static List<Boolean> finals(JsonNode cells) {
        List<Boolean> out = new ArrayList<>();
        cells.forEach(c -> out.add(c.get("final").asBoolean()));
        return out;
    }
}
