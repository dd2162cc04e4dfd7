package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.retentionpulse.reference.WindowSpecRef;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;
import org.retentionpulse.topology.OutputHeaders;

/** Churn-risk alerts through the whole topology on a TopologyTestDriver, one scenario per signal. */
class ChurnRiskAlertsTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private int eventIds;

    private static Instant day(double d) {
        return T0.plusMillis(Math.round(d * 86_400_000d));
    }

    private String signup(String customer, Instant at) {
        return "{\"type\":\"signup\",\"event_id\":\"e" + (++eventIds) + "\",\"customer_id\":\"" + customer
                + "\",\"occurred_at\":\"" + at + "\",\"plan\":\"pro\",\"country\":\"DE\",\"channel\":\"referral\"}";
    }

    private String purchase(String customer, Instant at) {
        return "{\"type\":\"purchase\",\"event_id\":\"e" + (++eventIds) + "\",\"customer_id\":\"" + customer
                + "\",\"occurred_at\":\"" + at + "\",\"order_id\":\"o" + eventIds + "\",\"amount\":\"20.00\",\"currency\":\"EUR\"}";
    }

    private String survey(String customer, Instant at, String survey, int score) {
        return "{\"type\":\"survey\",\"event_id\":\"e" + (++eventIds) + "\",\"customer_id\":\"" + customer
                + "\",\"occurred_at\":\"" + at + "\",\"survey\":\"" + survey + "\",\"score\":" + score + "}";
    }

    private String cancellation(String customer, Instant at) {
        return "{\"type\":\"cancellation\",\"event_id\":\"e" + (++eventIds) + "\",\"customer_id\":\"" + customer
                + "\",\"occurred_at\":\"" + at + "\",\"reason\":\"price\"}";
    }

    private static List<RiskSignal> signals(ChurnRiskAlert alert) {
        return alert.getReasons().stream().map(RiskReason::getSignal).toList();
    }

    private static List<ChurnRiskAlert> values(List<TestRecord<String, ChurnRiskAlert>> records) {
        return records.stream().map(TestRecord::value).toList();
    }

    @Test
    void weeklyBuyerWhoStopsIsFlaggedInactiveThreeWeeksAfterTheLastPurchaseAndNotBefore() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(signup("wes", day(0)));
            for (int week = 0; week < 10; week++) {
                pipeline.send(purchase("wes", day(7 * week)));
            }
            // Last purchase on day 63; weekly rhythm, so INACTIVE at 3 x 7 = 21 days, on day 84.
            for (int d = 64; d <= 84; d++) {
                pipeline.tick(day(d));
            }
            assertEquals(List.of(), pipeline.alerts(), "nothing before stream time passes day 84");

            pipeline.tick(day(84).plusMillis(1));
            List<TestRecord<String, ChurnRiskAlert>> flagged = pipeline.alerts();
            assertEquals(1, flagged.size());
            ChurnRiskAlert medium = flagged.get(0).value();
            assertEquals("wes", flagged.get(0).key());
            assertEquals(RiskLevel.MEDIUM, medium.getLevel());
            assertEquals(List.of(RiskSignal.INACTIVE), signals(medium));
            assertEquals(day(84), medium.getTriggeredAt());
            assertEquals(21.0, medium.getReasons().get(0).getEvidence().get("days_since_last_purchase"));
            assertEquals(7.0, medium.getReasons().get(0).getEvidence().get("typical_gap_days"));
            assertEquals("pro", medium.getPlan());
            assertTrue(OutputHeaders.sourceTimestamp(flagged.get(0).headers()) >= 0, "source timestamp header");

            for (int d = 85; d <= 100; d++) {
                pipeline.tick(day(d));
            }
            List<ChurnRiskAlert> escalated = values(pipeline.alerts());
            assertEquals(1, escalated.size(), "one escalation to HIGH, at 1.75 x the threshold");
            assertEquals(RiskLevel.HIGH, escalated.get(0).getLevel());
            assertEquals(day(63 + 21 * 1.75), escalated.get(0).getTriggeredAt());

            for (int d = 101; d <= 200; d++) {
                pipeline.tick(day(d));
            }
            assertEquals(List.of(), pipeline.alerts(), "no repeats while the customer stays at risk");
        }
    }

    @Test
    void steadyBuyerWithARegularRhythmIsNeverFlagged() {
        Random random = new Random(7);
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(signup("sam", day(0)));
            for (int week = 0; week < 52; week++) {
                pipeline.send(purchase("sam", day(7 * week + random.nextDouble() * 2 - 1 + 1)));
                for (int d = 1; d <= 7; d++) {
                    pipeline.tick(day(7 * week + d));
                }
            }
            assertEquals(List.of(), pipeline.alerts());
        }
    }

    @Test
    void detractorResponseAlertsAtOnceAndOnlyAgainAfterRecoveringToLow() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(signup("dora", day(0)));
            pipeline.send(purchase("dora", day(1)));
            pipeline.send(survey("dora", day(2), "NPS", 3));
            List<ChurnRiskAlert> first = values(pipeline.alerts());
            assertEquals(1, first.size());
            assertEquals(RiskLevel.MEDIUM, first.get(0).getLevel());
            assertEquals(List.of(RiskSignal.DETRACTOR), signals(first.get(0)));
            assertEquals(3.0, first.get(0).getReasons().get(0).getEvidence().get("nps_score"));
            assertEquals(day(2), first.get(0).getTriggeredAt());

            pipeline.send(survey("dora", day(3), "NPS", 5));
            assertEquals(List.of(), pipeline.alerts(), "same level: no repeat");

            pipeline.send(survey("dora", day(4), "CSAT", 1));
            List<ChurnRiskAlert> high = values(pipeline.alerts());
            assertEquals(1, high.size());
            assertEquals(RiskLevel.HIGH, high.get(0).getLevel());
            assertEquals(List.of(RiskSignal.DETRACTOR, RiskSignal.LOW_CSAT), signals(high.get(0)));

            pipeline.send(survey("dora", day(5), "NPS", 9));
            pipeline.send(survey("dora", day(5), "CSAT", 5));
            assertEquals(List.of(), pipeline.alerts(), "recovering publishes nothing");
            pipeline.send(survey("dora", day(6), "NPS", 2));
            List<ChurnRiskAlert> again = values(pipeline.alerts());
            assertEquals(1, again.size(), "back at LOW, so a new detractor response alerts again");
            assertNotEquals(first.get(0).getAlertId(), again.get(0).getAlertId());
        }
    }

    @Test
    void duplicateResponseDoesNotAlertTwice() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(signup("dup", day(0)));
            String detractor = survey("dup", day(1), "NPS", 0);
            pipeline.send(detractor);
            pipeline.send(detractor);
            assertEquals(1, pipeline.alerts().size());
        }
    }

    @Test
    void cancellationPublishesChurnedAndEndsTracking() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(signup("carl", day(0)));
            pipeline.send(purchase("carl", day(1)));
            pipeline.send(purchase("carl", day(8)));
            pipeline.send(cancellation("carl", day(10)));
            List<ChurnRiskAlert> churned = values(pipeline.alerts());
            assertEquals(1, churned.size());
            assertEquals(RiskLevel.CHURNED, churned.get(0).getLevel());
            assertEquals(List.of(RiskSignal.CHURNED), signals(churned.get(0)));
            assertEquals(2.0, churned.get(0).getReasons().get(0).getEvidence().get("purchases"));
            assertEquals(day(10), churned.get(0).getTriggeredAt());

            pipeline.send(cancellation("carl", day(11)));
            for (int d = 12; d <= 400; d += 3) {
                pipeline.tick(day(d));
            }
            assertEquals(List.of(), pipeline.alerts(), "no INACTIVE for a cancelled customer, no second CHURNED");
        }
    }

    @Test
    void signupWithoutPurchasesIsFlaggedAfterThreeDefaultGaps() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(signup("nina", day(0)));
            pipeline.tick(day(90));
            assertEquals(List.of(), pipeline.alerts());
            pipeline.tick(day(91));
            List<ChurnRiskAlert> alerts = values(pipeline.alerts());
            assertEquals(1, alerts.size());
            assertEquals(day(90), alerts.get(0).getTriggeredAt());
            assertTrue(alerts.get(0).getReasons().get(0).getEvidence().containsKey("days_since_signup"));
        }
    }

    @Test
    void endOfInputClosesWindowsWithoutFlaggingEveryone() {
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D"))) {
            pipeline.send(signup("eve", day(0)));
            pipeline.send(purchase("eve", day(1)));
            pipeline.closeAllWindows();
            assertFalse(pipeline.finals().isEmpty());
            assertEquals(List.of(), pipeline.alerts());
        }
    }

    @Test
    void sameInputGivesTheSameAlertsWithTheSameIds() {
        List<String> lines = RandomEventStream.generate(11, WindowSpecRef.parseAll("P1D/P1D,P7D/P1D"),
                Duration.ofHours(6), 1_500, 60, 200);
        List<String> first = alertsOf(lines);
        List<String> second = alertsOf(lines);
        assertTrue(first.size() > 10, "the stream should raise alerts: " + first.size());
        assertEquals(first, second);
    }

    private static List<String> alertsOf(List<String> lines) {
        List<String> out = new ArrayList<>();
        try (PipelineDriver pipeline = new PipelineDriver(PipelineDriver.config("P1D/P1D", "P7D/P1D"))) {
            pipeline.sendAll(lines);
            pipeline.closeAllWindows();
            for (ChurnRiskAlert alert : values(pipeline.alerts())) {
                alert.setDetectedAt(Instant.EPOCH); // wall clock
                out.add(alert.toString());
            }
        }
        return out;
    }
}
