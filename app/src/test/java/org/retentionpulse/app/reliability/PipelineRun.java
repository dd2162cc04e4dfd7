package org.retentionpulse.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.PipelineSettings;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.pipeline.ApplicationLag;
import org.retentionpulse.app.pipeline.PipelineStartup;
import org.retentionpulse.app.pipeline.StartedPipeline;
import org.retentionpulse.app.pipeline.TopicProvisioner;
import org.retentionpulse.topology.TopologyConfig;

/**
 * One isolated pipeline run on a shared broker: its own topics (prefixed by the run name), application id and
 * settings, the same for in-process pipelines and pipeline processes. Settings favour quick recovery: small
 * commit interval, short session and transaction timeouts, finals only.
 */
final class PipelineRun implements AutoCloseable {
    private final String name;
    private final Map<String, String> settings;
    private final int partitions;
    private Admin admin;

    PipelineRun(String name, Map<String, String> clientSettings, int partitions) {
        this.name = name;
        this.partitions = partitions;
        Map<String, String> s = new TreeMap<>(clientSettings);
        s.put(AppDefaults.APPLICATION_ID, "rp-" + name);
        s.put(AppDefaults.WINDOWS, EventStream.WINDOWS);
        s.put(AppDefaults.TOPICS_INPUTS, name + ".events");
        s.put(AppDefaults.TOPICS_METRIC_UPDATES, name + ".metrics");
        s.put(AppDefaults.TOPICS_ALERTS, name + ".alerts");
        s.put(AppDefaults.TOPICS_LATE_EVENTS, name + ".late");
        s.put(AppDefaults.TOPICS_DEAD_LETTERS, name + ".dead-letters");
        s.put(AppDefaults.TOPICS_MODEL, name + ".model");
        s.put(AppDefaults.TOPICS_COHORTS, name + ".cohorts");
        s.put(AppDefaults.TOPICS_PARTITIONS, String.valueOf(partitions));
        s.put(AppDefaults.UPDATE_INTERVAL, "PT0S");
        // Several pipeline processes run at once on this machine: any free port for their HTTP servers.
        s.put(AppDefaults.HTTP_PORT, "0");
        s.put("streams.commit.interval.ms", "100");
        // A killed instance is noticed after the session timeout (the broker's minimum, 6 s, instead of 45 s); its open
        // transaction is aborted after Streams' transaction timeout (10 s). Lower transaction timeouts abort
        // transactions of a live instance that stalls on this shared 2-core machine.
        s.put("streams.session.timeout.ms", "6000");
        s.put("streams.heartbeat.interval.ms", "1000");
        this.settings = s;
    }

    PipelineRun with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    String name() {
        return name;
    }

    String applicationId() {
        return settings.get(AppDefaults.APPLICATION_ID);
    }

    PipelineSettings pipelineSettings(Path stateDir) {
        Map<String, String> s = new HashMap<>(settings);
        s.put(AppDefaults.STATE_DIR, stateDir.toString());
        return new PipelineSettings(Settings.load(null, Map.of(), s));
    }

    TopologyConfig topology() {
        return pipelineSettings(Path.of("unused")).topology(partitions);
    }

    Properties client() {
        return pipelineSettings(Path.of("unused")).clientProperties();
    }

    String inputTopic() {
        return topology().topics().inputs().get(0);
    }

    /**
     * Creates the run's topics with its partition count and waits until the broker serves every input partition:
     * a producer that writes to a partition whose leader is not ready yet gets NOT_LEADER_OR_FOLLOWER, and an
     * idempotent producer retrying then can get stuck on out-of-order sequence errors until it gives up.
     */
    PipelineRun createTopics() {
        try (TopicProvisioner topics = new TopicProvisioner(client())) {
            topics.createMissing(topology().topics(), partitions, (short) 1);
        }
        Map<TopicPartition, OffsetSpec> inputs = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            inputs.put(new TopicPartition(inputTopic(), p), OffsetSpec.latest());
        }
        Await.until(Duration.ofSeconds(30), "leaders for the input partitions of " + name, () -> {
            try {
                return admin().listOffsets(inputs).all().get(5, TimeUnit.SECONDS).size() == partitions;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        return this;
    }

    /** A pipeline in this JVM, started through the commands' start-up path ({@link PipelineStartup}). */
    StartedPipeline start(Path stateDir) {
        return start(PipelineStartup.Request.of(pipelineSettings(stateDir).settings()));
    }

    /** As {@link #start}, with the HTTP server, the meters and the output monitor, as {@code run} starts it. */
    StartedPipeline startServed(Path stateDir) {
        return start(PipelineStartup.Request.of(pipelineSettings(stateDir).settings()).served());
    }

    private static StartedPipeline start(PipelineStartup.Request request) {
        try {
            return PipelineStartup.start(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The settings as a properties file for {@code retention-pulse run --config FILE}. */
    Path writeConfig(Path dir) {
        Path file = dir.resolve(name + ".properties");
        Properties props = new Properties();
        props.putAll(settings);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "pipeline run " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Records of the input and repartition topics the application has not committed yet. */
    long remaining() {
        List<String> topics = List.of(inputTopic(), ApplicationLag.segmentDeltasTopic(applicationId()));
        try {
            return new ApplicationLag(admin(), applicationId()).behindByTopic(topics).values().stream().mapToLong(Long::longValue).sum();
        } catch (ExecutionException | TimeoutException e) {
            return Long.MAX_VALUE; // the repartition topic does not exist until the application starts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records of the input topic committed so far. */
    long committedInput() {
        try {
            return admin().listConsumerGroupOffsets(applicationId()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getKey().topic().equals(inputTopic()))
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Admin admin() {
        if (admin == null) {
            admin = Admin.create(client());
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }

    void awaitConsumed(Duration timeout) {
        Await.until(timeout, "run " + name + " to commit all of its input", () -> remaining() == 0);
    }

    PipelineOutputs outputs() {
        return PipelineOutputs.read(client(), topology().topics());
    }
}
