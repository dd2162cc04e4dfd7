package org.retentionpulse.app.pipeline;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.retentionpulse.topology.RetentionPulseTopology;

/**
 * How far a Kafka Streams application's committed offsets are behind the end of the topics it reads: how a
 * finite run (replay, bench) knows that every record has been processed and its results committed.
 */
public final class ApplicationLag {
    private final Admin admin;
    private final String applicationId;

    public ApplicationLag(Admin admin, String applicationId) {
        this.admin = admin;
        this.applicationId = applicationId;
    }

    /** A unique name for one run's topics and application id, e.g. {@code replay-20261123-140112-abb1}. */
    public static String newRunId(String kind) {
        return kind + "-" + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** The internal topic between the customer and segment stages of an application. */
    public static String segmentDeltasTopic(String applicationId) {
        return applicationId + "-" + RetentionPulseTopology.SEGMENT_DELTAS + "-repartition";
    }

    /** Records not yet committed by the application, per topic (every topic of {@code topics} is a key). */
    public Map<String, Long> behindByTopic(List<String> topics) throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, Long> ends = endOffsets(admin, topics);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<String, Long> behind = new TreeMap<>();
        topics.forEach(t -> behind.put(t, 0L));
        ends.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            behind.merge(tp.topic(), Math.max(0, end - (c == null ? 0 : c.offset())), Long::sum);
        });
        return behind;
    }

    /** The end offset of every partition of {@code topics}. */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
