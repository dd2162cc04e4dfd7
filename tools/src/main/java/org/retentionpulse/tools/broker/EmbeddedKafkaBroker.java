package org.retentionpulse.tools.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker running inside this JVM: one KRaft node that is both broker and controller,
 * started from the released Kafka server classes.
 *
 * <p>It serves development (the {@code broker} and {@code demo} commands) and integration tests. Defaults suit a
 * single node: internal topics with one replica, no automatic topic creation, no initial rebalance delay, so
 * consumer groups and exactly-once Kafka Streams applications work against it unchanged.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
 *     broker.createTopic("signups", 3);
 *     Properties props = new Properties();
 *     props.putAll(broker.clientProperties());
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts the broker down and, if the log directory was a temporary one, deletes it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** How long startup may take unless the builder says otherwise: generous for a loaded 2-core machine. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int MAX_START_ATTEMPTS = 5;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final int port;
    private final Path logDir;
    private final boolean temporaryLogDir;
    private final Map<String, Object> clientProperties;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread shutdownHook;
    private Admin admin;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, Path logDir, boolean temporaryLogDir,
                                Map<String, Object> clientProperties) {
        this.server = server;
        this.port = port;
        this.logDir = logDir;
        this.temporaryLogDir = temporaryLogDir;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /** Starts describing a broker; nothing runs until {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:9092}. */
    public String bootstrapServers() {
        return SingleNodeBrokerConfig.HOST + ":" + port;
    }

    /** The port of the client listener, useful to restart a broker on the same address. */
    public int port() {
        return port;
    }

    /** The directory holding the broker's metadata log and topic data. */
    public Path logDir() {
        return logDir;
    }

    /**
     * Everything a client needs to connect: {@code bootstrap.servers}, {@code security.protocol} and the client
     * properties given to the builder (credentials, trust store). Returns a new mutable map on each call.
     */
    public Map<String, Object> clientProperties() {
        return new HashMap<>(clientProperties);
    }

    /** Creates a topic with one replica and the broker's default topic configuration. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with one replica and the given topic configuration, e.g.
     * {@code Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)}.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)));
    }

    /**
     * Creates the topics and waits until the broker has created all of them.
     *
     * @throws KafkaException the broker's error, e.g. {@link org.apache.kafka.common.errors.TopicExistsException}
     */
    public void createTopics(Collection<NewTopic> topics) {
        CreateTopicsOptions options = new CreateTopicsOptions().timeoutMs((int) ADMIN_TIMEOUT.toMillis());
        try {
            admin().createTopics(topics, options).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException cause) {
                throw cause;
            }
            throw new KafkaException("Could not create topics " + topicNames(topics), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Timed out creating topics " + topicNames(topics), e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /**
     * Shuts the broker down and waits for it; deletes a temporary log directory. Safe to call more than once:
     * later calls return at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        try {
            synchronized (this) {
                if (admin != null) {
                    admin.close(Duration.ZERO);
                }
            }
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporaryLogDir) {
                deleteQuietly(logDir);
            }
            removeShutdownHook();
        }
        log.info("Kafka broker at {} stopped in {} ms", bootstrapServers(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private synchronized Admin admin() {
        if (closed.get()) {
            throw new IllegalStateException("The broker at " + bootstrapServers() + " is closed");
        }
        if (admin == null) {
            Map<String, Object> props = new HashMap<>(clientProperties);
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-broker-admin");
            admin = Admin.create(props);
        }
        return admin;
    }

    private void awaitReady(long deadlineNanos) {
        while (true) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remainingMs <= 0) {
                throw new KafkaException("The broker at " + bootstrapServers() + " did not become ready in time");
            }
            try {
                DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) remainingMs);
                if (!admin().describeCluster(options).nodes().get().isEmpty()) {
                    return;
                }
                // Answering without listing itself means the broker is not registered yet; ask again shortly.
                Thread.sleep(100);
            } catch (ExecutionException e) {
                throw new KafkaException("The broker at " + bootstrapServers() + " did not become ready", e.getCause());
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
        }
    }

    private void closeOnJvmShutdown() {
        shutdownHook = new Thread(this::close, "embedded-kafka-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The JVM is exiting and runs the hook anyway; close() is idempotent.
        }
    }

    private static List<String> topicNames(Collection<NewTopic> topics) {
        return topics.stream().map(NewTopic::name).toList();
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            log.warn("Could not delete the broker's temporary log directory {}", dir, e);
        }
    }

    /**
     * Describes the broker to start. Every option has a default, so {@code builder().start()} gives a plaintext
     * broker on a free port with a temporary log directory.
     */
    public static final class Builder {

        private int port;
        private Path logDir;
        private int defaultPartitions = 1;
        private SecurityProtocol securityProtocol = SecurityProtocol.PLAINTEXT;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<String, Object> clientProperties = new LinkedHashMap<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private boolean closeOnJvmShutdown;

        private Builder() {
        }

        /** The client listener's port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Not a port: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Keeps the broker's data in this directory, created if missing and kept on close, so a later broker on
         * the same directory sees the same topics and records. By default a temporary directory is used and
         * deleted on close.
         */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /** Partition count of topics created without one ({@code num.partitions}); 1 by default. */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("Partitions must be at least 1, got " + partitions);
            }
            this.defaultPartitions = partitions;
            return this;
        }

        /**
         * The security protocol of the client listener, which is named after it (so {@code SASL_SSL} is configured
         * with {@code listener.name.sasl_ssl.*} broker properties). PLAINTEXT by default. Set the matching
         * client side with {@link #clientProperty(String, Object)}.
         */
        public Builder securityProtocol(SecurityProtocol protocol) {
            this.securityProtocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /** A Kafka server property; applied after the defaults, so it can override any of them. */
        public Builder brokerProperty(String name, String value) {
            brokerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Kafka server properties; applied after the defaults, so they can override any of them. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /**
         * A client property needed to reach the client listener (e.g. {@code sasl.jaas.config}); used by this
         * class's own admin client and returned by {@link EmbeddedKafkaBroker#clientProperties()}.
         */
        public Builder clientProperty(String name, Object value) {
            clientProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How long formatting, startup and the readiness check may take together; 60 s by default. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("The startup timeout must be positive, got " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** Whether a JVM shutdown hook closes the broker (e.g. on Ctrl-C); off by default. */
        public Builder closeOnJvmShutdown(boolean enabled) {
            this.closeOnJvmShutdown = enabled;
            return this;
        }

        /**
         * Formats the log directory if it is new, starts the broker and waits until it answers clients.
         *
         * @throws KafkaException if the broker does not start or is not ready within the startup timeout
         */
        public EmbeddedKafkaBroker start() {
            long startedNanos = System.nanoTime();
            long deadlineNanos = startedNanos + startupTimeout.toNanos();
            boolean temporary = logDir == null;
            Path dir = temporary ? createTempLogDir() : createLogDir(logDir);
            try {
                EmbeddedKafkaBroker broker = startServer(dir, temporary, deadlineNanos);
                try {
                    broker.awaitReady(deadlineNanos);
                } catch (RuntimeException e) {
                    broker.close();
                    throw e;
                }
                if (closeOnJvmShutdown) {
                    broker.closeOnJvmShutdown();
                }
                log.info("Kafka broker ready at {} in {} ms (log dir {})", broker.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), dir);
                return broker;
            } catch (RuntimeException e) {
                if (temporary) {
                    deleteQuietly(dir);
                }
                throw e;
            }
        }

        private EmbeddedKafkaBroker startServer(Path dir, boolean temporary, long deadlineNanos) {
            if (port != 0 && !isFree(port)) {
                throw new KafkaException("Port " + port + " is already in use: stop whatever listens there or pick another port");
            }
            for (int attempt = 1; ; attempt++) {
                SingleNodeBrokerConfig config = configWithFreePorts(dir, deadlineNanos);
                KafkaConfig kafkaConfig = new KafkaConfig(config.toProperties(), false);
                format(config);
                KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
                try {
                    server.startup();
                    return new EmbeddedKafkaBroker(server, config.clientPort(), dir, temporary, clientProperties(config));
                } catch (RuntimeException e) {
                    shutdownQuietly(server);
                    // Another process may take a port between our probe and the broker's bind; try fresh ports.
                    if (isBindFailure(e) && attempt < MAX_START_ATTEMPTS) {
                        log.debug("Port taken while the broker started (attempt {}), retrying", attempt, e);
                        continue;
                    }
                    throw e;
                }
            }
        }

        private SingleNodeBrokerConfig configWithFreePorts(Path dir, long deadlineNanos) {
            int clientPort = port != 0 ? port : freePort();
            int controllerPort = freePortOtherThan(clientPort);
            int internalPort = securityProtocol == SecurityProtocol.PLAINTEXT
                ? -1 : freePortOtherThan(clientPort, controllerPort);
            Duration remaining = Duration.ofNanos(Math.max(deadlineNanos - System.nanoTime(), 1_000_000));
            return new SingleNodeBrokerConfig(securityProtocol, clientPort, controllerPort, internalPort,
                dir, defaultPartitions, remaining, brokerProperties);
        }

        private Map<String, Object> clientProperties(SingleNodeBrokerConfig config) {
            Map<String, Object> props = new HashMap<>();
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, SingleNodeBrokerConfig.HOST + ":" + config.clientPort());
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol.name);
            props.putAll(clientProperties);
            return props;
        }

        /**
         * Writes the KRaft bootstrap metadata (a new cluster id, the latest production metadata version) into a new
         * log directory. A directory that already holds a broker's data keeps its cluster id and metadata.
         */
        private static void format(SingleNodeBrokerConfig config) {
            if (Files.exists(config.logDir().resolve("meta.properties"))) {
                return;
            }
            try {
                new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(SingleNodeBrokerConfig.NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(SingleNodeBrokerConfig.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.logDir().toString())
                    .setDirectories(List.of(config.logDir().toString()))
                    .setHasDynamicQuorum(false)
                    .run();
            } catch (Exception e) {
                throw new KafkaException("Could not format the broker's log directory " + config.logDir(), e);
            }
        }

        private static void shutdownQuietly(KafkaRaftServer server) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                log.debug("Error shutting down a broker that failed to start", e);
            }
        }

        private static boolean isBindFailure(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    return true;
                }
            }
            return false;
        }

        private static Path createTempLogDir() {
            try {
                return Files.createTempDirectory("retention-pulse-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a temporary log directory", e);
            }
        }

        private static Path createLogDir(Path dir) {
            try {
                return Files.createDirectories(dir.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create the log directory " + dir, e);
            }
        }
    }

    private static int freePortOtherThan(int... taken) {
        while (true) {
            int candidate = freePort();
            if (Arrays.stream(taken).noneMatch(p -> p == candidate)) {
                return candidate;
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port", e);
        }
    }

    private static boolean isFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
