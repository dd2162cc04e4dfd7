package org.retentionpulse.app.pipeline;

import java.time.Duration;
import org.retentionpulse.topology.TopologyConfig;

/** A pipeline started by {@link PipelineStartup}: Kafka Streams, the HTTP server when served, the deleted-history watch. */
public final class StartedPipeline implements AutoCloseable {
    private final Pipeline pipeline;
    private final ServedPipeline served;
    private final TopologyConfig topology;
    private final DeletedHistoryWatch deletedHistory;
    private boolean closed;

    StartedPipeline(Pipeline pipeline, ServedPipeline served, TopologyConfig topology, DeletedHistoryWatch deletedHistory) {
        this.pipeline = pipeline;
        this.served = served;
        this.topology = topology;
        this.deletedHistory = deletedHistory;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** The HTTP side; only for a {@link PipelineStartup.Request#served() served} start. */
    public ServedPipeline served() {
        if (served == null) {
            throw new IllegalStateException("this pipeline was started without HTTP");
        }
        return served;
    }

    /** The topology it runs, with the actual input partition count. */
    public TopologyConfig topology() {
        return topology;
    }

    public DeletedHistoryWatch deletedHistory() {
        return deletedHistory;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Stops everything; a second call does nothing. */
    public synchronized void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        deletedHistory.close();
        if (served != null) {
            served.close(timeout);
        } else {
            pipeline.close(timeout);
        }
    }
}
