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

    /**
     * Records not yet committed by the application, per topic (every topic of {@code topics} is a key).
     *
     * <p>The committed offsets are read before the end offsets, never after. One transaction of a task appends its
     * changes to the repartition topic and then commits its input offsets. With the ends read first, that transaction
     * could fall between the two reads: the input would look done, and the repartition topic too, against an end from
     * before the append. A finite run would then stop before the last changes were applied (a CI run of
     * {@code ReplayIT} lost every final that way). Read committed-first, any input committed at the first read has its
     * appends inside the ends of the second, so zero means processed.
     */
    public Map<String, Long> behindByTopic(List<String> topics) throws InterruptedException, ExecutionException, TimeoutException {
        return behind(topics, this::committedOffsets, () -> endOffsets(admin, topics));
    }

    /** One lookup of offsets by partition (an admin call). */
    @FunctionalInterface
    interface OffsetLookup {
        Map<TopicPartition, Long> read() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /** The lag of {@code topics}: {@code committed} is read first, then {@code ends} (see {@link #behindByTopic}). */
    static Map<String, Long> behind(List<String> topics, OffsetLookup committed, OffsetLookup ends)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, Long> done = committed.read();
        Map<String, Long> behind = new TreeMap<>();
        topics.forEach(t -> behind.put(t, 0L));
        ends.read().forEach((tp, end) -> behind.merge(tp.topic(), Math.max(0, end - done.getOrDefault(tp, 0L)), Long::sum));
        return behind;
    }

    private Map<TopicPartition, Long> committedOffsets() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, c) -> {
                    if (c != null) {
                        offsets.put(tp, c.offset());
                    }
                });
        return offsets;
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
