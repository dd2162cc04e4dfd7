package org.retentionpulse.app.evaluate;

import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.Cancellation;
import org.retentionpulse.schemas.Purchase;
import org.retentionpulse.schemas.Signup;
import org.retentionpulse.schemas.SurveyResponse;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.model.CustomerSummary;

/**
 * One customer as the customer stage knows it at the calibration end: its churn-risk profile after every
 * earlier event (applied with the same {@link CustomerProfile} methods, in event-time order, as
 * {@code ChurnRiskProcessor} applies them), its model summary, and what happened in the holdout.
 *
 * @param summary the model's summary of the purchases before the calibration end, or null without any
 * @param churned no purchase in the holdout period
 */
record CustomerAtCalibrationEnd(String customerId, CustomerProfile profile, CustomerSummary summary, boolean churned) {

    static CustomerAtCalibrationEnd of(String customerId, List<SpecificRecord> events, long calibrationEnd,
            long holdoutEnd) {
        CustomerProfile profile = new CustomerProfile();
        int purchases = 0;
        long[] times = new long[events.size()];
        long[] cents = new long[events.size()];
        boolean boughtInHoldout = false;
        for (SpecificRecord event : events) {
            long at = EventType.occurredAtMillis(event);
            if (at >= calibrationEnd) {
                boughtInHoldout |= event instanceof Purchase && at < holdoutEnd;
                continue;
            }
            if (event instanceof Signup s) {
                profile.signup(at, s.getPlan(), s.getCountry(), s.getChannel());
            } else if (event instanceof Purchase p) {
                long amount = p.getAmount().movePointRight(2).longValueExact();
                profile.purchase(at, amount);
                times[purchases] = at;
                cents[purchases++] = amount;
            } else if (event instanceof SurveyResponse r) {
                profile.survey(r.getSurvey(), r.getScore(), at);
            } else if (event instanceof Cancellation) {
                profile.cancellation(at);
            }
        }
        CustomerSummary summary = purchases == 0 ? null : CustomerSummary.fromPurchases(
                Arrays.copyOf(times, purchases), Arrays.copyOf(cents, purchases), calibrationEnd);
        return new CustomerAtCalibrationEnd(customerId, profile, summary, !boughtInHoldout);
    }

    /** Scored and counted: active at the calibration end, with at least one purchase before it. */
    boolean evaluated() {
        return profile.active() && summary != null;
    }

    /** Days from the latest purchase to the calibration end. */
    double daysSinceLastPurchase(long calibrationEnd) {
        return (calibrationEnd - profile.lastPurchaseAt()) / 86_400_000d;
    }
}
