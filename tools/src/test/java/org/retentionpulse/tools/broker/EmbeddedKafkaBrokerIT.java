package org.retentionpulse.tools.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    private static final Duration READ_DEADLINE = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readCommittedConsumerSeesExactlyTheCommittedTransactions() {
        broker.createTopic("orders", 3);

        try (KafkaProducer<String, String> producer = transactionalProducer(broker, "orders-tx")) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>("orders", "customer-" + i, "committed-" + i));
            }
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", "customer-0", "aborted"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", "customer-7", "committed-7"));
            producer.commitTransaction();
        }

        List<String> read = readAll(broker.clientProperties(), "orders", "orders-reader");

        assertEquals(List.of(
            "customer-0=committed-0", "customer-1=committed-1", "customer-2=committed-2",
            "customer-3=committed-3", "customer-4=committed-4", "customer-5=committed-5",
            "customer-7=committed-7"), read.stream().sorted().toList());
    }

    @Test
    void topicsAreCreatedWithTheGivenConfiguration() throws Exception {
        broker.createTopic("customer-profiles", 2,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

        try (Admin admin = Admin.create(broker.clientProperties())) {
            var description = admin.describeTopics(List.of("customer-profiles")).allTopicNames().get()
                .get("customer-profiles");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "customer-profiles");
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

            assertEquals(2, description.partitions().size());
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        }
    }

    @Test
    void creatingAnExistingTopicFailsWithTopicExists() {
        broker.createTopic("signups", 1);

        assertThrows(TopicExistsException.class, () -> broker.createTopic("signups", 1));
    }

    @Test
    void brokerRestartedOnTheSameLogDirAndPortKeepsItsRecords(@TempDir Path logDir) {
        int port;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().logDir(logDir).start()) {
            port = first.port();
            first.createTopic("cancellations", 2);
            try (KafkaProducer<String, String> producer = producer(first.clientProperties())) {
                producer.send(new ProducerRecord<>("cancellations", "customer-1", "too expensive"));
                producer.send(new ProducerRecord<>("cancellations", "customer-2", "moved away"));
            }
        }

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().logDir(logDir).port(port).start()) {
            assertEquals("localhost:" + port, second.bootstrapServers());
            assertEquals(List.of("customer-1=too expensive", "customer-2=moved away"),
                readAll(second.clientProperties(), "cancellations", "restart-reader").stream().sorted().toList());
        }
    }

    @Test
    void closeDeletesTheTemporaryLogDirAndCanBeRepeated() {
        EmbeddedKafkaBroker temporary = EmbeddedKafkaBroker.builder().start();
        Path logDir = temporary.logDir();
        assertTrue(Files.isDirectory(logDir));

        temporary.close();
        temporary.close();

        assertFalse(Files.exists(logDir));
    }

    @Test
    void saslListenerServesAuthenticatedClientsAndRejectsOthers() throws Exception {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"%s\";";
        try (EmbeddedKafkaBroker secured = EmbeddedKafkaBroker.builder()
            .securityProtocol(SecurityProtocol.SASL_PLAINTEXT)
            .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
            .brokerProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\";")
            .clientProperty(SaslConfigs.SASL_MECHANISM, "PLAIN")
            .clientProperty(SaslConfigs.SASL_JAAS_CONFIG, jaas.formatted("alice-secret"))
            .start()) {

            secured.createTopic("surveys", 1);
            try (KafkaProducer<String, String> producer = transactionalProducer(secured, "surveys-tx")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("surveys", "customer-1", "NPS 9"));
                producer.commitTransaction();
            }
            assertEquals(List.of("customer-1=NPS 9"), readAll(secured.clientProperties(), "surveys", "surveys-reader"));

            Map<String, Object> intruder = secured.clientProperties();
            intruder.put(SaslConfigs.SASL_JAAS_CONFIG, jaas.formatted("guess"));
            try (Admin admin = Admin.create(intruder)) {
                ExecutionException rejected = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(10_000)).nodes().get());
                assertInstanceOf(SaslAuthenticationException.class, rejected.getCause());
            }
        }
    }

    @Test
    void exactlyOnceStreamsApplicationCountsEveryRecordOnce(@TempDir Path stateDir) {
        broker.createTopic("purchases", 2);
        broker.createTopic("purchase-counts", 2);
        try (KafkaProducer<String, String> producer = producer(broker.clientProperties())) {
            producer.send(new ProducerRecord<>("purchases", "customer-1", "order-1"));
            producer.send(new ProducerRecord<>("purchases", "customer-2", "order-2"));
            producer.send(new ProducerRecord<>("purchases", "customer-1", "order-3"));
        }

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("purchases", Consumed.with(Serdes.String(), Serdes.String()))
            .groupByKey()
            .count()
            .toStream()
            .mapValues(String::valueOf)
            .to("purchase-counts", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.putAll(broker.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "purchase-counter");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Every update reaches the output, so the expected records do not depend on cache flush timing.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        List<String> counts;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            counts = readAtLeast(broker.clientProperties(), "purchase-counts", "purchase-counts-reader", 3);
        }

        assertEquals(List.of("customer-1=1", "customer-1=2", "customer-2=1"), counts.stream().sorted().toList());
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafkaBroker target, String transactionalId) {
        Map<String, Object> props = target.clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return producer(props);
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> clientProperties) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Reads a topic with read_committed until at least {@code count} records arrived and the end is reached. */
    private static List<String> readAtLeast(Map<String, Object> clientProperties, String topic, String groupId, int count) {
        return read(clientProperties, topic, groupId, records -> records.size() >= count);
    }

    /**
     * Reads a topic as a consumer group with read_committed until every partition's position reaches its last
     * stable offset, so records of aborted transactions would have been seen had they leaked.
     */
    private static List<String> readAll(Map<String, Object> clientProperties, String topic, String groupId) {
        return read(clientProperties, topic, groupId, records -> true);
    }

    private static List<String> read(Map<String, Object> clientProperties, String topic, String groupId,
                                     Predicate<List<String>> enough) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                 new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
            while (!(enough.test(records) && reachedEnd(consumer, topic))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Did not reach the end of " + topic + " in time; read so far: " + records);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record.key() + "=" + record.value());
                }
            }
            consumer.commitSync();
        }
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, String topic) {
        Set<TopicPartition> assigned = consumer.assignment();
        int partitions = consumer.partitionsFor(topic).size();
        if (assigned.size() < partitions) {
            return false;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        return assigned.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
    }
}
