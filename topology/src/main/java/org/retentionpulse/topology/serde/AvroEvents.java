package org.retentionpulse.topology.serde;

import java.math.BigDecimal;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.serde.EventRules;
import org.retentionpulse.topology.event.CustomerEvent;

/**
 * The one mapping between the wire records (Avro classes, validated by {@code EventRules}) and
 * {@link CustomerEvent}. Lossless both ways for valid events: amounts have at most two decimals, times
 * are milliseconds.
 */
public final class AvroEvents {
    private AvroEvents() {
    }

    /** The domain form of a validated event record. */
    public static CustomerEvent fromAvro(SpecificRecord record) {
        if (record instanceof Signup s) {
            return new CustomerEvent.Signup(s.getEventId(), s.getCustomerId(), s.getOccurredAt().toEpochMilli(),
                    s.getPlan(), s.getCountry(), s.getChannel());
        } else if (record instanceof Purchase p) {
            return new CustomerEvent.Purchase(p.getEventId(), p.getCustomerId(), p.getOccurredAt().toEpochMilli(),
                    p.getOrderId(), p.getAmount().movePointRight(EventRules.AMOUNT_SCALE).longValueExact(), p.getCurrency());
        } else if (record instanceof Cancellation c) {
            return new CustomerEvent.Cancellation(c.getEventId(), c.getCustomerId(), c.getOccurredAt().toEpochMilli(),
                    c.getReason());
        } else if (record instanceof SurveyResponse r) {
            return new CustomerEvent.SurveyAnswer(r.getEventId(), r.getCustomerId(), r.getOccurredAt().toEpochMilli(),
                    r.getSurvey(), r.getScore(), r.getComment());
        }
        throw new IllegalArgumentException("not a customer event: " + (record == null ? "null" : record.getSchema().getFullName()));
    }

    /** The wire record of an event, field for field what {@link #fromAvro} read. */
    public static SpecificRecord toAvro(CustomerEvent event) {
        return event.match(
                s -> new Signup(s.eventId(), s.customerId(), Instant.ofEpochMilli(s.at()), s.plan(), s.country(), s.channel()),
                p -> new Purchase(p.eventId(), p.customerId(), Instant.ofEpochMilli(p.at()), p.orderId(),
                        BigDecimal.valueOf(p.amountCents(), EventRules.AMOUNT_SCALE), p.currency()),
                c -> new Cancellation(c.eventId(), c.customerId(), Instant.ofEpochMilli(c.at()), c.reason()),
                r -> new SurveyResponse(r.eventId(), r.customerId(), Instant.ofEpochMilli(r.at()), r.survey(), r.score(),
                        r.comment()));
    }
}
