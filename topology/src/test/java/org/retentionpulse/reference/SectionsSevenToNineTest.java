package org.retentionpulse.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.retentionpulse.reference.EventLines.cancellation;
import static org.retentionpulse.reference.EventLines.purchase;
import static org.retentionpulse.reference.EventLines.signup;
import static org.retentionpulse.reference.EventLines.survey;

/** One hand-computed example per rule of sections 7-9 of the contract, on the reference model. */
class SectionsSevenToNineTest {

    private static final String DAILY = "P1D/P1D";

    // ---- section 7: the churn policy ----

    @Test
    void customerLapsesAtLastActivityPlusDAndIsStillActiveAtThatInstant() {
        ReferenceModel model = shop(Duration.ofDays(2));
        model.accept(signup("s1", "a", at(1, "00:00"), "pro", "DE", null));
        model.accept(purchase("p1", "b", at(4, "12:00"), "1.00"));

        // a lapses at 03-03 00:00: active at the end of 03-02 and at the start of 03-03, churned on 03-03
        assertEquals(List.of(1L, 0L, 0L, 1L), sncE(model, 2));
        assertEquals(List.of(1L, 0L, 1L, 0L), sncE(model, 3));
        assertEquals(Map.of("inactivity", 1L), counts(model, DAILY, "all", 3).churnedByReason());
        assertMetric(model, "100", "churn_reason_share", "all", 3, "inactivity");
        assertMetric(model, "100", "churn_rate", "all", 3, null);
    }

    @Test
    void activityStrictlyBeforeTheLapseRetractsItAndActivityAtTheLapseIsAReactivation() {
        ReferenceModel model = shop(Duration.ofDays(2));
        model.accept(signup("s1", "a", at(1, "00:00"), "pro", "DE", null));
        model.accept(purchase("p1", "a", at(2, "23:59"), "1.00")); // lapse moves from 03-03 00:00 to 03-04 23:59
        model.accept(signup("s2", "b", at(1, "00:00"), "basic", "AT", null));
        model.accept(purchase("p2", "b", at(3, "00:00"), "2.00")); // b lapses at 03-03 00:00, then buys at it
        model.accept(purchase("p3", "c", at(5, "12:00"), "3.00")); // stream time reaches 03-05

        SegmentCounts day3 = counts(model, DAILY, "all", 3);
        assertEquals(1, day3.cancellations());
        assertEquals(1, day3.signups());
        assertEquals(1, day3.reactivations());
        assertEquals(1, day3.winBacks());
        assertEquals(0, day3.winBackPool()); // b was active at 03-03 00:00
        assertEquals(2, day3.activeAtEnd());
        assertMetric(model, null, "reactivation_rate", "all", 3, null);
        SegmentCounts day5 = counts(model, DAILY, "all", 5);
        assertEquals(1, day5.cancellations()); // a's lapse at 03-04 23:59 is in 03-04; b's at 03-05 00:00
        assertEquals(1, counts(model, DAILY, "all", 4).cancellations());
    }

    @Test
    void purchaseOfACustomerNotActiveStartsItInItsLatestSignupsSegmentOrUnknown() {
        ReferenceModel model = shop(Duration.ofDays(10));
        model.accept(purchase("p1", "guest", at(1, "10:00"), "5.00"));
        model.accept(signup("s1", "guest", at(1, "12:00"), "pro", "DE", "referral")); // active: ignored

        SegmentCounts unknown = counts(model, DAILY, "plan=unknown", 1);
        assertEquals(1, unknown.signups());
        assertEquals(1, unknown.ignoredSignups());
        assertMetric(model, "0", "referral_share", "all", 1, null);
        assertFalse(model.finals().keySet().stream().anyMatch(k -> k.segment().equals("plan=pro")));
    }

    @Test
    void lapsesDueAfterTheEndOfInputHappen() {
        ReferenceModel model = shop(Duration.ofHours(12));
        model.accept(signup("s1", "a", at(1, "06:00"), "pro", "DE", null));
        model.accept(purchase("p1", "b", at(1, "07:00"), "1.00"));

        // the input ends at 03-01 07:00; a lapses at 18:00 and b at 19:00 all the same
        assertEquals(List.of(0L, 2L, 2L, 0L), sncE(model, 1));
        assertFalse(model.finalCounts().containsKey(new WindowSegment(DAILY, "all", day(2))));
    }

    @Test
    void cancellationsStillEndCustomersUnderInactivityAndSurveysAreNoActivity() {
        ReferenceModel model = shop(Duration.ofDays(2));
        model.accept(signup("s1", "a", at(1, "00:00"), "pro", "DE", null));
        model.accept(survey("v1", "a", at(2, "12:00"), "NPS", 10));
        model.accept(purchase("p1", "b", at(3, "12:00"), "1.00"));
        model.accept(cancellation("c1", "b", at(3, "13:00")));

        SegmentCounts day3 = counts(model, DAILY, "all", 3);
        assertEquals(2, day3.cancellations()); // a lapsed at 03-03 00:00 despite the survey; b cancelled
        assertEquals(Map.of("inactivity", 1L, "unspecified", 1L), day3.churnedByReason());
    }

