package org.retentionpulse.app.pipeline;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices input records deleted before the application processed them: when an input partition's log start offset
 * is past the group's committed position (or past 0 without one), retention or a delete-records call removed
 * records nobody here read, and Kafka Streams silently moves on to the log start ({@code auto.offset.reset}). Each
 * such gap is logged as a warning and counted once per instance ({@link #deletedUnprocessed()}; Prometheus
 * {@code retention_pulse_deleted_before_processing_total}). Checked at start, before Kafka Streams moves the
 * position, and then every {@link #INTERVAL}.
 */
public final class DeletedHistoryWatch implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(DeletedHistoryWatch.class);

    private final Admin admin;
    private final String applicationId;
    private final List<String> inputs;
    /** Per partition, the offset up to which a deletion was already counted, so no gap is counted twice. */
    private final Map<TopicPartition, Long> countedUpTo = new ConcurrentHashMap<>();
    private final AtomicLong deleted = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention-pulse-deleted-history-watch");
        t.setDaemon(true);
        return t;
    });

    public DeletedHistoryWatch(Properties clientProperties, String applicationId, List<String> inputs) {
        this.admin = Admin.create(clientProperties);
        this.applicationId = applicationId;
        this.inputs = List.copyOf(inputs);
    }

    /** Checks now, then every {@link #INTERVAL} in the background. */
    public DeletedHistoryWatch start() {
        check();
        long every = INTERVAL.toMillis();
        scheduler.scheduleAtFixedRate(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Input records this instance found deleted before they were processed. */
    public long deletedUnprocessed() {
        return deleted.get();
    }

    /** One comparison of log start offsets with committed positions; returns the records newly found deleted. */
    public synchronized long check() {
        try {
            Map<TopicPartition, Long> starts = logStartOffsets();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long found = 0;
            for (Map.Entry<TopicPartition, Long> e : starts.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long position = Math.max(c == null ? 0 : c.offset(), countedUpTo.getOrDefault(e.getKey(), 0L));
                long gap = e.getValue() - position;
                if (gap > 0) {
                    log.warn("{} records of input partition {} (offsets {} to {}) were deleted before application {} processed them: "
                            + "retention is shorter than the processing delay, or the topic deletes by event-time timestamps "
                            + "(README: input topics)", gap, e.getKey(), position, e.getValue() - 1, applicationId);
                    countedUpTo.put(e.getKey(), e.getValue());
                    found += gap;
                }
            }
            deleted.addAndGet(found);
            return found;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot compare the input topics' log start offsets with the committed offsets of "
                    + applicationId + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<TopicPartition, Long> logStartOffsets() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest())));
        Map<TopicPartition, Long> starts = new HashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> starts.put(tp, info.offset()));
        return starts;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("Deleted-history check failed; retrying in {}: {}", INTERVAL, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
