package org.retentionpulse.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.retentionpulse.reference.EventLines.cancellation;
import static org.retentionpulse.reference.EventLines.purchase;
import static org.retentionpulse.reference.EventLines.signup;
import static org.retentionpulse.reference.EventLines.survey;

class ReferenceModelTest {

    private static final String DAILY = "P1D/P1D";

    // ---- the worked example of the contract ----

    @Test
    void edgesStreamReproducesEveryExpectedFinalValue() throws Exception {
        ReferenceModel model = model("P1D/P1D,P2D/P1D");
        Files.readAllLines(resource("edges.jsonl")).forEach(model::accept);

        SortedMap<MetricKey, BigDecimal> expected =
                FinalValue.toSortedMap(ReferenceModel.readExpected(resource("edges.expected.jsonl")));

        assertEquals(744, expected.size());
        assertEquals(List.of(), FinalValueComparison.differences(expected, model.finals()));
    }

    @Test
    void edgesStreamCountsRejectedDuplicateAndLateRecords() throws Exception {
        ReferenceModel model = model("P1D/P1D,P2D/P1D");
        Files.readAllLines(resource("edges.jsonl")).forEach(model::accept);

        assertEquals(Map.of("NOT_JSON", 1L, "SCORE_OUT_OF_RANGE", 1L, "INVALID_AMOUNT", 1L, "CURRENCY_MISMATCH", 1L),
                model.rejectedByReason());
        assertEquals(1, model.duplicates());
        assertEquals(0, model.lateEvents());
    }

    @Test
    void readExpectedKeepsNullsAndComparesNumbersByValue() throws Exception {
        List<FinalValue> values = ReferenceModel.readExpected(resource("edges.expected.jsonl"));
        SortedMap<MetricKey, BigDecimal> map = FinalValue.toSortedMap(values);

        MetricKey churnDay1 = new MetricKey("churn_rate", DAILY, "all", day(1));
        assertTrue(map.containsKey(churnDay1));
        assertNull(map.get(churnDay1));
        assertEquals(0, new BigDecimal("2").compareTo(map.get(new MetricKey("active_customers", DAILY, "all", day(1)))));
        assertTrue(FinalValueComparison.sameValue(new BigDecimal("2.0"), new BigDecimal("2")));
        assertFalse(FinalValueComparison.sameValue(null, BigDecimal.ZERO));
    }

    // ---- one hand-computed example per metric ----

    @Test
    void churnRateIsShareOfCustomersActiveAtStartWhoCancel() {
        ReferenceModel model = model(DAILY);
        signUp(model, "c", 2000, 1);
        for (int i = 0; i < 500; i++) {
            model.accept(cancellation("x" + i, "c" + i, at(2, "12:00")));
        }

        assertMetric(model, "25", "churn_rate", DAILY, "all", 2);
        assertMetric(model, "75", "retention_rate", DAILY, "all", 2);
        assertMetric(model, "1500", "active_customers", DAILY, "all", 2);
    }

    @Test
    void retentionRateLeavesNewSignupsOutOfTheCustomersKept() {
        ReferenceModel model = model(DAILY);
        signUp(model, "c", 2000, 1);
        signUp(model, "n", 800, 2);
        for (int i = 0; i < 400; i++) {
            model.accept(cancellation("x" + i, "c" + i, at(2, "18:00")));
        }

        SegmentCounts day2 = counts(model, DAILY, "all", 2);
        assertEquals(2000, day2.activeAtStart());
        assertEquals(800, day2.signups());
        assertEquals(400, day2.cancellations());
        assertEquals(2400, day2.activeAtEnd());
        assertMetric(model, "80", "retention_rate", DAILY, "all", 2);
        assertMetric(model, "20", "churn_rate", DAILY, "all", 2);
        assertMetric(model, "2400", "active_customers", DAILY, "all", 2);
    }

