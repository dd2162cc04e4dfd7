package org.retentionpulse.schemas.serde;

import java.util.Locale;

/** How a serializer writes records on Kafka. Deserializers accept both, detecting the format per record. */
public enum WireFormat {
    /** Avro single-object encoding: marker, writer-schema fingerprint, binary body (the default). */
    AVRO,
    /** The canonical JSON form, UTF-8. */
    JSON;

    /**
     * The format named {@code name}, case-insensitively ({@code avro}, {@code json}).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static WireFormat parse(String name) {
        String normalized = name.trim().toUpperCase(Locale.ROOT);
        for (WireFormat format : values()) {
            if (format.name().equals(normalized)) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown wire format \"" + name + "\"; expected avro or json");
    }
}
