package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;

/**
 * The worked edge-case stream of the spec (docs/examples/edges.jsonl, a test resource through the module's pom):
 * its four invalid lines are rejected for the documented reasons, the 20 others parse.
 */
class EdgesExampleTest {

    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");

    private static List<String> lines;

    @BeforeAll
    static void readExample() throws IOException {
        try (InputStream in = EdgesExampleTest.class.getResourceAsStream("/examples/edges.jsonl")) {
            assertNotNull(in, "examples/edges.jsonl missing from test resources");
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void invalidLinesAreRejectedForTheirReasonAndTheRestParse() {
        Map<String, RejectReason> rejected = new LinkedHashMap<>();
        List<SpecificRecord> accepted = new ArrayList<>();
        for (String line : lines) {
            try {
                accepted.add(CanonicalJson.parseEvent(line, "EUR"));
            } catch (InvalidEventException e) {
                Matcher id = EVENT_ID.matcher(line);
                rejected.put(id.find() ? id.group(1) : line, e.reason());
            }
        }

        assertEquals(Map.of(
                "e13", RejectReason.SCORE_OUT_OF_RANGE,
                "e18", RejectReason.AMOUNT_SCALE,
                "e19", RejectReason.CURRENCY_MISMATCH,
                "this line is not JSON", RejectReason.NOT_JSON),
            rejected);
        // 24 lines: 23 JSON events (e01..e22 plus the duplicate e04) and the non-JSON line.
        assertEquals(24, lines.size());
        assertEquals(20, accepted.size());
    }

    @Test
    void acceptedLinesKeepTheirEdgeValues() {
        Map<String, SpecificRecord> byId = new LinkedHashMap<>();
        for (String line : lines) {
            try {
                SpecificRecord event = CanonicalJson.parseEvent(line, "EUR");
                byId.put(EventType.eventId(event), event);
            } catch (InvalidEventException e) {
                // rejected lines are covered above
            }
        }

        Purchase lastMilli = (Purchase) byId.get("e05");
        assertEquals("2024-03-01T23:59:59.999Z", lastMilli.getOccurredAt().toString());
        assertEquals(new BigDecimal("100.00"), lastMilli.getAmount());
        assertEquals(new BigDecimal("0.01"), ((Purchase) byId.get("e04")).getAmount());
        Signup noChannel = (Signup) byId.get("e02");
        assertEquals("basic", noChannel.getPlan());
        assertEquals(null, noChannel.getChannel());
        assertEquals(EventType.CANCELLATION, EventType.of(byId.get("e15")));
    }

    @Test
    void everyAcceptedLineIsAlreadyInCanonicalForm() {
        int checked = 0;
        for (String line : lines) {
            SpecificRecord event;
            try {
                event = CanonicalJson.parseEvent(line, "EUR");
            } catch (InvalidEventException e) {
                continue;
            }
            assertEquals(line, CanonicalJson.formatEvent(event));
            checked++;
        }
        assertEquals(20, checked);
    }
}
