package org.retentionpulse.app.reliability;

import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;

/** The embedded broker as the reliability tests start it: open transactions of a killed instance abort within seconds. */
final class ReliabilityBroker {
    private ReliabilityBroker() {
    }

    static EmbeddedKafkaBroker.Builder builder() {
        // Default 10 s: how often the broker looks for transactions past their timeout (5 s in PipelineRun).
        return EmbeddedKafkaBroker.builder()
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    }
}
