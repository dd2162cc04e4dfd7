package org.retentionpulse.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.SurveyType;

class EventSerdeTest {

    private static final String TOPIC = "events";

    static Stream<SpecificRecord> events() {
        return SampleRecords.events();
    }

    @ParameterizedTest
    @MethodSource("events")
    void everyEventRoundTripsInBothWireFormats(SpecificRecord event) {
        for (WireFormat format : WireFormat.values()) {
            EventSerde serde = new EventSerde(format, "EUR");

            byte[] bytes = serde.serializer().serialize(TOPIC, event);

            assertEquals(format == WireFormat.AVRO, SingleObjectAvro.isSingleObject(bytes));
            assertEquals(event, serde.deserializer().deserialize(TOPIC, bytes));
        }
    }

    @Test
    void deserializerDetectsTheFormatOfEachRecord() {
        Deserializer<SpecificRecord> deserializer = new EventSerde(WireFormat.AVRO, "EUR").deserializer();
        Purchase purchase = SampleRecords.purchase("19.99");

        byte[] json = CanonicalJson.formatEvent(purchase).getBytes(StandardCharsets.UTF_8);
        byte[] avro = SingleObjectAvro.encode(purchase);

        assertEquals(purchase, deserializer.deserialize(TOPIC, json));
        assertEquals(purchase, deserializer.deserialize(TOPIC, avro));
    }

    @Test
    void configsChooseWireFormatAndReportingCurrency() {
        EventSerde serde = new EventSerde();
        serde.configure(Map.of(WireFormatConfig.WIRE_FORMAT_CONFIG, "json",
            WireFormatConfig.REPORTING_CURRENCY_CONFIG, "USD"), false);
        Purchase usd = new Purchase("e1", "c", Instant.EPOCH, "o", new java.math.BigDecimal("3.00"), "USD");

        byte[] bytes = serde.serializer().serialize(TOPIC, usd);

        assertEquals(WireFormat.JSON, serde.wireFormat());
        assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("{\"type\":\"purchase\""));
        assertEquals(usd, serde.deserializer().deserialize(TOPIC, bytes));
        assertEquals(RejectReason.CURRENCY_MISMATCH, assertThrows(InvalidEventException.class,
            () -> new EventSerde().deserializer().deserialize(TOPIC, bytes)).reason());
    }

    @Test
    void serializerCreatedByClassNameIsConfiguredThroughItsOwnConfigure() {
        EventSerde serde = new EventSerde();
        Serializer<SpecificRecord> serializer = serde.serializer();

        serializer.configure(Map.of(WireFormatConfig.WIRE_FORMAT_CONFIG, WireFormat.JSON), false);

        assertEquals('{', serializer.serialize(TOPIC, SampleRecords.signup())[0]);
    }

    @Test
    void avroEventThatBreaksARuleIsRejectedLikeItsJsonTwin() {
        SurveyResponse nps11 = new SurveyResponse("e13", "ann", Instant.EPOCH, SurveyType.NPS, 11, null);
        byte[] avro = SingleObjectAvro.encode(nps11);

        InvalidEventException rejected = assertThrows(InvalidEventException.class,
            () -> new EventSerde().deserializer().deserialize(TOPIC, avro));

        assertEquals(RejectReason.SCORE_OUT_OF_RANGE, rejected.reason());
    }

    @Test
    void metricUpdateOnAnInputTopicIsUnknownType() {
        byte[] avro = SingleObjectAvro.encode(SampleRecords.npsUpdate());

        assertEquals(RejectReason.UNKNOWN_TYPE, assertThrows(InvalidEventException.class,
            () -> new EventSerde().deserializer().deserialize(TOPIC, avro)).reason());
    }

    @Test
    void emptyAndNullValuesAreRejectedNotDropped() {
        Deserializer<SpecificRecord> deserializer = new EventSerde().deserializer();

        assertEquals(RejectReason.EMPTY_RECORD,
            assertThrows(InvalidEventException.class, () -> deserializer.deserialize(TOPIC, null)).reason());
        assertEquals(RejectReason.EMPTY_RECORD,
            assertThrows(InvalidEventException.class, () -> deserializer.deserialize(TOPIC, new byte[0])).reason());
    }

    @Test
    void textThatIsNeitherAvroNorJsonIsNotJson() {
        byte[] text = "this line is not JSON".getBytes(StandardCharsets.UTF_8);

        assertEquals(RejectReason.NOT_JSON, assertThrows(InvalidEventException.class,
            () -> new EventSerde().deserializer().deserialize(TOPIC, text)).reason());
    }

    @Test
    void serializingNullGivesNullAndANonEventIsRefused() {
        Serializer<SpecificRecord> serializer = new EventSerde().serializer();

        assertNull(serializer.serialize(TOPIC, null));
        assertThrows(IllegalArgumentException.class, () -> serializer.serialize(TOPIC, SampleRecords.npsUpdate()));
    }

    @Test
    void unknownWireFormatNameIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class,
            () -> new EventSerde().configure(Map.of(WireFormatConfig.WIRE_FORMAT_CONFIG, "protobuf"), false));
    }
}
