package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.schemas.serde.InvalidEventException;
import org.retentionpulse.schemas.serde.SingleObjectAvro;
import org.retentionpulse.schemas.serde.WireFormat;

class KafkaEventSinkTest {

    private static final GeneratorConfig FAULTY = GeneratorConfig.builder().seed(13).customers(300).days(30)
            .faults(FaultRates.NONE.withInvalidRate(0.1)).build();

    private static MockProducer<String, byte[]> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Test
    void sendsAvroKeyedByCustomerToTheTopicOfEachTypeAtEventTime() {
        final MockProducer<String, byte[]> producer = producer();
        final List<GeneratedEvent> events = EventGeneratorTest.all(FAULTY);
        try (KafkaEventSink sink = new KafkaEventSink(producer, TopicNames.DEFAULTS, WireFormat.AVRO)) {
            events.forEach(sink::write);
        }
        final List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertEquals(events.size(), sent.size());
        final Set<String> topics = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            final GeneratedEvent event = events.get(i);
            final ProducerRecord<String, byte[]> record = sent.get(i);
            topics.add(record.topic());
            assertEquals(TopicNames.DEFAULTS.topicFor(EventType.of(event.record())), record.topic());
            assertEquals(event.customerId(), record.key());
            assertEquals(event.occurredAt().toEpochMilli(), record.timestamp());
            if (event.rawLine().isPresent()) {
                assertArrayEquals(event.rawLine().get().getBytes(StandardCharsets.UTF_8), record.value());
                assertThrows(InvalidEventException.class, () -> SingleObjectAvro.decode(record.value()));
            } else {
                assertEquals(event.record(), SingleObjectAvro.decode(record.value()));
            }
        }
        assertEquals(TopicNames.DEFAULTS.distinct(), topics);
        assertTrue(producer.closed());
    }

    @Test
    void sendsCanonicalJsonToOneTopicWhenAsked() {
        final MockProducer<String, byte[]> producer = producer();
        final List<GeneratedEvent> events = EventGeneratorTest.all(FAULTY.toBuilder().targetEvents(500).build());
        try (KafkaEventSink sink = new KafkaEventSink(producer, TopicNames.single("events"), WireFormat.JSON)) {
            events.forEach(sink::write);
        }
        for (int i = 0; i < events.size(); i++) {
            final ProducerRecord<String, byte[]> record = producer.history().get(i);
            assertEquals("events", record.topic());
            final GeneratedEvent event = events.get(i);
            final String expected = event.rawLine().orElseGet(() -> CanonicalJson.formatEvent(event.record()));
            assertEquals(expected, new String(record.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void failedSendSurfacesOnTheNextFlush() {
        final MockProducer<String, byte[]> producer =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        final KafkaEventSink sink = new KafkaEventSink(producer, TopicNames.DEFAULTS, WireFormat.AVRO);
        final GeneratedEvent event = EventGenerator.create(FAULTY).next();
        sink.write(event);
        producer.errorNext(new KafkaException("broker gone"));
        final KafkaException failure = assertThrows(KafkaException.class, sink::flush);
        assertTrue(failure.getMessage().contains("broker gone"));
        assertThrows(KafkaException.class, () -> sink.write(event), "no more writes after a failure");
    }

    @Test
    void producerIsIdempotentAndBatchesForThroughput() {
        final Map<String, Object> config = KafkaEventSink.producerConfig("localhost:9092",
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 20));
        assertEquals(true, config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("all", config.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("lz4", config.get(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        assertEquals(20, config.get(ProducerConfig.LINGER_MS_CONFIG), "overrides win");
        assertEquals("localhost:9092", config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }
}
