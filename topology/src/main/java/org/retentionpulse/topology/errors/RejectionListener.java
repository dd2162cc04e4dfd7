package org.retentionpulse.topology.errors;

/** Told about every rejected input record, e.g. to count rejections per reason for Prometheus. */
@FunctionalInterface
public interface RejectionListener {
    RejectionListener NONE = (reason, topic) -> { };

    void rejected(String reason, String sourceTopic);
}
