package org.retentionpulse.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    private static BenchOptions withLatency(double load, double rate) {
        return new BenchOptions(1000, 100, 3, load, rate, 15, 20, null, null, true, false, true, BenchOptions.Wiring.RUN, 42,
                Duration.ofHours(1));
    }

    @Test
    void theLatencyPhaseOffersItsFractionOfThePipelineRateByDefault() {
        assertEquals(4_000.0, withLatency(0.5, 0).offeredRate(8_000.0));
    }

    @Test
    void aFixedLatencyRateIsOfferedWhateverThePipelineRate() {
        BenchOptions options = withLatency(0.5, 3_000);

        assertEquals(3_000.0, options.offeredRate(8_000.0));
        assertEquals(3_000.0, options.offeredRate(20_000.0));
    }

    @Test
    void aNegativeLatencyRateIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withLatency(0.5, -1));

        assertEquals("latency rate must be 0 (from the load) or a positive number of events per second, was -1.0", e.getMessage());
    }
}
