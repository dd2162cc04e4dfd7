package org.retentionpulse.tools.generator;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;

/**
 * One generated event, ready for a sink.
 *
 * @param record     the event: a {@code Signup}, {@code Purchase}, {@code Cancellation} or {@code SurveyResponse};
 *                   for a {@code rawLine} it is the event the line was made from, and names its type and key
 * @param customerId the record's customer id (the Kafka key)
 * @param occurredAt the record's event time
 * @param fault      what is wrong with it on purpose
 * @param rawLine    when present, a sink must write exactly these characters instead of encoding {@code record}:
 *                   the record cannot express the fault (a three-decimal amount, a line that is not JSON)
 */
public record GeneratedEvent(
        SpecificRecord record,
        String customerId,
        Instant occurredAt,
        Fault fault,
        Optional<String> rawLine) {

    public GeneratedEvent {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(rawLine, "rawLine");
    }

    /** A record the sinks encode as it is. */
    static GeneratedEvent of(final SpecificRecord record, final String customerId, final Instant occurredAt,
                             final Fault fault) {
        return new GeneratedEvent(record, customerId, occurredAt, fault, Optional.empty());
    }

    /** The same event with another fault marker. */
    GeneratedEvent withFault(final Fault newFault) {
        return new GeneratedEvent(record, customerId, occurredAt, newFault, rawLine);
    }
}