    @Test
    void repeatPurchaseRateIsShareOfBuyersWithTwoOrMoreOrders() {
        ReferenceModel model = model(DAILY);
        for (int i = 0; i < 1000; i++) {
            model.accept(purchase("p" + i, "c" + i, at(1, "10:00"), "10.00"));
            if (i < 800) {
                model.accept(purchase("q" + i, "c" + i, at(1, "11:00"), "10.00"));
            }
        }

        assertMetric(model, "80", "repeat_purchase_rate", DAILY, "all", 1);
        assertMetric(model, "1.8", "purchase_frequency", DAILY, "all", 1);
        assertMetric(model, "18000.00", "revenue", DAILY, "all", 1);
    }

    @Test
    void csatCountsFourAndFiveAsSatisfied() {
        ReferenceModel model = model(DAILY);
        for (int i = 0; i < 200; i++) {
            int score = i < 70 ? 5 : i < 140 ? 4 : 1 + i % 3;
            model.accept(survey("s" + i, "c" + i, at(1, "10:00"), "CSAT", score));
        }

        assertMetric(model, "70", "csat", DAILY, "all", 1);
        assertMetric(model, null, "nps", DAILY, "all", 1);
        assertMetric(model, null, "ces", DAILY, "all", 1);
    }

    @Test
    void cesIsMeanEffortScoreAsPercentOfFive() {
        ReferenceModel model = model(DAILY);
        // 100 x 5 + 50 x 3 = 650 over 150 responses: (650 / 150) / 5 * 100 = 86.666...
        for (int i = 0; i < 150; i++) {
            model.accept(survey("s" + i, "c" + i, at(1, "10:00"), "CES", i < 100 ? 5 : 3));
        }

        assertMetric(model, "86.6667", "ces", DAILY, "all", 1);
        assertEquals(650, counts(model, DAILY, "all", 1).cesSum());
    }

    @Test
    void npsIsPromotersMinusDetractorsOverAllResponses() {
        ReferenceModel model = model(DAILY);
        for (int i = 0; i < 100; i++) {
            int score = i < 50 ? 9 + i % 2 : i < 80 ? 7 + i % 2 : i % 7;
            model.accept(survey("s" + i, "c" + i, at(1, "10:00"), "NPS", score));
        }
        model.accept(survey("t1", "d1", at(2, "10:00"), "NPS", 10));
        model.accept(survey("t2", "d2", at(2, "10:00"), "NPS", 0));
        model.accept(survey("t3", "d3", at(2, "10:00"), "NPS", 6));

        assertMetric(model, "30", "nps", DAILY, "all", 1);
        assertMetric(model, "-33.3333", "nps", DAILY, "all", 2);
    }

    @Test
    void revenueIsAnExactDecimalSumAndAovRoundsHalfEven() {
        ReferenceModel model = model(DAILY);
        // 28 x 0.03 + 4 x 0.04 = 1.00 exactly (not in binary floating point); 1.00 / 32 = 0.03125 -> 0.0312
        for (int i = 0; i < 32; i++) {
            model.accept(purchase("p" + i, "c" + i % 16, at(1, "10:00"), i < 28 ? "0.03" : "0.04"));
        }

        assertMetric(model, "1.00", "revenue", DAILY, "all", 1);
        assertMetric(model, "0.0312", "aov", DAILY, "all", 1);
        assertMetric(model, "2", "purchase_frequency", DAILY, "all", 1);
    }

    @Test
    void clvIsAovTimesFrequencyTimesExpectedLifetime() {
        ReferenceModel model = model(DAILY);
        for (String customer : List.of("a", "b", "c", "d")) {
            model.accept(signup("s-" + customer, customer, at(1, "10:00"), "pro", "DE", null));
        }
        model.accept(cancellation("x-a", "a", at(2, "09:00")));
        model.accept(purchase("p1", "b", at(2, "10:00"), "40.00"));
        model.accept(purchase("p2", "b", at(2, "11:00"), "20.00"));
        model.accept(purchase("p3", "c", at(2, "12:00"), "30.00"));

        // aov 30 x frequency 1.5 x (100 / churn 25)
        assertMetric(model, "30", "aov", DAILY, "all", 2);
        assertMetric(model, "1.5", "purchase_frequency", DAILY, "all", 2);
        assertMetric(model, "25", "churn_rate", DAILY, "all", 2);
        assertMetric(model, "180", "clv", DAILY, "all", 2);
    }

