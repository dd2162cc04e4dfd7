package org.retentionpulse.app.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.model.ModelPolicy;
import org.retentionpulse.topology.modelfit.ModelFitting;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.CohortSpec;

class BuiltForTest {
    private static final TopologyConfig NONE = TopologyConfig.defaults();
    private static final TopologyConfig SHOP = NONE.withChurn(
            new ChurnPolicy(ChurnPolicy.Inactivity.after(Duration.ofDays(90)), ChurnPolicy.DEFAULT_REASONS_CAP));

    @Test
    void aChangedChurnInactivityIsAMismatchNamingTheSetting() {
        List<BuiltFor.Mismatch> mismatches = BuiltFor.of(NONE).mismatches(BuiltFor.of(SHOP));

        assertEquals(List.of(new BuiltFor.Mismatch(AppDefaults.CHURN_INACTIVITY, "none", "P90D")), mismatches);
        assertEquals("churn.inactivity was none and is now P90D", mismatches.get(0).toString());
    }

    @Test
    void aRecordFromBeforeChurnInactivityWasBuiltForNone() {
        TreeMap<String, String> old = new TreeMap<>(BuiltFor.of(NONE).settings());
        old.remove(AppDefaults.CHURN_INACTIVITY);
        BuiltFor before = new BuiltFor(old);

        assertEquals(List.of(), before.mismatches(BuiltFor.of(NONE)));
        assertEquals(List.of(new BuiltFor.Mismatch(AppDefaults.CHURN_INACTIVITY, "none", "P90D")),
                before.mismatches(BuiltFor.of(SHOP)));
    }

    @Test
    void theReasonsCapIsNotPartOfTheState() {
        TopologyConfig capped = SHOP.withChurn(new ChurnPolicy(SHOP.churn().inactivity(), 3));
        assertEquals(List.of(), BuiltFor.of(SHOP).mismatches(BuiltFor.of(capped)));
    }

    @Test
    void aChangedCohortPeriodOrNumberOfPeriodsIsAMismatch() {
        TopologyConfig monthly = NONE.withCohorts(new CohortSpec(CohortSpec.Period.P1M, 6));
        assertEquals(List.of(new BuiltFor.Mismatch(AppDefaults.COHORTS_PERIOD, "P1W", "P1M"),
                new BuiltFor.Mismatch(AppDefaults.COHORTS_PERIODS, "12", "6")), BuiltFor.of(NONE).mismatches(BuiltFor.of(monthly)));
    }

    @Test
    void perSegmentModelFitsAreAMismatchAndARecordFromBeforeThemWasBuiltWithout() {
        ModelFitting overall = new ModelFitting(ModelPolicy.defaults(), Duration.ofDays(1));
        TopologyConfig byPlan = NONE.withModelFitting(new ModelFitting(ModelPolicy.defaults(), Duration.ofDays(1),
                Optional.of(Dimension.PLAN), 300));
        assertEquals(List.of(new BuiltFor.Mismatch(AppDefaults.MODEL_FIT_SEGMENT_DIMENSION, "none", "plan"),
                new BuiltFor.Mismatch(AppDefaults.MODEL_FIT_SEGMENT_MIN_CUSTOMERS, "500", "300")),
                BuiltFor.of(NONE.withModelFitting(overall)).mismatches(BuiltFor.of(byPlan)));

        TreeMap<String, String> old = new TreeMap<>(BuiltFor.of(NONE).settings());
        old.remove(AppDefaults.MODEL_FIT_SEGMENT_DIMENSION);
        old.remove(AppDefaults.MODEL_FIT_SEGMENT_MIN_CUSTOMERS);
        assertEquals(List.of(), new BuiltFor(old).mismatches(BuiltFor.of(NONE)));
        assertEquals(List.of(new BuiltFor.Mismatch(AppDefaults.MODEL_FIT_SEGMENT_DIMENSION, "none", "plan")),
                new BuiltFor(old).mismatches(BuiltFor.of(byPlan)));
    }
}
