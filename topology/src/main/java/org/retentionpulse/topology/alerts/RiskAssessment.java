package org.retentionpulse.topology.alerts;

import java.util.List;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.schemas.RiskReason;

/**
 * A customer's churn risk as of one instant: the score in [0, 1], its level, the signals behind it (their reasons,
 * with evidence, built on demand: {@link RiskFinding}), and when the assessment can next change without an event from
 * the customer.
 *
 * @param asOf the instant assessed (event time)
 * @param nextCheckAt the next instant at which time alone can change the assessment, or {@link Long#MAX_VALUE}
 */
public record RiskAssessment(long asOf, double score, RiskLevel level, List<RiskFinding> findings, long nextCheckAt) {

    public RiskAssessment {
        findings = List.copyOf(findings);
    }

    /** No risk: not tracked (not active) or no signal. */
    public static RiskAssessment none(long asOf, long nextCheckAt) {
        return new RiskAssessment(asOf, 0, RiskLevel.LOW, List.of(), nextCheckAt);
    }

    /** The reasons an alert shows, built now (each call builds them again). */
    public List<RiskReason> reasons() {
        return findings.stream().map(RiskFinding::reason).toList();
    }
}
