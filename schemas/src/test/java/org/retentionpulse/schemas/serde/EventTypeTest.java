package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;

class EventTypeTest {

    @Test
    void accessorsReadTheCommonFieldsOfEveryEventClass() {
        Instant at = Instant.parse("2024-03-02T00:00:00Z");
        SurveyResponse survey = new SurveyResponse("e7", "ann", at, SurveyType.NPS, 9, null);
        Cancellation cancellation = new Cancellation("e14", "bob", at.plusMillis(1), null);

        assertEquals(EventType.SURVEY, EventType.of(survey));
        assertEquals("e7", EventType.eventId(survey));
        assertEquals("ann", EventType.customerId(survey));
        assertEquals(at.toEpochMilli(), EventType.occurredAtMillis(survey));
        assertEquals(EventType.CANCELLATION, EventType.of(cancellation));
        assertEquals("bob", EventType.customerId(cancellation));
        assertEquals(at.toEpochMilli() + 1, EventType.occurredAtMillis(cancellation));
        assertEquals(EventType.PURCHASE, EventType.of(SampleRecords.purchase("1.00")));
        assertEquals(EventType.SIGNUP, EventType.of(SampleRecords.signup()));
    }

    @Test
    void jsonNamesMapBothWays() {
        for (EventType type : EventType.values()) {
            assertEquals(type, EventType.fromJsonName(type.jsonName()));
        }
        assertEquals("survey", EventType.SURVEY.jsonName());
    }

    @Test
    void outputRecordsAreNotEvents() {
        assertFalse(EventType.isEvent(SampleRecords.npsUpdate()));
        assertTrue(EventType.isEvent(SampleRecords.signup()));
        assertThrows(IllegalArgumentException.class, () -> EventType.of(SampleRecords.npsUpdate()));
        assertThrows(IllegalArgumentException.class, () -> EventType.customerId(SampleRecords.alert()));
    }
}
