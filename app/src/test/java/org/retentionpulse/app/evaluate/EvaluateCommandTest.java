package org.retentionpulse.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.RetentionPulse;

/**
 * {@code retention-pulse evaluate} end to end on a small history file: who is scored, who churned, the recency
 * baseline's AUC against an independent computation, and the scores file.
 */
class EvaluateCommandTest {
    private static final long DAY = 86_400_000L;
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant CALIBRATION_END = Instant.parse("2024-04-01T00:00:00Z");
    private static final Instant HOLDOUT_END = Instant.parse("2024-07-01T00:00:00Z");
    private int ids;

    private record Customer(String id, List<Long> purchases, boolean cancelled) {
    }

    @Test
    void scoresTheActiveBuyersAndRanksAgainstTheBaselines(@TempDir Path dir) throws Exception {
        Random random = new Random(14);
        List<String> lines = new ArrayList<>();
        List<Customer> customers = new ArrayList<>();
        for (int c = 0; c < 400; c++) {
            String id = "c" + c;
            long signup = START.toEpochMilli() + random.nextInt(60) * DAY + random.nextInt((int) DAY);
            lines.add(signup(id, signup));
            List<Long> purchases = new ArrayList<>();
            if (c % 20 != 7) { // every 20th customer never buys: left out as "without a purchase"
                // BG/NBD's story with heterogeneous rates and dropouts, so that the model is identified
                double rate = 0.01 - Math.log(1 - random.nextDouble()) * 0.08;
                double u = random.nextDouble();
                double dropout = 0.8 * u * u;
                for (long t = signup + DAY / 2; t < HOLDOUT_END.toEpochMilli();
                        t += (long) (-Math.log(1 - random.nextDouble()) / rate * DAY)) {
                    purchases.add(t);
                    lines.add(purchase(id, t, 500 + random.nextInt(4_000)));
                    if (random.nextDouble() < dropout) {
                        break;
                    }
                }
            }
            boolean cancelled = c % 20 == 3; // cancelled before the calibration end: "not active"
            if (cancelled) {
                lines.add(cancellation(id, CALIBRATION_END.toEpochMilli() - DAY));
            }
            customers.add(new Customer(id, purchases, cancelled));
        }
        Path input = dir.resolve("events.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
        Path scores = dir.resolve("scores.jsonl");

        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = RetentionPulse.commandLine().execute("evaluate", "--input", input.toString(),
                    "--calibration-end", "2024-04-01", "--holdout-end", "2024-07-01", "--scores-out", scores.toString());
        } finally {
            System.setOut(stdout);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertEquals(0, exit, report);

        // independently: who is scored, who churned, and the recency baseline
        long cal = CALIBRATION_END.toEpochMilli();
        List<Customer> scored = customers.stream().filter(c -> !c.cancelled() && c.purchases().stream().anyMatch(t -> t < cal)).toList();
        long withoutPurchase = customers.stream().filter(c -> !c.cancelled() && c.purchases().stream().noneMatch(t -> t < cal)).count();
        long notActive = customers.stream().filter(Customer::cancelled).count();
        List<Boolean> churned = scored.stream().map(c -> c.purchases().stream().noneMatch(t -> t >= cal)).toList();
        double[] recency = scored.stream().mapToDouble(c -> cal - c.purchases().stream().filter(t -> t < cal).mapToLong(Long::longValue).max().orElseThrow()).toArray();
        assertTrue(report.contains(String.format(Locale.ROOT, "Customers: %,d active at %s with a purchase before it (left out: %,d without a purchase, %,d not active)",
                scored.size(), CALIBRATION_END, withoutPurchase, notActive)), report);
        long churners = churned.stream().filter(b -> b).count();
        assertTrue(report.contains(String.format(Locale.ROOT, "to %s): %,d (", HOLDOUT_END, churners)), report);
        assertEquals(auc(recency, churned), printed(report, "baseline: days since the last purchase"), 1e-4);
        double score = printed(report, "risk score (rules + model)");
        assertTrue(score > 0.5, "the score ranks churners above chance on a history where dropouts stop buying: " + report);

        List<String> out = Files.readAllLines(scores, StandardCharsets.UTF_8);
        assertEquals(scored.size(), out.size());
        ObjectMapper json = new ObjectMapper();
        Set<String> expectedIds = new HashSet<>();
        scored.forEach(c -> expectedIds.add(c.id()));
        Map<String, Customer> byId = new HashMap<>();
        scored.forEach(c -> byId.put(c.id(), c));
        for (String line : out) {
            JsonNode n = json.readTree(line);
            String id = n.get("customer_id").asText();
            assertTrue(expectedIds.remove(id), "one line per scored customer: " + line);
            double pAlive = n.get("p_alive").asDouble();
            assertTrue(pAlive >= 0 && pAlive <= 1, line);
            long days = byId.get(id).purchases().stream().filter(t -> t < cal).map(t -> Math.floorDiv(t, DAY)).distinct().count();
            if (days == 1) {
                assertEquals(1.0, pAlive, "a one-time buyer is alive by construction: " + line);
            }
            assertTrue(n.get("expected_purchases").asDouble() >= 0 && n.get("predicted_clv").asDouble() >= 0, line);
            assertTrue(Set.of("LOW", "MEDIUM", "HIGH").contains(n.get("level").asText()), line);
            double s = n.get("score").asDouble();
            assertTrue(s >= 0 && s <= 1, line);
        }
    }

    /** Probability that a churner outranks a non-churner, ties counting half (Mann-Whitney). */
    private static double auc(double[] score, List<Boolean> positive) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < score.length; i++) {
            for (int j = 0; j < score.length; j++) {
                if (positive.get(i) && !positive.get(j)) {
                    pairs++;
                    wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }

    private static double printed(String report, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+([0-9.]+)").matcher(report);
        assertTrue(m.find(), label + " in " + report);
        return Double.parseDouble(m.group(1));
    }

    private String signup(String customer, long at) {
        return "{\"type\":\"signup\",\"event_id\":\"e" + (++ids) + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\""
                + Instant.ofEpochMilli(at) + "\",\"plan\":\"pro\",\"country\":\"DE\",\"channel\":\"ads\"}";
    }

    private String purchase(String customer, long at, long cents) {
        return "{\"type\":\"purchase\",\"event_id\":\"e" + (++ids) + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\""
                + Instant.ofEpochMilli(at) + "\",\"order_id\":\"o" + ids + "\",\"amount\":\""
                + java.math.BigDecimal.valueOf(cents, 2) + "\",\"currency\":\"EUR\"}";
    }

    private String cancellation(String customer, long at) {
        return "{\"type\":\"cancellation\",\"event_id\":\"e" + (++ids) + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\""
                + Instant.ofEpochMilli(at) + "\",\"reason\":\"price\"}";
    }
}
