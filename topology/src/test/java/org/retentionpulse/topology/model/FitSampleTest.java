package org.retentionpulse.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The fit sample is bounded, deterministic, independent of arrival order, and stable as the population grows. */
class FitSampleTest {

    private static Map<String, String> population(int n) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            p.put("customer-" + i, "customer-" + i);
        }
        return p;
    }

    @Test
    void aSmallPopulationIsTakenWhole() {
        assertEquals(50, FitSample.of(population(50), 100).size());
    }

    @Test
    void aLargePopulationGivesTheSameBoundedSampleWhateverTheOrder() {
        Map<String, String> inserted = population(10_000);
        List<String> sample = FitSample.of(inserted, 1_000);
        assertEquals(1_000, sample.size());
        assertEquals(sample, FitSample.of(new TreeMap<>(inserted), 1_000));
        long threshold = sample.stream().mapToLong(FitSample::hash).max().orElseThrow();
        long below = inserted.keySet().stream().filter(id -> FitSample.hash(id) <= threshold).count();
        assertEquals(1_000, below, "the sample is exactly the customers whose hash is at most the threshold");
    }

    @Test
    void customersSampledFromALargerPopulationAreSampledFromAnySmallerOneHoldingThem() {
        List<String> large = FitSample.of(population(20_000), 500);
        List<String> small = FitSample.of(population(10_000), 500);
        var inSmall = new HashSet<>(small);
        large.stream().filter(id -> Integer.parseInt(id.substring("customer-".length())) < 10_000)
                .forEach(id -> assertTrue(inSmall.contains(id), id));
    }
}
