package org.retentionpulse.topology.customer;

import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.topology.event.CustomerEvent;
import org.retentionpulse.topology.policy.ChurnReasons;

/**
 * One accepted event in a customer's timeline, reduced to what the metrics need. Immutable.
 *
 * @param time event time (epoch ms)
 * @param kind the event type
 * @param signupDimensions the dimensions a signup carries (null for other kinds)
 * @param amountCents purchase amount in minor units (0 for other kinds)
 * @param survey survey type (null for other kinds)
 * @param score survey score (0 for other kinds)
 * @param reason a cancellation's churn reason, normalised ({@link ChurnReasons#normalize}; null for other kinds)
 */
public record TimelineEntry(long time, Kind kind, Dimensions signupDimensions, long amountCents,
                            SurveyType survey, int score, String reason) {

    /** Event types, with stable codes for the store format. */
    public enum Kind { SIGNUP, CANCELLATION, PURCHASE, SURVEY }

    /** What the metrics need of an accepted event. */
    public static TimelineEntry of(CustomerEvent event) {
        return event.match(
                s -> signup(s.at(), new Dimensions(s.plan(), s.country(), s.channel())),
                p -> purchase(p.at(), p.amountCents()),
                c -> cancellation(c.at(), ChurnReasons.normalize(c.reason())),
                r -> survey(r.at(), r.survey(), r.score()));
    }

    public static TimelineEntry signup(long time, Dimensions dimensions) {
        return new TimelineEntry(time, Kind.SIGNUP, dimensions, 0, null, 0, null);
    }

    public static TimelineEntry cancellation(long time, String reason) {
        return new TimelineEntry(time, Kind.CANCELLATION, null, 0, null, 0, reason);
    }

    public static TimelineEntry purchase(long time, long amountCents) {
        return new TimelineEntry(time, Kind.PURCHASE, null, amountCents, null, 0, null);
    }

    public static TimelineEntry survey(long time, SurveyType survey, int score) {
        return new TimelineEntry(time, Kind.SURVEY, null, 0, survey, score, null);
    }
}
