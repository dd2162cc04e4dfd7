package org.retentionpulse.topology.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ChurnPolicyTest {

    @Test
    void noneKeepsCancellationsAsTheOnlyChurn() {
        assertEquals(ChurnPolicy.Inactivity.NONE, ChurnPolicy.Inactivity.parse("none"));
        assertEquals(ChurnPolicy.Inactivity.NONE, ChurnPolicy.Inactivity.parse(" NONE "));
        assertFalse(ChurnPolicy.DEFAULT.lapses());
        assertEquals(OptionalLong.empty(), ChurnPolicy.Inactivity.NONE.lapseAt(1_000));
        assertEquals(20, ChurnPolicy.DEFAULT.reasonsCap());
        assertEquals("none", ChurnPolicy.Inactivity.NONE.toString());
    }

    @Test
    void aDurationLapsesCustomersThatLongAfterTheirLastActivity() {
        ChurnPolicy.Inactivity p10d = ChurnPolicy.Inactivity.parse("P10D");
        assertEquals(Duration.ofDays(10), p10d.duration());
        assertEquals(OptionalLong.of(1_000 + 864_000_000L), p10d.lapseAt(1_000));
        assertTrue(new ChurnPolicy(p10d, 5).lapses());
        assertEquals(Duration.ofMinutes(90), ChurnPolicy.Inactivity.parse("PT1H30M").duration());
    }

    @Test
    void refusesNonPositiveOrMalformedDurationsAndACapBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> ChurnPolicy.Inactivity.parse("P0D"));
        assertThrows(IllegalArgumentException.class, () -> ChurnPolicy.Inactivity.parse("-P1D"));
        assertThrows(IllegalArgumentException.class, () -> ChurnPolicy.Inactivity.parse("90 days"));
        assertThrows(IllegalArgumentException.class, () -> ChurnPolicy.Inactivity.parse(""));
        assertThrows(IllegalArgumentException.class, () -> new ChurnPolicy(ChurnPolicy.Inactivity.NONE, 0));
    }
}
