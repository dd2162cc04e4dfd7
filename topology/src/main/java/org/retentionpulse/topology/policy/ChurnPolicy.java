package org.retentionpulse.topology.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * When a customer stops being active (contract section 7) and how churn reasons are reported (section 8).
 *
 * <p>{@link Inactivity#NONE}: a customer is active from an effective signup until a cancellation (subscriptions).
 * {@link Inactivity#after(Duration) after(D)}: for shops, whose customers never cancel, a purchase or an effective
 * signup is activity, a purchase of a customer not active starts it, and an active customer lapses at its last
 * activity + D unless another activity comes strictly before.
 *
 * @param inactivity {@code churn.inactivity}: {@code none} or a positive duration
 * @param reasonsCap {@code churn.reasons.cap}: the reasons with the most churned customers per window and segment
 *                   that get their own {@code churn_reason_share} record; the rest are summed under {@code other}
 */
public record ChurnPolicy(Inactivity inactivity, int reasonsCap) {

    public static final int DEFAULT_REASONS_CAP = 20;

    public static final ChurnPolicy DEFAULT = new ChurnPolicy(Inactivity.NONE, DEFAULT_REASONS_CAP);

    public ChurnPolicy {
        Objects.requireNonNull(inactivity, "inactivity");
        if (reasonsCap < 1) {
            throw new IllegalArgumentException("the churn reasons cap must be at least 1, got " + reasonsCap);
        }
    }

    /** Whether customers lapse (section 7's D) rather than only cancel. */
    public boolean lapses() {
        return inactivity.lapses();
    }

    /** {@code none}, or how long after its last activity an active customer lapses. */
    public record Inactivity(Duration duration) {
        public static final Inactivity NONE = new Inactivity(null);
        static final String NONE_TEXT = "none";

        public Inactivity {
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("the inactivity duration must be positive, got " + duration);
            }
        }

        /** Whether customers lapse: a duration, not {@code none}. */
        public boolean lapses() {
            return duration != null;
        }

        public static Inactivity after(Duration duration) {
            return new Inactivity(Objects.requireNonNull(duration, "duration"));
        }

        /** {@code none} (any case) or an ISO-8601 duration such as {@code P90D}. */
        public static Inactivity parse(String text) {
            String trimmed = Objects.requireNonNull(text, "churn.inactivity").trim();
            if (trimmed.toLowerCase(Locale.ROOT).equals(NONE_TEXT)) {
                return NONE;
            }
            try {
                return after(Duration.parse(trimmed));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected none or an ISO-8601 duration such as P90D: " + text, e);
            }
        }

        /** The lapse instant of a customer whose last activity was at {@code lastActivityMs}; empty under none. */
        public OptionalLong lapseAt(long lastActivityMs) {
            return duration == null ? OptionalLong.empty() : OptionalLong.of(lastActivityMs + duration.toMillis());
        }

        @Override
        public String toString() {
            return duration == null ? NONE_TEXT : duration.toString();
        }
    }
}