    // ---- section 8: win-backs, reasons, respondents ----

    @Test
    void winBackIsCountedInThePoolSegmentAndPoolIsTakenAtTheWindowStart() {
        ReferenceModel model = subscriptions();
        model.accept(signup("s1", "a", at(1, "08:00"), "basic", "AT", null));
        model.accept(cancellation("c1", "a", at(1, "20:00")));
        model.accept(signup("s2", "b", at(1, "09:00"), "basic", "AT", null));
        model.accept(cancellation("c2", "b", at(1, "21:00")));
        model.accept(signup("s3", "a", at(2, "10:00"), "pro", "AT", null)); // back, with another plan

        SegmentCounts basic = counts(model, DAILY, "plan=basic", 2);
        assertEquals(List.of(2L, 1L, 0L), List.of(basic.winBackPool(), basic.winBacks(), basic.signups()));
        assertMetric(model, "50", "reactivation_rate", "plan=basic", 2, null);
        SegmentCounts pro = counts(model, DAILY, "plan=pro", 2);
        assertEquals(List.of(0L, 0L, 1L, 1L), List.of(pro.winBackPool(), pro.winBacks(), pro.signups(), pro.reactivations()));
        assertMetric(model, null, "reactivation_rate", "plan=pro", 2, null);
        // plan=basic gets records on 03-02 for its pool alone: nobody in it was active and nothing happened in it
        assertEquals(List.of(0L, 0L), List.of(basic.activeAtStart(), basic.activeAtEnd()));
        assertFalse(basic.hasEvents());
    }

    @Test
    void reasonsAreTrimmedLowerCasedCutAt64AndMissingOnesUnspecified() {
        assertEquals("too expensive", ChurnReasons.normalize("  Too Expensive "));
        assertEquals("unspecified", ChurnReasons.normalize(null));
        assertEquals("unspecified", ChurnReasons.normalize("   "));
        assertEquals("x".repeat(64), ChurnReasons.normalize("X".repeat(70)));
        assertEquals("ab", ChurnReasons.normalize("\tAB\n"));
    }

    @Test
    void reasonsBeyondTheCapAreSummedUnderOtherWithTiesByName() {
        Map<String, Long> capped = ChurnReasons.capped(
                Map.of("price", 5L, "moved", 3L, "bugs", 3L, "support", 3L, "late", 1L), 3);
        assertEquals(List.of("price", "bugs", "moved", "other"), List.copyOf(capped.keySet()));
        assertEquals(List.of(5L, 3L, 3L, 4L), List.copyOf(capped.values()));
        assertEquals(Map.of("a", 1L), ChurnReasons.capped(Map.of("a", 1L), 1));
    }

    @Test
    void churnReasonShareHasOneRecordPerReasonUpToTheCap() {
        ReferenceModel model = new ReferenceModel(WindowSpecRef.parseAll(DAILY), Duration.ofHours(6), "EUR",
                ReferenceModel.DEFAULT_DIMENSIONS, ReferenceRules.sevenToNine(null, "P1D", 2).withReasonsCap(2));
        String[] reasons = {"Price", "price ", "moved", "Moved", "bugs", null, ""};
        for (int i = 0; i < reasons.length; i++) {
            model.accept(signup("s" + i, "c" + i, at(1, "08:00"), "pro", "DE", null));
            model.accept(cancellation("x" + i, "c" + i, at(2, "08:00"), reasons[i]));
        }

        // price 2, moved 2, unspecified 2, bugs 1: the two largest by count then name are moved and price
        assertMetric(model, "28.5714", "churn_reason_share", "all", 2, "moved");
        assertMetric(model, "28.5714", "churn_reason_share", "all", 2, "price");
        assertMetric(model, "42.8571", "churn_reason_share", "all", 2, "other");
        assertEquals(3, model.finals().keySet().stream()
                .filter(k -> k.metric().equals("churn_reason_share") && k.segment().equals("all")).count());
    }

    @Test
    void surveyResponseRateCountsDistinctRespondentsOverSPlusN() {
        ReferenceModel model = subscriptions();
        model.accept(signup("s1", "a", at(1, "08:00"), "pro", "DE", null));
        model.accept(signup("s2", "b", at(1, "08:00"), "pro", "DE", null));
        model.accept(signup("s3", "c", at(2, "08:00"), "pro", "DE", null));
        model.accept(survey("v1", "a", at(2, "09:00"), "NPS", 9));
        model.accept(survey("v2", "a", at(2, "10:00"), "CSAT", 4));
        model.accept(survey("v3", "zed", at(2, "11:00"), "CES", 2)); // not a customer: counts, in unknown

        assertEquals(2, counts(model, DAILY, "all", 2).respondents());
        assertMetric(model, "66.6667", "survey_response_rate", "all", 2, null); // 2 / (2 + 1)
        assertMetric(model, null, "survey_response_rate", "plan=unknown", 2, null); // S + N = 0
    }

    // ---- section 9: cohorts ----

