package org.retentionpulse.topology.customer;

import java.util.Locale;

/** A customer attribute that metrics can be segmented by. */
public enum Dimension {
    PLAN, COUNTRY, CHANNEL;

    /** Computed once: segment names are built from it for every change of every event. */
    private final String key = name().toLowerCase(Locale.ROOT);

    public String key() {
        return key;
    }

    public static Dimension parse(String name) {
        for (Dimension d : values()) {
            if (d.key().equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dimension '" + name + "'; known: plan, country, channel");
    }
}
