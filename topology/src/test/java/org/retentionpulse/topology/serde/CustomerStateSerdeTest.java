package org.retentionpulse.topology.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.customer.CohortLedger;
import org.retentionpulse.topology.customer.CustomerState;
import org.retentionpulse.topology.customer.CustomerTimeline;
import org.retentionpulse.topology.customer.Dimensions;
import org.retentionpulse.topology.customer.Lifecycle;
import org.retentionpulse.topology.customer.TimelineEntry;
import org.retentionpulse.topology.model.PurchaseDays;

/** The customer's one store value survives its codec field for field, and stays small. */
class CustomerStateSerdeTest {
    private static final CustomerStateSerde SERDE = new CustomerStateSerde();
    private static final long T = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;

    @Test
    void everyPartOfTheValueRoundTrips() {
        CustomerProfile profile = new CustomerProfile();
        profile.signup(T, "pro", "DE", null);
        profile.purchase(T + DAY, 1_999);
        profile.purchase(T + 3 * DAY, 5);
        profile.survey(SurveyType.NPS, 3, T + 4 * DAY);
        profile.survey(SurveyType.CES, 5, T + 2 * DAY);
        CustomerTimeline timeline = new CustomerTimeline(new Lifecycle(true, true, new Dimensions("basic", "FR", "ads"), T - 3 * DAY), List.of(
                TimelineEntry.signup(T, new Dimensions("pro", "DE", null)),
                TimelineEntry.purchase(T + DAY, 1_999),
                TimelineEntry.survey(T + 2 * DAY, SurveyType.CES, 5),
                TimelineEntry.purchase(T + 3 * DAY, 5),
                TimelineEntry.survey(T + 4 * DAY, SurveyType.NPS, 10),
                TimelineEntry.cancellation(T + 4 * DAY, "too expensive")));
        CustomerState state = new CustomerState(timeline,
                List.of(new CustomerState.SeenEvent("e-1", T), new CustomerState.SeenEvent("é-2", T - 5 * DAY)), profile);
        CohortLedger ledger = new CohortLedger(2800, new Dimensions("pro", "DE", null), new boolean[] {true, false, true},
                new long[] {1_999, 0, 5}, new boolean[] {true, true, false});
        state.cohort(ledger);

        byte[] bytes = SERDE.serialize("t", state);
        CustomerState back = SERDE.deserialize("t", bytes);

        assertEquals(timeline.base(), back.timeline().base());
        assertEquals(timeline.entries(), back.timeline().entries());
        assertEquals(state.seen(), back.seen());
        assertEquals(ledger, back.cohort());
        CustomerProfile p = back.profile();
        assertEquals(profile.active(), p.active());
        assertEquals(profile.activeSince(), p.activeSince());
        assertEquals("pro", p.plan());
        assertEquals("DE", p.country());
        assertNull(p.channel(), "a missing signup dimension stays missing in the profile");
        assertEquals(2, p.purchaseCount());
        assertEquals(2_004, p.spendCents());
        assertEquals(T + 3 * DAY, p.lastPurchaseAt());
        assertEquals(T + 4 * DAY, p.lastEventAt());
        assertEquals(1, p.purchasesBetween(T, T + 2 * DAY));
        assertEquals(new CustomerProfile.SurveyAnswer(3, T + 4 * DAY), p.latest(SurveyType.NPS));
        assertNull(p.latest(SurveyType.CSAT));
        assertEquals(CustomerProfile.NONE, p.dueAt());
        assertArrayEquals(bytes, SERDE.serialize("t", back), "writing what was read gives the same bytes");
        assertTrue(bytes.length <= 190, "six events, a churn reason, two ids, a profile and 3 cohort cells in " + bytes.length + " bytes");
    }

    @Test
    void aCustomerWithoutProfileOrEventsRoundTrips() {
        CustomerState state = new CustomerState();
        CustomerState back = SERDE.deserialize("t", SERDE.serialize("t", state));
        assertEquals(Lifecycle.NEW, back.timeline().base());
        assertTrue(back.timeline().isEmpty());
        assertTrue(back.seen().isEmpty());
        assertNull(back.profile());
    }

    @Test
    void aValueWithoutTheSectionSevenTailReadsAsNoLastActivityAndUnspecifiedReasons() {
        CustomerTimeline timeline = new CustomerTimeline(new Lifecycle(true, true, Dimensions.NONE), List.of(
                TimelineEntry.signup(T, Dimensions.NONE), TimelineEntry.cancellation(T + DAY, "moved")));
        byte[] bytes = SERDE.serialize("t", new CustomerState(timeline, List.of(), null));
        // The tail of this value is one boolean (no last activity), one string ref and one boolean (no cohort ledger);
        // an earlier release wrote none of them.
        byte[] withoutTail = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        CustomerTimeline back = SERDE.deserialize("t", withoutTail).timeline();

        assertEquals(Lifecycle.NO_ACTIVITY, back.base().lastActivity());
        assertEquals(TimelineEntry.cancellation(T + DAY, "unspecified"), back.entries().get(1));
    }

    @Test
    void thePurchaseDaysRoundTripAndAValueWrittenBeforeThemReadsAsNone() {
        PurchaseDays days = PurchaseDays.first(T + 5 * DAY, 1_000);
        days.add(T, 250, day -> false);
        days.add(T + 9 * DAY, 40, day -> false);
        CustomerState state = new CustomerState(new CustomerTimeline(), List.of(), null, days);
        CustomerState back = SERDE.deserialize("t", SERDE.serialize("t", state));
        assertEquals(days, back.purchases());
        assertEquals(days.summaryAsOf(T + 20 * DAY), back.purchases().summaryAsOf(T + 20 * DAY));

        // Without purchase days nothing is written after the tail (and no tail when it holds nothing): such values read
        // as none, like those of a release before the model's summary.
        assertNull(SERDE.deserialize("t", SERDE.serialize("t", new CustomerState())).purchases());
        CustomerTimeline timeline = new CustomerTimeline(new Lifecycle(true, true, Dimensions.NONE), List.of(
                TimelineEntry.signup(T, Dimensions.NONE), TimelineEntry.cancellation(T + DAY, "moved")));
        CustomerState withTail = new CustomerState(timeline, List.of(), null, days);
        CustomerState tailBack = SERDE.deserialize("t", SERDE.serialize("t", withTail));
        assertEquals(days, tailBack.purchases(), "after a tail with a churn reason");
        assertEquals(TimelineEntry.cancellation(T + DAY, "moved"), tailBack.timeline().entries().get(1));
    }

    @Test
    void aValueOfANewerFormatIsRefused() {
        byte[] bytes = SERDE.serialize("t", new CustomerState());
        bytes[0] = 2;
        assertThrows(SerializationException.class, () -> SERDE.deserialize("t", bytes));
    }
}
