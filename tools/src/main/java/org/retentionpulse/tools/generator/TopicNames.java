package org.retentionpulse.tools.generator;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import org.retentionpulse.schemas.serde.EventType;

/**
 * The Kafka topic of each event type; all four may be the same topic.
 *
 * @param signups       topic of {@code Signup} events
 * @param purchases     topic of {@code Purchase} events
 * @param cancellations topic of {@code Cancellation} events
 * @param surveys       topic of {@code SurveyResponse} events
 */
public record TopicNames(String signups, String purchases, String cancellations, String surveys) {

    /** {@code customer-signups}, {@code customer-purchases}, {@code customer-cancellations}, {@code customer-surveys}. */
    public static final TopicNames DEFAULTS =
            new TopicNames("customer-signups", "customer-purchases", "customer-cancellations", "customer-surveys");

    public TopicNames {
        requireName(signups, "signups");
        requireName(purchases, "purchases");
        requireName(cancellations, "cancellations");
        requireName(surveys, "surveys");
    }

    private static void requireName(final String topic, final String what) {
        if (Objects.requireNonNull(topic, what).isBlank()) {
            throw new IllegalArgumentException("topic name for " + what + " must not be blank");
        }
    }

    /** Every event type on one topic. */
    public static TopicNames single(final String topic) {
        return new TopicNames(topic, topic, topic, topic);
    }

    /** The topic of events of {@code type}. */
    public String topicFor(final EventType type) {
        return switch (type) {
            case SIGNUP -> signups;
            case PURCHASE -> purchases;
            case CANCELLATION -> cancellations;
            case SURVEY -> surveys;
        };
    }

    /** The distinct topic names, e.g. to create them. */
    public Set<String> distinct() {
        final Set<String> topics = new LinkedHashSet<>();
        topics.add(signups);
        topics.add(purchases);
        topics.add(cancellations);
        topics.add(surveys);
        return Collections.unmodifiableSet(topics);
    }
}
