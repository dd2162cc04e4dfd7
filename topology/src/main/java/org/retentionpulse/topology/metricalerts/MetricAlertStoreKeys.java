package org.retentionpulse.topology.metricalerts;

import org.retentionpulse.schemas.MetricUpdate;

/**
 * Keys of the metric alert stores (Strings, so one series is a sorted range).
 * <ul>
 *   <li>{@value MetricAlertProcessor#FINALS_STORE}: {@code metric|window|segment|E} -> the final {@link MetricUpdate}
 *       of the window of that series ending at {@code E}, the window end in epoch milliseconds with the sign bit
 *       flipped as a 20-digit zero-padded unsigned decimal. Kept for series a change rule watches, until a final of
 *       the series starting at or after {@code E} has been judged (a change rule compares a window with the one
 *       ending where it starts), so at most size / advance + 1 entries per series.</li>
 *   <li>{@value MetricAlertProcessor#FIRING_STORE}: {@code rule|metric|window|segment} -> the window start (epoch ms)
 *       of the alert that is firing; deleted when the rule's condition clears on a later final.</li>
 * </ul>
 */
final class MetricAlertStoreKeys {
    private MetricAlertStoreKeys() {
    }

    /** The series of an update, also the key of the alert records: {@code metric|window|segment}. */
    static String series(MetricUpdate update) {
        return update.getMetric() + '|' + update.getWindow() + '|' + update.getSegment();
    }

    static String finalKey(String series, long windowEndMs) {
        return series + '|' + sortable(windowEndMs);
    }

    static String firingKey(String rule, String series) {
        return rule + '|' + series;
    }

    private static String sortable(long epochMillis) {
        String digits = Long.toUnsignedString(epochMillis ^ Long.MIN_VALUE);
        return "0".repeat(20 - digits.length()) + digits;
    }
}
