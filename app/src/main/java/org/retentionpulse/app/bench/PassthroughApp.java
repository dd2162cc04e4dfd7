package org.retentionpulse.app.bench;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The first yardstick: an exactly-once Kafka Streams app that reads every input record and writes it, bytes
 * unchanged, to one topic. What Kafka Streams itself costs per record on this machine (consume, produce,
 * transactions, commits), with no state and no decoding.
 */
final class PassthroughApp {
    private PassthroughApp() {
    }

    static Topology topology(List<String> inputs, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputs, Consumed.with(Serdes.Bytes(), Serdes.ByteArray()))
                .to(output, Produced.with(Serdes.Bytes(), Serdes.ByteArray()));
        return builder.build();
    }
}
