package org.retentionpulse.schemas.serde;

import java.util.Map;

/**
 * The configuration keys the serdes of this package read in {@code configure(configs, isKey)}, so they
 * can be set in the Kafka Streams, producer or consumer properties next to the serde class.
 * A key present in the configs overrides the value chosen by the serde's constructor.
 */
public final class WireFormatConfig {

    /** {@code avro} (default) or {@code json}: how serializers write. Deserializers detect the format. */
    public static final String WIRE_FORMAT_CONFIG = "retention.pulse.wire.format";

    /** The only currency a purchase may have (ISO-4217, default {@code EUR}). */
    public static final String REPORTING_CURRENCY_CONFIG = "retention.pulse.reporting.currency";

    /** The wire format when none is configured. */
    public static final WireFormat DEFAULT_WIRE_FORMAT = WireFormat.AVRO;

    /** The reporting currency when none is configured. */
    public static final String DEFAULT_REPORTING_CURRENCY = EventRules.DEFAULT_REPORTING_CURRENCY;

    private WireFormatConfig() {
    }

    /** The configured wire format, or {@code fallback} if the key is absent. */
    public static WireFormat wireFormat(Map<String, ?> configs, WireFormat fallback) {
        Object value = configs == null ? null : configs.get(WIRE_FORMAT_CONFIG);
        if (value == null) {
            return fallback;
        }
        return value instanceof WireFormat format ? format : WireFormat.parse(value.toString());
    }

    /** The configured reporting currency, or {@code fallback} if the key is absent. */
    public static String reportingCurrency(Map<String, ?> configs, String fallback) {
        Object value = configs == null ? null : configs.get(REPORTING_CURRENCY_CONFIG);
        if (value == null) {
            return fallback;
        }
        String currency = value.toString().trim();
        if (currency.isEmpty()) {
            throw new IllegalArgumentException(REPORTING_CURRENCY_CONFIG + " must not be empty");
        }
        return currency;
    }
}
