package org.retentionpulse.topology.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.schemas.serde.EventSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.retentionpulse.topology.event.CustomerEvent;
import org.retentionpulse.topology.event.InputRecord;
import org.retentionpulse.topology.event.Tick;

/** Events are decoded once into the domain type, and written out again byte for byte as they came. */
class AvroEventsTest {
    private static final Instant AT = Instant.parse("2024-03-01T10:00:00.123Z");

    @Test
    void everyKindMapsToTheDomainTypeAndBackUnchanged() {
        List<SpecificRecord> records = List.of(
                new Signup("e1", "ann", AT, "pro", null, "referral"),
                new Purchase("e2", "ann", AT, "o-1", new BigDecimal("19.99"), "EUR"),
                new Cancellation("e3", "ann", AT, null),
                new SurveyResponse("e4", "ann", AT, SurveyType.NPS, 9, "great"));
        EventSerde avro = new EventSerde(WireFormat.AVRO, "EUR");
        for (SpecificRecord record : records) {
            CustomerEvent event = AvroEvents.fromAvro(record);
            assertEquals(AT.toEpochMilli(), event.at());
            assertEquals("ann", event.customerId());
            assertEquals(record, AvroEvents.toAvro(event));
            assertArrayEquals(avro.encode(record), InputRecordSerde.events(avro).serializer().serialize("t", event));
        }
        assertEquals(1_999, ((CustomerEvent.Purchase) AvroEvents.fromAvro(records.get(1))).amountCents());
    }

    @Test
    void theDeserializerReadsJsonEventsAndTicks() {
        InputEventDeserializer deserializer = new InputEventDeserializer("EUR", FutureEventGuard.acceptingAny());
        byte[] json = ("{\"type\":\"survey\",\"event_id\":\"e9\",\"customer_id\":\"bob\",\"occurred_at\":\"2024-03-01T10:00:00Z\","
                + "\"survey\":\"CSAT\",\"score\":2}").getBytes(StandardCharsets.UTF_8);
        InputRecord event = deserializer.deserialize("t", new RecordHeaders(), json);
        assertEquals(new CustomerEvent.SurveyAnswer("e9", "bob", Instant.parse("2024-03-01T10:00:00Z").toEpochMilli(),
                SurveyType.CSAT, 2, null), event);

        RecordHeaders headers = new RecordHeaders();
        byte[] tick = new InputRecordSerde(new EventSerde(), FutureEventGuard.acceptingAny()).serialize("t", headers, new Tick(42, true));
        assertEquals(new Tick(42, true), deserializer.deserialize("t", headers, tick));
    }
}
