package org.retentionpulse.tools.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.server.config.AbstractKafkaConfig;
import org.junit.jupiter.api.Test;

class SingleNodeBrokerConfigTest {

    private static final Path LOG_DIR = Path.of("/tmp/kafka-logs");

    private static SingleNodeBrokerConfig config(SecurityProtocol protocol, Map<String, String> overrides) {
        return new SingleNodeBrokerConfig(protocol, 9092, 9093, 9094, LOG_DIR, 3, Duration.ofSeconds(30), overrides);
    }

    @Test
    void everyDefaultIsAKnownKafkaServerProperty() {
        Set<String> known = AbstractKafkaConfig.CONFIG_DEF.names();
        Set<String> unknown = config(SecurityProtocol.PLAINTEXT, Map.of()).toProperties().keySet().stream()
            .filter(name -> !known.contains(name))
            .collect(Collectors.toSet());

        assertEquals(Set.of(), unknown);
    }

    @Test
    void defaultsDescribeAValidCombinedBrokerAndController() {
        KafkaConfig kafka = new KafkaConfig(config(SecurityProtocol.PLAINTEXT, Map.of()).toProperties(), false);

        assertTrue(kafka.isKRaftCombinedMode());
        assertEquals(1, kafka.nodeId());
        assertEquals("PLAINTEXT", kafka.interBrokerListenerName().value());
        assertEquals((short) 1, kafka.getShort("offsets.topic.replication.factor"));
        assertEquals((short) 1, kafka.getShort("transaction.state.log.replication.factor"));
        assertEquals(1, kafka.getInt("transaction.state.log.min.isr"));
        assertEquals(3, kafka.getInt("num.partitions"));
        assertFalse(kafka.getBoolean("auto.create.topics.enable"));
        assertEquals(LOG_DIR.toString(), kafka.metadataLogDir());
    }

    @Test
    void aDevelopmentBrokerKeepsRecordsWhateverTheirTimestamp() {
        KafkaConfig kafka = new KafkaConfig(config(SecurityProtocol.PLAINTEXT, Map.of()).toProperties(), false);

        // -1: no time retention, so event-time timestamps from last year are not deleted at the next retention check.
        assertEquals(-1L, kafka.getLong("log.retention.ms"));
    }

    @Test
    void brokerPropertiesOverrideDefaults() {
        Map<String, String> props = config(SecurityProtocol.PLAINTEXT,
            Map.of("auto.create.topics.enable", "true", "log.retention.ms", "60000")).toProperties();

        assertEquals("true", props.get("auto.create.topics.enable"));
        assertEquals("60000", props.get("log.retention.ms"));
    }

    @Test
    void securedClientListenerLeavesInterBrokerTrafficOnAPlaintextLocalListener() {
        Map<String, String> props = config(SecurityProtocol.SASL_SSL, Map.of()).toProperties();

        assertEquals("SASL_SSL://localhost:9092,CONTROLLER://localhost:9093,INTERNAL://localhost:9094",
            props.get("listeners"));
        assertEquals("SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT",
            props.get("listener.security.protocol.map"));
        assertEquals("INTERNAL", props.get("inter.broker.listener.name"));
        assertTrue(props.get("advertised.listeners").startsWith("SASL_SSL://localhost:9092"));
    }

    @Test
    void plaintextClientListenerAlsoCarriesInterBrokerTraffic() {
        Map<String, String> props = config(SecurityProtocol.PLAINTEXT, Map.of()).toProperties();

        assertEquals("PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093", props.get("listeners"));
        assertEquals("PLAINTEXT", props.get("inter.broker.listener.name"));
        assertEquals("1@localhost:9093", props.get("controller.quorum.voters"));
    }
}
