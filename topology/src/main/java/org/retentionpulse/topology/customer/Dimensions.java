package org.retentionpulse.topology.customer;

import java.util.Objects;

/**
 * The segment dimensions of a customer, from its latest effective signup. Missing or empty values are
 * {@value #UNKNOWN}; a customer without any signup has {@link #NONE}.
 */
public record Dimensions(String plan, String country, String channel) {
    public static final String UNKNOWN = "unknown";
    public static final Dimensions NONE = new Dimensions(UNKNOWN, UNKNOWN, UNKNOWN);

    public Dimensions {
        plan = normalize(plan);
        country = normalize(country);
        channel = normalize(channel);
    }

    private static String normalize(String value) {
        return value == null || value.isEmpty() ? UNKNOWN : value;
    }

    /** The value of one dimension by its name ({@code plan}, {@code country} or {@code channel}). */
    public String value(Dimension dimension) {
        return switch (dimension) {
            case PLAN -> plan;
            case COUNTRY -> country;
            case CHANNEL -> channel;
        };
    }

    public boolean sameAs(Dimensions other) {
        return Objects.equals(this, other);
    }
}