    @Test
    void clvIsComputedFromExactComponentsNotFromRoundedParts() {
        ReferenceModel model = model(DAILY);
        for (String customer : List.of("a", "b", "c")) {
            model.accept(signup("s-" + customer, customer, at(1, "10:00"), "pro", "DE", null));
        }
        model.accept(cancellation("x-a", "a", at(2, "09:00")));
        model.accept(purchase("p1", "a", at(2, "08:00"), "3.33"));
        model.accept(purchase("p2", "b", at(2, "10:00"), "3.33"));
        model.accept(purchase("p3", "c", at(2, "11:00"), "3.34"));

        // R * S / (P1 * C) = 10.00 * 3 / (3 * 1) = 10; the rounded parts would give 3.3333 x 1 x 3.00000300 = 9.9999
        assertMetric(model, "3.3333", "aov", DAILY, "all", 2);
        assertMetric(model, "33.3333", "churn_rate", DAILY, "all", 2);
        assertMetric(model, "10", "clv", DAILY, "all", 2);
    }

    @Test
    void clvIsNullWithoutChurn() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s-a", "a", at(1, "10:00"), "pro", "DE", null));
        model.accept(purchase("p1", "a", at(2, "10:00"), "5.00"));

        assertMetric(model, "0", "churn_rate", DAILY, "all", 2);
        assertMetric(model, null, "clv", DAILY, "all", 2);
    }

    @Test
    void referralShareIsReferralSignupsOverEffectiveSignups() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "a", at(1, "08:00"), "pro", "DE", "referral"));
        model.accept(signup("s2", "b", at(1, "09:00"), "pro", "DE", "ads"));
        model.accept(signup("s3", "c", at(1, "10:00"), "basic", "AT", null));
        model.accept(signup("s4", "d", at(1, "11:00"), "basic", "AT", "ads"));
        // b is already active: an ignored signup counts neither in N nor as a referral
        model.accept(signup("s5", "b", at(1, "12:00"), "pro", "DE", "referral"));

        assertMetric(model, "25", "referral_share", DAILY, "all", 1);
        assertMetric(model, "100", "referral_share", DAILY, "channel=referral", 1);
        assertMetric(model, "0", "referral_share", DAILY, "channel=ads", 1);
        assertMetric(model, "0", "referral_share", DAILY, "channel=unknown", 1);
        assertEquals(1, counts(model, DAILY, "all", 1).ignoredSignups());
    }

    // ---- time: windows, grace, lateness ----

    @Test
    void eventBeyondGraceForEveryWindowIsLateButStillDeactivatesTheCustomer() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s-a", "a", at(1, "10:00"), "basic", "AT", null));
        model.accept(signup("s-b", "b", at(1, "11:00"), "basic", "AT", null));
        model.accept(purchase("p1", "b", at(2, "09:00"), "2.00"));
        model.accept(purchase("p2", "c", at(3, "12:00"), "5.00"));
        // day 1 closed at 03-02T06:00 and day 2 at 03-03T06:00; stream time is 03-03T12:00
        model.accept(cancellation("x-a", "a", at(1, "20:00")));
        model.accept(purchase("p3", "b", at(3, "13:00"), "1.00"));

        assertEquals(1, model.lateEvents());
        assertMetric(model, "2", "active_customers", DAILY, "all", 1);
        assertMetric(model, null, "churn_rate", DAILY, "all", 1);
        // day 2 closed before the cancellation arrived, so a still counts as active there
        assertMetric(model, "2", "active_customers", DAILY, "all", 2);
        assertMetric(model, "0", "churn_rate", DAILY, "all", 2);
        // the late cancellation is absorbed into a's history: day 3 starts with b only
        assertEquals(1, counts(model, DAILY, "all", 3).activeAtStart());
        assertMetric(model, "1", "active_customers", DAILY, "all", 3);
        assertMetric(model, "0", "churn_rate", DAILY, "all", 3);
    }

    @Test
    void eventLateForOneWindowSpecIsCountedInTheWindowsStillOpen() {
        ReferenceModel model = model("P1D/P1D,P2D/P1D");
        model.accept(signup("s-a", "a", at(1, "10:00"), "basic", "AT", null));
        model.accept(purchase("p1", "c", at(2, "12:00"), "3.00"));
        // P1D 03-01 and P2D 02-29 closed at 03-02T06:00; P2D 03-01 is still open
        model.accept(purchase("p2", "a", at(1, "20:00"), "7.00"));

        assertEquals(0, model.lateEvents());
        assertMetric(model, "0", "revenue", DAILY, "all", 1);
        assertMetric(model, "0", "revenue", "P2D/P1D", "all", Instant.parse("2024-02-29T00:00:00Z"));
        assertMetric(model, "10.00", "revenue", "P2D/P1D", "all", day(1));
        assertMetric(model, "3.00", "revenue", DAILY, "all", 2);
    }

    @Test
    void windowAcceptsEventsUntilStreamTimePassesEndPlusGrace() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s-a", "a", at(1, "10:00"), "basic", "AT", null));
        model.accept(purchase("p1", "b", "2024-03-02T06:00:00Z", "1.00"));
        model.accept(purchase("p2", "a", at(1, "23:00"), "4.00"));
        model.accept(purchase("p3", "b", "2024-03-02T06:00:00.001Z", "1.00"));
        model.accept(purchase("p4", "a", at(1, "23:30"), "8.00"));

        assertEquals(1, model.lateEvents());
        assertMetric(model, "4.00", "revenue", DAILY, "all", 1);
        assertMetric(model, "2.00", "revenue", DAILY, "all", 2);
    }

    @Test
    void windowWithoutCountedEventsGetsNoFinalRecordEvenWithActiveCustomers() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s-a", "a", at(1, "10:00"), "basic", "AT", null));
        model.accept(purchase("p1", "a", at(3, "10:00"), "5.00"));

        SortedMap<MetricKey, BigDecimal> finals = model.finals();
        assertTrue(finals.containsKey(new MetricKey("active_customers", DAILY, "all", day(1))));
        assertTrue(finals.containsKey(new MetricKey("active_customers", DAILY, "all", day(3))));
        assertFalse(finals.keySet().stream().anyMatch(key -> key.windowStart().equals(day(2))));
        assertEquals(2 * 4 * 12, finals.size());
    }

    @Test
    void segmentWithActiveCustomersButNoEventsStillGetsFinalRecords() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s-a", "a", at(1, "10:00"), "basic", "AT", null));
        model.accept(signup("s-b", "b", at(2, "10:00"), "pro", "DE", null));

        assertMetric(model, "1", "active_customers", DAILY, "plan=basic", 2);
        assertMetric(model, "0", "churn_rate", DAILY, "plan=basic", 2);
        assertMetric(model, "0", "revenue", DAILY, "plan=basic", 2);
        assertMetric(model, null, "aov", DAILY, "plan=basic", 2);
    }

    // ---- identity and customer lifecycle ----

    @Test
    void duplicateEventIdCountsOnceWhateverItsPayload() {
        ReferenceModel model = model(DAILY);
        model.accept(purchase("p1", "a", at(1, "10:00"), "10.00"));
        model.accept(purchase("p1", "a", at(1, "10:00"), "10.00"));
        model.accept(purchase("p1", "b", at(1, "11:00"), "99.00"));
        // a rejected record is not accepted, so its id does not make it a duplicate
        model.accept(purchase("p2", "a", at(1, "12:00"), "1.001"));
        model.accept(purchase("p2", "a", at(1, "12:00"), "1.00"));

        assertEquals(2, model.duplicates());
        assertEquals(Map.of("INVALID_AMOUNT", 1L), model.rejectedByReason());
        assertMetric(model, "11.00", "revenue", DAILY, "all", 1);
        assertMetric(model, "2", "purchase_frequency", DAILY, "all", 1);
    }

    @Test
    void reactivationWithNewDimensionsMovesTheCustomerToTheNewSegment() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "x", at(1, "10:00"), "basic", "AT", null));
        model.accept(cancellation("c1", "x", at(2, "10:00")));
        model.accept(signup("s2", "x", at(3, "08:00"), "pro", "CH", "referral"));
        model.accept(purchase("p1", "x", at(3, "09:00"), "12.00"));
        model.accept(purchase("p2", "x", at(4, "09:00"), "3.00"));

        assertMetric(model, "100", "churn_rate", DAILY, "plan=basic", 2);
        SegmentCounts pro3 = counts(model, DAILY, "plan=pro", 3);
        assertEquals(1, pro3.signups());
        assertEquals(1, pro3.reactivations());
        assertMetric(model, "12.00", "revenue", DAILY, "plan=pro", 3);
        assertMetric(model, "100", "referral_share", DAILY, "country=CH", 3);
        assertMetric(model, "1", "active_customers", DAILY, "plan=pro", 4);
        assertMetric(model, "0", "churn_rate", DAILY, "plan=pro", 4);
        assertFalse(model.finals().containsKey(new MetricKey("active_customers", DAILY, "plan=basic", day(3))));
        assertFalse(model.finals().containsKey(new MetricKey("active_customers", DAILY, "plan=basic", day(4))));
        assertEquals(0, counts(model, DAILY, "all", 1).reactivations());
    }

    @Test
    void signupOfActiveCustomerChangesNothingNotEvenDimensions() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "y", at(1, "08:00"), "pro", "DE", null));
        model.accept(signup("s2", "y", at(1, "09:00"), "team", "FR", "referral"));
        model.accept(purchase("p1", "y", at(1, "10:00"), "5.00"));

        SegmentCounts all = counts(model, DAILY, "all", 1);
        assertEquals(1, all.signups());
        assertEquals(1, all.ignoredSignups());
        assertEquals(1, counts(model, DAILY, "plan=pro", 1).ignoredSignups());
        assertMetric(model, "5.00", "revenue", DAILY, "plan=pro", 1);
        assertMetric(model, "0", "referral_share", DAILY, "all", 1);
        assertFalse(model.finals().keySet().stream()
                .anyMatch(key -> key.segment().equals("plan=team") || key.segment().equals("country=FR")));
    }

    @Test
    void cancellationOfInactiveCustomerIsIgnored() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "y", at(1, "08:00"), "pro", "DE", null));
        model.accept(cancellation("c1", "y", at(2, "08:00")));
        model.accept(cancellation("c2", "y", at(2, "09:00")));
        model.accept(cancellation("c3", "never-signed-up", at(2, "10:00")));

        SegmentCounts all = counts(model, DAILY, "all", 2);
        assertEquals(1, all.cancellations());
        assertEquals(2, all.ignoredCancellations());
        assertEquals(1, counts(model, DAILY, "plan=pro", 2).ignoredCancellations());
        assertEquals(1, counts(model, DAILY, "plan=unknown", 2).ignoredCancellations());
        assertMetric(model, "100", "churn_rate", DAILY, "all", 2);
    }

    @Test
    void outOfOrderSignupMakesTheLaterTimestampedSignupIgnored() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "w", at(1, "10:00"), "pro", "DE", null));
        model.accept(signup("s2", "w", at(1, "09:00"), "basic", "AT", null));
        model.accept(purchase("p1", "w", at(1, "11:00"), "6.00"));

        SegmentCounts all = counts(model, DAILY, "all", 1);
        assertEquals(1, all.signups());
        assertEquals(1, all.ignoredSignups());
        assertEquals(1, counts(model, DAILY, "plan=basic", 1).signups());
        assertEquals(1, counts(model, DAILY, "plan=basic", 1).ignoredSignups());
        assertMetric(model, "6.00", "revenue", DAILY, "plan=basic", 1);
        assertFalse(model.finals().keySet().stream().anyMatch(key -> key.segment().equals("plan=pro")));
    }

    @Test
    void repeatPurchaseIsJudgedPerSegmentWhenDimensionsChangeWithinTheWindow() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "v", at(1, "08:00"), "basic", "AT", null));
        model.accept(purchase("p1", "v", at(1, "09:00"), "1.00"));
        model.accept(cancellation("c1", "v", at(1, "10:00")));
        model.accept(signup("s2", "v", at(1, "11:00"), "pro", "AT", null));
        model.accept(purchase("p2", "v", at(1, "12:00"), "1.00"));

        assertMetric(model, "100", "repeat_purchase_rate", DAILY, "all", 1);
        assertMetric(model, "100", "repeat_purchase_rate", DAILY, "country=AT", 1);
        assertMetric(model, "0", "repeat_purchase_rate", DAILY, "plan=basic", 1);
        assertMetric(model, "0", "repeat_purchase_rate", DAILY, "plan=pro", 1);
    }

    @Test
    void purchaseOfCustomerWithoutSignupIsUnknownInEveryDimension() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "u", at(1, "08:00"), "pro", "", null));
        model.accept(purchase("p1", "zed", at(1, "09:00"), "2.50"));

        assertMetric(model, "2.50", "revenue", DAILY, "plan=unknown", 1);
        assertMetric(model, "2.50", "revenue", DAILY, "channel=unknown", 1);
        assertMetric(model, "2.50", "revenue", DAILY, "country=unknown", 1);
        assertEquals(1, counts(model, DAILY, "country=unknown", 1).signups());
        assertMetric(model, "0", "revenue", DAILY, "plan=pro", 1);
    }

    @Test
    void eventAtTheInstantOfASignupTakesThatSignupsDimensions() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "a", at(1, "10:00"), "pro", "DE", null));
        model.accept(purchase("p1", "a", at(1, "10:00"), "1.00"));
        // "latest signup at or before the event's time": a same-instant signup counts even when it arrives later
        model.accept(purchase("p2", "b", at(1, "11:00"), "2.00"));
        model.accept(signup("s2", "b", at(1, "11:00"), "basic", "AT", null));

        assertMetric(model, "1.00", "revenue", DAILY, "plan=pro", 1);
        assertMetric(model, "2.00", "revenue", DAILY, "plan=basic", 1);
        assertFalse(model.finals().keySet().stream().anyMatch(key -> key.segment().equals("plan=unknown")));
    }

    @Test
    void cancellationAndReactivationAtTheSameInstantCountInTheirOwnSegments() {
        ReferenceModel model = model(DAILY);
        model.accept(signup("s1", "r", at(1, "10:00"), "basic", "AT", null));
        model.accept(cancellation("c1", "r", at(2, "10:00")));
        model.accept(signup("s2", "r", at(2, "10:00"), "pro", "AT", null));

        SegmentCounts basic = counts(model, DAILY, "plan=basic", 2);
        assertEquals(List.of(1L, 0L, 1L, 0L),
                List.of(basic.activeAtStart(), basic.signups(), basic.cancellations(), basic.activeAtEnd()));
        SegmentCounts pro = counts(model, DAILY, "plan=pro", 2);
        assertEquals(List.of(0L, 1L, 0L, 1L, 1L),
                List.of(pro.activeAtStart(), pro.signups(), pro.cancellations(), pro.activeAtEnd(), pro.reactivations()));
    }

    @Test
    void countsAddUpAsActiveAtEndEqualsStartPlusSignupsMinusCancellations() {
        ReferenceModel model = model("P1D/P1D,P2D/P1D");
        for (int i = 0; i < 300; i++) {
            String customer = "c" + i % 37;
            int dayOfMonth = 1 + i / 60;
            String time = at(dayOfMonth, String.format("%02d:%02d", i % 24, i % 60));
            model.accept(i % 3 == 2
                    ? cancellation("e" + i, customer, time)
                    : signup("e" + i, customer, time, i % 2 == 0 ? "pro" : "basic", i % 5 == 0 ? "AT" : "DE", null));
        }

        SortedMap<WindowSegment, SegmentCounts> counts = model.finalCounts();
        assertFalse(counts.isEmpty());
        counts.forEach((window, c) -> assertEquals(c.activeAtStart() + c.signups() - c.cancellations(),
                c.activeAtEnd(), window::toString));
    }

    // ---- validation ----

    @Test
    void rejectsEachContractViolationUnderItsReason() {
        ReferenceModel model = model(DAILY);
        List.of(
                "this line is not JSON",
                "[1, 2]",
                "{\"type\":\"signup\",\"event_id\":\"e1\"} trailing",
                "{\"type\":\"refund\",\"event_id\":\"e2\",\"customer_id\":\"a\",\"occurred_at\":\"2024-03-01T10:00:00Z\"}",
                "{\"event_id\":\"e3\",\"customer_id\":\"a\",\"occurred_at\":\"2024-03-01T10:00:00Z\"}",
                "{\"type\":\"signup\",\"customer_id\":\"a\",\"occurred_at\":\"2024-03-01T10:00:00Z\"}",
                "{\"type\":\"signup\",\"event_id\":\"e4\",\"customer_id\":\"\",\"occurred_at\":\"2024-03-01T10:00:00Z\"}",
                "{\"type\":\"signup\",\"event_id\":\"e5\",\"customer_id\":\"a\"}",
                "{\"type\":\"signup\",\"event_id\":\"e6\",\"customer_id\":\"a\",\"occurred_at\":\"yesterday\"}",
                purchase("e7", "a", at(1, "10:00"), "-1.00"),
                purchase("e8", "a", at(1, "10:00"), "12.345"),
                purchase("e9", "a", at(1, "10:00"), "twelve"),
                "{\"type\":\"purchase\",\"event_id\":\"e10\",\"customer_id\":\"a\",\"occurred_at\":\"2024-03-01T10:00:00Z\","
                        + "\"order_id\":\"o\",\"amount\":12.5,\"currency\":\"EUR\"}",
                purchase("e11", "a", at(1, "10:00"), "1.00").replace("EUR", "USD"),
                survey("e12", "a", at(1, "10:00"), "XYZ", 5),
                survey("e13", "a", at(1, "10:00"), "NPS", 11),
                survey("e14", "a", at(1, "10:00"), "NPS", -1),
                survey("e15", "a", at(1, "10:00"), "CSAT", 0),
                survey("e16", "a", at(1, "10:00"), "CES", 6),
                survey("e17", "a", at(1, "10:00"), "CSAT", 4).replace("\"score\":4", "\"score\":4.5")
        ).forEach(model::accept);

        assertEquals(Map.of("NOT_JSON", 3L, "UNKNOWN_TYPE", 2L, "MISSING_FIELD", 3L, "INVALID_TIMESTAMP", 1L,
                        "INVALID_AMOUNT", 4L, "CURRENCY_MISMATCH", 1L, "UNKNOWN_SURVEY_TYPE", 1L,
                        "SCORE_OUT_OF_RANGE", 4L, "INVALID_SCORE", 1L),
                model.rejectedByReason());
        assertTrue(model.finals().isEmpty());
        assertEquals(0, model.duplicates());
    }

    @Test
    void acceptsValuesOnTheBoundariesOfEachRule() {
        ReferenceModel model = model(DAILY);
        List.of(
                purchase("e1", "a", at(1, "10:00"), "0"),
                purchase("e2", "a", at(1, "10:00"), "0.50"),
                purchase("e3", "a", at(1, "10:00"), "12.340"),
                survey("e4", "a", at(1, "10:00"), "NPS", 0),
                survey("e5", "a", at(1, "10:00"), "NPS", 10),
                survey("e6", "a", at(1, "10:00"), "CSAT", 1),
                survey("e7", "a", at(1, "10:00"), "CSAT", 5),
                survey("e8", "a", at(1, "10:00"), "CES", 1),
                survey("e9", "a", at(1, "10:00"), "CES", 5)
        ).forEach(model::accept);

        assertEquals(Map.of(), model.rejectedByReason());
        assertMetric(model, "12.84", "revenue", DAILY, "all", 1);
        assertMetric(model, "0", "nps", DAILY, "all", 1);
        assertMetric(model, "50", "csat", DAILY, "all", 1);
        assertMetric(model, "60", "ces", DAILY, "all", 1);
    }

    @Test
    void reportingCurrencyIsConfigurable() {
        ReferenceModel model = new ReferenceModel(List.of(WindowSpecRef.parse(DAILY)), Duration.ofHours(6), "USD",
                ReferenceModel.DEFAULT_DIMENSIONS);
        model.accept(purchase("e1", "a", at(1, "10:00"), "1.00"));
        model.accept(purchase("e2", "a", at(1, "10:00"), "2.00").replace("EUR", "USD"));

        assertEquals(Map.of("CURRENCY_MISMATCH", 1L), model.rejectedByReason());
        assertMetric(model, "2.00", "revenue", DAILY, "all", 1);
    }

    // ---- window specs ----

    @Test
    void windowSpecParsesSizeAndAdvance() {
        WindowSpecRef rolling = WindowSpecRef.parse("P30D/P1D");
        assertEquals(Duration.ofDays(30), rolling.size());
        assertEquals(Duration.ofDays(1), rolling.advance());
        assertEquals("P30D/P1D", rolling.text());
        assertEquals(Duration.ofMinutes(15), WindowSpecRef.parse("PT1H/PT15M").advance());
        assertEquals("P1D/P1D", WindowSpecRef.parse("P1D").text());
        assertThrows(IllegalArgumentException.class, () -> WindowSpecRef.parse("P1D/P2D"));
        assertThrows(IllegalArgumentException.class, () -> WindowSpecRef.parse("daily"));
        assertThrows(IllegalArgumentException.class, () -> WindowSpecRef.parse("P1D/P1D/P1D"));
    }

    @Test
    void windowStartsAreAlignedToTheEpochAndHalfOpen() {
        WindowSpecRef twoDays = WindowSpecRef.parse("P2D/P1D");
        assertEquals(List.of(Instant.parse("2024-02-29T00:00:00Z"), day(1)),
                twoDays.startsContaining(Instant.parse("2024-03-01T23:59:59.999Z")));
        assertEquals(List.of(day(1), day(2)), twoDays.startsContaining(day(2)));
        assertEquals(List.of(Instant.parse("2024-03-01T10:00:00Z"), Instant.parse("2024-03-01T10:15:00Z")),
                WindowSpecRef.parse("PT30M/PT15M").startsContaining(Instant.parse("2024-03-01T10:29:59Z")));
    }

    // ---- helpers ----

    private static ReferenceModel model(String windowSpecs) {
        return new ReferenceModel(WindowSpecRef.parseAll(windowSpecs), Duration.ofHours(6), "EUR",
                List.of("plan", "country", "channel"));
    }

    /** Signs up {@code count} customers {@code prefix0..} during the given day of March 2024. */
    private static void signUp(ReferenceModel model, String prefix, int count, int dayOfMonth) {
        for (int i = 0; i < count; i++) {
            String time = at(dayOfMonth, String.format("%02d:%02d", 8 + i % 10, i % 60));
            model.accept(signup("s-" + prefix + i, prefix + i, time, i % 2 == 0 ? "pro" : "basic", "DE", null));
        }
    }

    private static String at(int dayOfMonth, String hourMinute) {
        return String.format("2024-03-%02dT%s:00Z", dayOfMonth, hourMinute);
    }

    private static Instant day(int dayOfMonth) {
        return Instant.parse(String.format("2024-03-%02dT00:00:00Z", dayOfMonth));
    }

    private static SegmentCounts counts(ReferenceModel model, String window, String segment, int dayOfMonth) {
        SegmentCounts counts = model.finalCounts().get(new WindowSegment(window, segment, day(dayOfMonth)));
        assertNotNull(counts, () -> "no final counts for " + window + " " + segment + " " + day(dayOfMonth));
        return counts;
    }

    private static void assertMetric(ReferenceModel model, String expected, String metric, String window,
                                     String segment, int dayOfMonth) {
        assertMetric(model, expected, metric, window, segment, day(dayOfMonth));
    }

    private static void assertMetric(ReferenceModel model, String expected, String metric, String window,
                                     String segment, Instant windowStart) {
        MetricKey key = new MetricKey(metric, window, segment, windowStart);
        SortedMap<MetricKey, BigDecimal> finals = model.finals();
        assertTrue(finals.containsKey(key), () -> "no final value for " + key);
        BigDecimal actual = finals.get(key);
        if (expected == null) {
            assertNull(actual, () -> key + " should be null");
        } else {
            assertNotNull(actual, () -> key + " should be " + expected);
            assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> key + ": expected " + expected
                    + " but was " + actual);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ReferenceModelTest.class.getResource("/reference/" + name).toURI());
    }
}
