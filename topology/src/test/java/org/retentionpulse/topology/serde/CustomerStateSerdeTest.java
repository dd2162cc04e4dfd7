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
        CustomerTimeline timeline = new CustomerTimeline(new Lifecycle(true, true, new Dimensions("basic", "FR", "ads")), List.of(
                TimelineEntry.signup(T, new Dimensions("pro", "DE", null)),
                TimelineEntry.purchase(T + DAY, 1_999),
                TimelineEntry.survey(T + 2 * DAY, SurveyType.CES, 5),
                TimelineEntry.purchase(T + 3 * DAY, 5),
                TimelineEntry.survey(T + 4 * DAY, SurveyType.NPS, 10),
                TimelineEntry.cancellation(T + 4 * DAY)));
        CustomerState state = new CustomerState(timeline,
                List.of(new CustomerState.SeenEvent("e-1", T), new CustomerState.SeenEvent("é-2", T - 5 * DAY)), profile);

        byte[] bytes = SERDE.serialize("t", state);
        CustomerState back = SERDE.deserialize("t", bytes);

        assertEquals(timeline.base(), back.timeline().base());
        assertEquals(timeline.entries(), back.timeline().entries());
        assertEquals(state.seen(), back.seen());
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
        assertTrue(bytes.length <= 150, "six events, two ids and a profile in " + bytes.length + " bytes");
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
    void thePurchaseDaysRoundTripAndAValueWrittenBeforeThemReadsAsNone() {
        PurchaseDays days = PurchaseDays.first(T + 5 * DAY, 1_000);
        days.add(T, 250, day -> false);
        days.add(T + 9 * DAY, 40, day -> false);
        CustomerState state = new CustomerState(new CustomerTimeline(), List.of(), null, days);
        CustomerState back = SERDE.deserialize("t", SERDE.serialize("t", state));
        assertEquals(days, back.purchases());
        assertEquals(days.summaryAsOf(T + 20 * DAY), back.purchases().summaryAsOf(T + 20 * DAY));

        byte[] without = SERDE.serialize("t", new CustomerState());
        byte[] olderFormat = Arrays.copyOf(without, without.length - 1);
        assertEquals(0, without[without.length - 1], "the last byte is the absent purchase days' flag");
        assertNull(SERDE.deserialize("t", olderFormat).purchases());
    }

    @Test
    void aValueOfANewerFormatIsRefused() {
        byte[] bytes = SERDE.serialize("t", new CustomerState());
        bytes[0] = 2;
        assertThrows(SerializationException.class, () -> SERDE.deserialize("t", bytes));
    }
}
