package org.retentionpulse.app.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.retentionpulse.topology.TopologyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the application's topics when they are missing and reads how many partitions the input topics
 * have (the segment stage waits for the stream time of each).
 */
public final class TopicProvisioner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;

    public TopicProvisioner(Properties clientProperties) {
        this.admin = Admin.create(clientProperties);
    }

    /** Creates missing topics: inputs with {@code partitions} and CreateTime, the outputs as below. */
    public void createMissing(TopologyConfig.Topics topics, int partitions, short replication) {
        createMissing(topics, partitions, replication, "CreateTime");
    }

    /**
     * Creates missing topics: inputs as {@link #createMissingInputs}; metric updates and the model fits compacted; metric updates and
     * alerts with {@code LogAppendTime}, so their timestamps are the append time the end-to-end latency is measured
     * to; late events and dead letters with {@code LogAppendTime} too, because they copy the input record's timestamp,
     * which may be an event time from last year (time retention would delete them at once; the original timestamp
     * stays in the {@code retention-pulse.source.timestamp} header of a dead letter).
     */
    public void createMissing(TopologyConfig.Topics topics, int partitions, short replication, String inputTimestampType) {
        List<NewTopic> wanted = new ArrayList<>(inputTopics(topics.inputs(), partitions, replication, inputTimestampType));
        wanted.add(new NewTopic(topics.metricUpdates(), partitions, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
        wanted.add(new NewTopic(topics.alerts(), partitions, replication)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
        wanted.add(new NewTopic(topics.lateEvents(), partitions, replication)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
        wanted.add(new NewTopic(topics.deadLetters(), partitions, replication)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
        // Created even without rules, so consumers and dashboards find it; keyed by series, never compacted.
        wanted.add(new NewTopic(topics.metricAlerts(), partitions, replication));
        wanted.add(new NewTopic(topics.cohorts(), partitions, replication));
        // The latest fit per segment and customer task (key segment|partition): compacted, a few records a day.
        wanted.add(new NewTopic(topics.model(), 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        create(wanted);
    }

    /**
     * Creates missing input topics with {@code partitions}, the given {@code message.timestamp.type}
     * ({@code CreateTime} or {@code LogAppendTime}) and no time retention ({@code retention.ms=-1}): time retention
     * deletes by record timestamp, read or not, so events written with their event time as timestamp would be deleted
     * before the pipeline read them; and the input's history is what {@code reset} rebuilds the state from.
     */
    public void createMissingInputs(List<String> inputs, int partitions, short replication, String inputTimestampType) {
        create(inputTopics(inputs, partitions, replication, inputTimestampType));
    }

    private static List<NewTopic> inputTopics(List<String> inputs, int partitions, short replication, String timestampType) {
        if (!timestampType.equals("CreateTime") && !timestampType.equals("LogAppendTime")) {
            throw new IllegalArgumentException("input timestamp type must be CreateTime or LogAppendTime, was " + timestampType);
        }
        return inputs.stream().map(input -> new NewTopic(input, partitions, replication)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, timestampType, TopicConfig.RETENTION_MS_CONFIG, "-1")))
                .toList();
    }

    /** Creates a missing single-partition compacted topic (an application's own bookkeeping, e.g. its built-for record). */
    public void createMissingCompacted(String name, short replication) {
        create(List.of(new NewTopic(name, 1, replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
    }

    /**
     * Waits until every partition of new topics has a leader: a producer writing before that gets
     * NOT_LEADER_OR_FOLLOWER, and after enough retries its idempotent sequence breaks.
     */
    private void awaitLeaders(List<String> names) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                // Right after creation the metadata may not know the topic yet: that is "not ready", not a failure.
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + names + " have no leader after 30 s");
            }
            Thread.sleep(50);
        }
    }

    private void create(Collection<NewTopic> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            log.info("Creating topics {}", missing.stream().map(NewTopic::name).toList());
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
                }
            });
            awaitLeaders(missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }

    /** The partition count of the input topics; they must agree because the customer stage is co-partitioned. */
    public int inputPartitions(List<String> inputs) {
        try {
            Map<String, TopicDescription> descriptions = admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS);
            Set<Integer> counts = descriptions.values().stream().map(d -> d.partitions().size()).collect(java.util.stream.Collectors.toSet());
            if (counts.size() != 1) {
                throw new IllegalStateException("input topics must have the same number of partitions (events of one customer "
                        + "must meet in one task), but they have " + descriptions.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().partitions().size()).toList());
            }
            return counts.iterator().next();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe input topics " + inputs + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot describe input topics " + inputs + ": " + e, e);
        }
    }

    public Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close();
    }
}