    @Test
    void earlierOutOfOrderStartMovesTheCustomerToAnEarlierCohort() {
        ReferenceModel model = cohorts(Duration.ofDays(30), "P1D", 3);
        model.accept(signup("s1", "a", at(2, "02:00"), "pro", "DE", null));
        model.accept(purchase("p1", "a", at(1, "23:00"), "7.00")); // within grace: a's first start is 03-01

        SortedMap<CohortKey, CohortCell> cells = model.cohortCells();
        assertEquals(new CohortCell(1, 1, 1, new BigDecimal("7.00")), cells.get(cell("P1D", "all", day(1), 0)));
        assertEquals(new CohortCell(1, 0, 1, BigDecimal.ZERO), cells.get(cell("P1D", "all", day(1), 1)));
        assertEquals(1, cells.get(cell("P1D", "plan=unknown", day(1), 0)).customers());
        assertNull(cells.get(cell("P1D", "all", day(2), 0)));
        assertNull(cells.get(cell("P1D", "all", day(1), 2))); // period 03-03 starts after the last event
    }

    @Test
    void cohortCellsCloseLikeWindowsAndALateStartNoLongerChangesThem() {
        ReferenceModel model = cohorts(null, "P1D", 3);
        model.accept(signup("s1", "a", at(1, "10:00"), "pro", "DE", null));
        model.accept(signup("s2", "b", at(3, "10:00"), "pro", "DE", null));
        model.accept(signup("s3", "c", at(1, "11:00"), "pro", "DE", null)); // 03-01 closed at 03-02 06:00: late

        SortedMap<CohortKey, CohortCell> cells = model.cohortCells();
        assertEquals(1, cells.get(cell("P1D", "all", day(1), 0)).customers());
        // cells of later periods, closed after c's signup arrived, count c as a member of cohort 03-01
        assertEquals(2, cells.get(cell("P1D", "all", day(1), 2)).customers());
        assertEquals(2, cells.get(cell("P1D", "all", day(1), 2)).active());
    }

    @Test
    void activeShareUsesTheChurnPolicyAtThePeriodsEnd() {
        ReferenceModel model = cohorts(Duration.ofDays(1), "P1W", 2);
        model.accept(purchase("p1", "a", "2024-03-04T10:00:00Z", "10.00")); // Monday
        model.accept(purchase("p2", "b", "2024-03-09T10:00:00Z", "20.00")); // Saturday: lapses Sunday 10:00
        model.accept(purchase("p3", "b", "2024-03-11T09:00:00Z", "5.00"));  // back the next Monday

        SortedMap<CohortKey, CohortCell> cells = model.cohortCells();
        CohortCell week0 = cells.get(cell("P1W", "all", Instant.parse("2024-03-04T00:00:00Z"), 0));
        assertEquals(new CohortCell(2, 2, 0, new BigDecimal("30.00")), week0);
        assertEquals(new BigDecimal("15.0000"), week0.revenuePerCustomer());
        CohortCell week1 = cells.get(cell("P1W", "all", Instant.parse("2024-03-04T00:00:00Z"), 1));
        assertEquals(new CohortCell(2, 1, 0, new BigDecimal("5.00")), week1); // b lapses again 03-12 09:00
        assertEquals(new BigDecimal("50.0000"), week1.retention());
    }

    @Test
    void cohortPeriodsAreIsoWeeksAndCalendarMonths() {
        assertEquals(Instant.parse("2024-02-26T00:00:00Z"), CohortPeriodRef.P1W.startContaining(day(3)));
        assertEquals(Instant.parse("2024-02-01T00:00:00Z"), CohortPeriodRef.P1M.startContaining(
                Instant.parse("2024-02-29T23:59:59Z")));
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"),
                CohortPeriodRef.P1M.plus(Instant.parse("2024-01-01T00:00:00Z"), 12));
        assertEquals(day(2), CohortPeriodRef.P1D.end(day(1)));
    }

    // ---- helpers ----

    private static ReferenceModel shop(Duration inactivity) {
        return cohorts(inactivity, "P1W", 4);
    }

    private static ReferenceModel subscriptions() {
        return cohorts(null, "P1W", 4);
    }

    private static ReferenceModel cohorts(Duration inactivity, String period, int periods) {
        return new ReferenceModel(WindowSpecRef.parseAll(DAILY), Duration.ofHours(6), "EUR",
                ReferenceModel.DEFAULT_DIMENSIONS, ReferenceRules.sevenToNine(inactivity, period, periods));
    }

    private static CohortKey cell(String period, String segment, Instant cohortStart, int k) {
        return new CohortKey(period, segment, cohortStart, k);
    }

    private static List<Long> sncE(ReferenceModel model, int dayOfMonth) {
        SegmentCounts c = counts(model, DAILY, "all", dayOfMonth);
        return List.of(c.activeAtStart(), c.signups(), c.cancellations(), c.activeAtEnd());
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

    private static void assertMetric(ReferenceModel model, String expected, String metric, String segment,
                                     int dayOfMonth, String reason) {
        MetricKey key = new MetricKey(metric, DAILY, segment, day(dayOfMonth), reason);
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
}
