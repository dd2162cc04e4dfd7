package org.retentionpulse.app.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.retentionpulse.reference.CohortPeriodRef;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.reference.ReferenceRules;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;
import org.retentionpulse.reference.WindowSpecRef;
import org.retentionpulse.tools.generator.EventGenerator;
import org.retentionpulse.tools.generator.FaultRates;
import org.retentionpulse.tools.generator.GeneratorConfig;
import org.retentionpulse.tools.generator.JsonLinesSink;
import org.retentionpulse.tools.generator.ProgressListener;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.serde.InputEventDeserializer;
import org.retentionpulse.topology.time.WindowSet;

/**
 * A finite input stream for the reliability tests: records in producing order, keyed by customer id, written
 * to one input topic; ended by an end-of-input tick on every partition so every window closes.
 */
final class EventStream {
    static final String WINDOWS = "P1D/P1D,P7D/P1D,P30D/P1D";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<InputRecord> records;

    EventStream(List<InputRecord> records) {
        this.records = List.copyOf(records);
    }

    /**
     * A generated stream whose results do not depend on how its partitions interleave: out-of-order events
     * only within grace, no late ones (docs/ARCHITECTURE.md, known limits).
     */
    static EventStream generated(long seed, int customers, int days, long events, FaultRates faults) {
        GeneratorConfig config = GeneratorConfig.builder().seed(seed).customers(customers).days(days).targetEvents(events)
                .faults(faults).build();
        StringWriter out = new StringWriter();
        try (JsonLinesSink sink = new JsonLinesSink(out)) {
            EventGenerator.create(config).writeTo(sink, ProgressListener.NONE);
        } catch (Exception e) {
            throw new IllegalStateException("generator failed", e);
        }
        List<InputRecord> records = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                records.add(new InputRecord(keyOf(line), line.getBytes(StandardCharsets.UTF_8), false));
            }
        }
        return new EventStream(records);
    }

    private static byte[] keyOf(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.hasNonNull("customer_id")
                    ? node.get("customer_id").asText().getBytes(StandardCharsets.UTF_8) : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    List<InputRecord> records() {
        return records;
    }

    int size() {
        return records.size();
    }

    List<InputRecord> poison() {
        return records.stream().filter(InputRecord::poison).toList();
    }

    /** The metric finals of the spec's reference model for this stream (poison is rejected there too). */
    ReferenceModel reference() {
        return reference(ReferenceModel.DEFAULT_DIMENSIONS);
    }

    /** As {@link #reference()}, with the given segment dimensions. */
    ReferenceModel reference(List<String> dimensions) {
        return reference(WINDOWS, dimensions);
    }

    /** As {@link #reference()}, with the given window specs ({@code size/advance,...}) and segment dimensions. */
    ReferenceModel reference(String windows, List<String> dimensions) {
        // Sections 4, 8 and 9 under churn.inactivity=none and the default cohorts: what the pipeline publishes by default.
        ReferenceModel model = new ReferenceModel(WindowSpecRef.parseAll(windows), ReferenceModel.DEFAULT_GRACE,
                ReferenceModel.DEFAULT_CURRENCY, dimensions, new ReferenceRules(null, ChurnPolicy.DEFAULT_REASONS_CAP, true,
                CohortPeriodRef.parse(CohortSpec.DEFAULT.period().name()), CohortSpec.DEFAULT.periods()));
        for (InputRecord r : records) {
            model.accept(new String(r.value(), StandardCharsets.UTF_8));
        }
        return model;
    }

    /**
     * The stream as a JSON Lines file for {@code replay}, one record per line. Records that cannot be a line
     * (binary poison with a line break in it) are left out.
     */
    Path writeLines(Path file) {
        List<String> lines = new ArrayList<>();
        for (InputRecord r : records) {
            String line = new String(r.value(), StandardCharsets.UTF_8);
            if (line.indexOf('\n') < 0 && line.indexOf('\r') < 0 && !line.isBlank()) {
                lines.add(line);
            }
        }
        try {
            return Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes records {@code [from, to)} in order with an idempotent producer. */
    void produce(Properties client, String topic, int from, int to) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(client)) {
            for (InputRecord r : records.subList(from, to)) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.key(), r.value())));
            }
            producer.flush();
        }
        awaitAll(sent);
    }

    /** Fails if any record was not written: a test input with a hole would compare wrong results. */
    private static void awaitAll(List<Future<RecordMetadata>> sent) {
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(0, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("a test input record was not written", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    void produceAll(Properties client, String topic) {
        produce(client, topic, 0, records.size());
    }

    /**
     * Ends the input: an end-of-input tick (header {@code retention-pulse.control=end-of-input}, 8-byte epoch ms)
     * on every partition, far enough past the last event to close every window.
     */
    void endInput(Properties client, String topic) {
        long maxTime = records.stream().filter(r -> !r.poison()).mapToLong(EventStream::eventTime).max().orElse(0);
        WindowSet windows = TopologyConfig.defaults().windowSet();
        long at = maxTime + windows.horizonMs() + windows.bucketMs() + 1;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(client)) {
            for (PartitionInfo p : producer.partitionsFor(topic)) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(InputEventDeserializer.CONTROL_HEADER, InputEventDeserializer.END_OF_INPUT.getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(new ProducerRecord<>(topic, p.partition(), at, null, InputEventDeserializer.tickValue(at), headers)));
            }
            producer.flush();
        }
        awaitAll(sent);
    }

    private static long eventTime(InputRecord r) {
        try {
            JsonNode t = JSON.readTree(r.value()).get("occurred_at");
            return t == null ? Long.MIN_VALUE : Instant.parse(t.asText()).toEpochMilli();
        } catch (IOException | RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        // Topics created a moment ago: one request in flight, see KafkaEventSink.producerConfig (KAFKA-15591).
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Every record delivered twice, as an at-least-once producer that retries would: the copy follows its
     * original a few records later (so copies are not always adjacent).
     */
    /** The same records with {@code extra} inserted at {@code index}. */
    EventStream with(int index, InputRecord extra) {
        List<InputRecord> out = new ArrayList<>(records);
        out.add(index, extra);
        return new EventStream(out);
    }

    EventStream duplicated() {
        List<InputRecord> out = new ArrayList<>(records.size() * 2);
        int lag = 5;
        for (int i = 0; i < records.size() + lag; i++) {
            if (i < records.size()) {
                out.add(records.get(i));
            }
            if (i >= lag) {
                out.add(records.get(i - lag));
            }
        }
        return new EventStream(out);
    }

    /**
     * The same records with about {@code rate} poison records mixed in: undecodable bytes, Avro with an unknown
     * writer schema, JSON that is not an event, and events that break a rule of docs/METRICS.md section 1 (NPS 11, a
     * three-decimal or negative amount, an amount as a JSON number, epoch millis in JSON, a foreign currency,
     * an empty customer id, an unknown survey type).
     */
    EventStream withPoison(double rate, long seed) {
        Random random = new Random(seed);
        List<InputRecord> out = new ArrayList<>();
        int n = 0;
        for (InputRecord r : records) {
            out.add(r);
            if (random.nextDouble() < rate) {
                out.add(poisonRecord(n++, r.key(), random));
            }
        }
        return new EventStream(out);
    }

    private static InputRecord poisonRecord(int n, byte[] key, Random random) {
        String customer = key == null ? "poison-customer" : new String(key, StandardCharsets.UTF_8);
        String head = "\"event_id\":\"poison-" + n + "\",\"customer_id\":\"" + customer
                + "\",\"occurred_at\":\"2024-01-15T12:00:00Z\"";
        String purchase = "{\"type\":\"purchase\"," + head + ",\"order_id\":\"po-" + n + "\",";
        byte[] value = switch (n % 11) {
            case 0 -> randomBytes(random, 1 + random.nextInt(40), (byte) 0x00);
            case 1 -> concat(new byte[] {(byte) 0xC3, 0x01}, randomBytes(random, 8 + random.nextInt(20), (byte) 0x7F));
            case 2 -> "{\"metric\":\"nps\",\"value\":12.5}".getBytes(StandardCharsets.UTF_8);
            case 3 -> utf8("{\"type\":\"survey\"," + head + ",\"survey\":\"NPS\",\"score\":11}");
            case 4 -> utf8(purchase + "\"amount\":\"12.345\",\"currency\":\"EUR\"}");
            case 5 -> utf8(purchase + "\"amount\":\"-5.00\",\"currency\":\"EUR\"}");
            case 6 -> utf8(purchase + "\"amount\":19.99,\"currency\":\"EUR\"}");
            case 7 -> utf8("{\"type\":\"cancellation\",\"event_id\":\"poison-" + n + "\",\"customer_id\":\""
                    + customer + "\",\"occurred_at\":1705320000000}");
            case 8 -> utf8(purchase + "\"amount\":\"5.00\",\"currency\":\"USD\"}");
            case 9 -> utf8("{\"type\":\"signup\",\"event_id\":\"poison-" + n + "\",\"customer_id\":\"\","
                    + "\"occurred_at\":\"2024-01-15T12:00:00Z\"}");
            default -> utf8("{\"type\":\"survey\"," + head + ",\"survey\":\"NPX\",\"score\":3}");
        };
        return new InputRecord(key, value, true);
    }

    /** Random bytes whose first byte is {@code first}, so they are neither JSON nor Avro single-object. */
    private static byte[] randomBytes(Random random, int length, byte first) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        b[0] = first;
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
