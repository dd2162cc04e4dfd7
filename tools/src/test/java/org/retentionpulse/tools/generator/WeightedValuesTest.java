package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class WeightedValuesTest {

    @Test
    void parsesValuesWithOptionalWeightsInOrder() {
        final WeightedValues plans = WeightedValues.parse(" basic:6, pro:3 ,team");
        assertEquals(List.of("basic", "pro", "team"), plans.values());
        assertEquals(WeightedValues.parse(plans.toString()), plans);
    }

    @Test
    void picksValuesInProportionToTheirWeights() {
        final WeightedValues values = WeightedValues.parse("a:6,b:3,c:1");
        final SplittableRandom random = new SplittableRandom(1);
        final int[] counts = new int[3];
        for (int i = 0; i < 100_000; i++) {
            counts[values.pickIndex(random)]++;
        }
        assertEquals(0.6, counts[0] / 100_000.0, 0.01);
        assertEquals(0.3, counts[1] / 100_000.0, 0.01);
        assertEquals(0.1, counts[2] / 100_000.0, 0.01);
    }

    @Test
    void rejectsMeaninglessInput() {
        assertThrows(IllegalArgumentException.class, () -> WeightedValues.parse(""));
        assertThrows(IllegalArgumentException.class, () -> WeightedValues.parse("a:0"));
        assertThrows(IllegalArgumentException.class, () -> WeightedValues.parse("a:-1,b"));
        assertThrows(IllegalArgumentException.class, () -> WeightedValues.parse("a:x"));
        assertThrows(IllegalArgumentException.class, () -> WeightedValues.parse("a,a"));
    }

    @Test
    void configRejectsImpossibleSettings() {
        final GeneratorConfig.Builder builder = GeneratorConfig.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.customers(0).build());
        assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.builder().currency("euro").build());
        assertThrows(IllegalArgumentException.class, () -> GeneratorConfig.builder().speedup(0).build());
        assertThrows(IllegalArgumentException.class, () -> FaultRates.NONE.withDuplicateRate(1.5));
        assertThrows(IllegalArgumentException.class,
                () -> FaultRates.NONE.withOutOfOrder(0.6, FaultRates.DEFAULT_MAX_OUT_OF_ORDER_DELAY)
                        .withLate(0.6, FaultRates.DEFAULT_MIN_LATE_DELAY));
    }
}
