package org.retentionpulse.reference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The churn reasons of section 8: how a cancellation's free-text reason is normalised, and how the reasons of one
 * window and segment are capped (the {@code cap} largest, ties by name, the rest summed under {@code other}).
 */
final class ChurnReasons {

    /** The reason of a lapse (section 7). */
    static final String INACTIVITY = "inactivity";
    /** The reason of a cancellation without one, or with a blank one. */
    static final String UNSPECIFIED = "unspecified";
    /** Where the reasons beyond the cap are summed. */
    static final String OTHER = "other";
    static final int MAX_LENGTH = 64;
    static final int DEFAULT_CAP = 20;

    private ChurnReasons() {
    }

    /** Trimmed, lower-case, at most 64 characters (code points); missing or blank: {@code unspecified}. */
    static String normalize(String raw) {
        if (raw == null || raw.strip().isEmpty()) {
            return UNSPECIFIED;
        }
        String reason = raw.strip().toLowerCase(Locale.ROOT);
        if (reason.codePointCount(0, reason.length()) > MAX_LENGTH) {
            reason = reason.substring(0, reason.offsetByCodePoints(0, MAX_LENGTH));
        }
        return reason;
    }

    /**
     * The {@code cap} reasons with the most churned customers (ties by name), then {@code other} with the sum of
     * the rest if there is any rest; in that order.
     */
    static Map<String, Long> capped(Map<String, Long> churnedByReason, int cap) {
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(churnedByReason.entrySet());
        ranked.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> kept = new LinkedHashMap<>();
        long rest = 0;
        for (int i = 0; i < ranked.size(); i++) {
            if (i < cap) {
                kept.put(ranked.get(i).getKey(), ranked.get(i).getValue());
            } else {
                rest += ranked.get(i).getValue();
            }
        }
        if (rest > 0) {
            kept.merge(OTHER, rest, Long::sum);
        }
        return kept;
    }
}
