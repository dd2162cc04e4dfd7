package org.retentionpulse.topology.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The churn reasons of contract section 8, decided here once: how a cancellation's free-text reason is normalised,
 * the reason of a lapse, and how the reasons of one window and segment are capped for {@code churn_reason_share}.
 */
public final class ChurnReasons {
    /** The reason of a lapse (section 7). */
    public static final String INACTIVITY = "inactivity";
    /** The reason of a cancellation without one, or with a blank one. */
    public static final String UNSPECIFIED = "unspecified";
    /** Where the reasons beyond the cap are summed. */
    public static final String OTHER = "other";
    /** Longest reason kept, in code points. */
    public static final int MAX_LENGTH = 64;

    private ChurnReasons() {
    }

    /** Trimmed, lower-case, at most {@value #MAX_LENGTH} code points; missing or blank: {@value #UNSPECIFIED}. */
    public static String normalize(String raw) {
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
     * The {@code cap} reasons with the most churned customers (ties by name), then {@value #OTHER} with the sum of the
     * rest if there is a rest (merged with a reason literally named {@code other}); reasons with no churned customer
     * are left out.
     */
    public static Map<String, Long> capped(Map<String, Long> churnedByReason, int cap) {
        List<Map.Entry<String, Long>> ranked = new ArrayList<>();
        for (Map.Entry<String, Long> e : churnedByReason.entrySet()) {
            if (e.getValue() > 0) {
                ranked.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        ranked.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
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
