package org.retentionpulse.tools.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The server properties of a one-node Kafka cluster whose single process is both broker and KRaft controller.
 *
 * <p>Clients connect to a listener named after its security protocol ({@code PLAINTEXT}, {@code SASL_SSL}, ...),
 * so that Kafka's per-listener properties ({@code listener.name.sasl_ssl.*}) can be passed through unchanged.
 * When that listener is not plaintext, the broker talks to itself (transaction markers) over an extra plaintext
 * listener on localhost, so callers only configure the client side of their security setup.
 * Overrides are applied last and win over every default.
 *
 * @param clientProtocol  security protocol of the client listener
 * @param clientPort      port of the client listener
 * @param controllerPort  port of the KRaft controller listener
 * @param internalPort    port of the inter-broker listener; only used when {@code clientProtocol} is not plaintext
 * @param logDir          directory holding both the metadata log and the topic data
 * @param defaultPartitions partition count of topics created without an explicit count
 * @param startupTimeout  how long the server may take to start before it gives up
 * @param overrides       extra server properties, applied last
 */
record SingleNodeBrokerConfig(
    SecurityProtocol clientProtocol,
    int clientPort,
    int controllerPort,
    int internalPort,
    Path logDir,
    int defaultPartitions,
    Duration startupTimeout,
    Map<String, String> overrides
) {

    static final int NODE_ID = 1;
    static final String HOST = "localhost";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String INTERNAL_LISTENER = "INTERNAL";

    SingleNodeBrokerConfig {
        Objects.requireNonNull(clientProtocol, "clientProtocol");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        overrides = Map.copyOf(overrides);
    }

    /** Whether the broker needs its own plaintext listener for inter-broker traffic. */
    boolean needsInternalListener() {
        return clientProtocol != SecurityProtocol.PLAINTEXT;
    }

    String clientListener() {
        return clientProtocol.name;
    }

    /** The complete server properties, defaults first, then the overrides. */
    Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.putAll(listenerProperties());
        props.put("log.dirs", logDir.toString());
        props.put("metadata.log.dir", logDir.toString());
        props.put("server.max.startup.time.ms", String.valueOf(startupTimeout.toMillis()));

        // One node: every internal topic must be satisfied by a single replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");

        // Fewer internal partitions make the first consumer group and the first transaction start quickly.
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.streams.initial.rebalance.delay.ms", "0");

        props.put("auto.create.topics.enable", "false");
        // A development broker keeps every record: time retention deletes by record timestamp, read or not, so
        // events written with last year's event time as their timestamp would be gone at the next retention check.
        props.put("log.retention.ms", "-1");
        props.put("num.partitions", String.valueOf(defaultPartitions));
        // The cleaner allocates its dedupe buffer up front (128 MiB by default); a development broker needs far less.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));

        props.putAll(overrides);
        return props;
    }

    private Map<String, String> listenerProperties() {
        String client = clientListener();
        String listeners = client + "://" + HOST + ":" + clientPort
            + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort;
        String protocolMap = client + ":" + clientProtocol.name + "," + CONTROLLER_LISTENER + ":PLAINTEXT";
        String advertised = client + "://" + HOST + ":" + clientPort;
        String interBroker = client;
        if (needsInternalListener()) {
            listeners += "," + INTERNAL_LISTENER + "://" + HOST + ":" + internalPort;
            protocolMap += "," + INTERNAL_LISTENER + ":PLAINTEXT";
            advertised += "," + INTERNAL_LISTENER + "://" + HOST + ":" + internalPort;
            interBroker = INTERNAL_LISTENER;
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("listeners", listeners);
        props.put("advertised.listeners", advertised);
        props.put("listener.security.protocol.map", protocolMap);
        props.put("inter.broker.listener.name", interBroker);
        return props;
    }
}
