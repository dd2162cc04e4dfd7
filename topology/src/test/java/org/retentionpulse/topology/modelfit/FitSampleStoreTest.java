package org.retentionpulse.topology.modelfit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.FitSample;
import org.retentionpulse.topology.model.PurchaseDays;

/**
 * The fit sample kept as customers buy is the bottom-k sample of {@link FitSample} over the customers' latest
 * purchase days, read from memory; a sample rebuilt from its store (a restarted task) reads the same, and one rebuilt
 * with a lower size keeps the lowest hashes.
 */
class FitSampleStoreTest {
    private static final long DAY = 86_400_000L;
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(FitSampleStore.STORE), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();

    FitSampleStoreTest() {
        store.init(context.getStateStoreContext(), store);
    }

    /** 2,000 customers, each offered after each of its purchases; the latest purchase days of each, by id. */
    private static Map<String, PurchaseDays> offerPopulation(FitSampleStore sample) {
        Map<String, PurchaseDays> latest = new LinkedHashMap<>();
        for (int c = 0; c < 2_000; c++) {
            String id = "customer-" + c;
            String segment = c % 3 == 0 ? "plan=pro" : "plan=basic";
            PurchaseDays days = PurchaseDays.first((c % 50) * DAY, 1_000 + c);
            sample.offer(id, days, segment);
            for (int k = 1; k <= c % 4; k++) {
                days.add((c % 50 + 7 * k) * DAY, 500 + k, day -> false);
                sample.offer(id, days, segment);
            }
            latest.put(id, days);
        }
        return latest;
    }

    private static List<CustomerSummary> expectedSample(Map<String, PurchaseDays> latest, int max, long at) {
        Map<String, CustomerSummary> summaries = new LinkedHashMap<>();
        latest.forEach((id, days) -> summaries.put(id, days.summaryAsOf(at)));
        return FitSample.of(summaries, max);
    }

    @Test
    void theSampleIsTheBottomKOfTheCustomersLatestSummariesOverallAndPerSegment() {
        FitSampleStore sample = new FitSampleStore(store, 500);
        Map<String, PurchaseDays> latest = offerPopulation(sample);
        long at = 90 * DAY;

        FitSampleStore.Summaries read = sample.summariesAsOf(at);

        assertEquals(500, sample.size());
        assertEquals(500, store.approximateNumEntries());
        assertEquals(expectedSample(latest, 500, at), read.all(), "in hash order, each customer's latest summary");
        SortedMap<String, List<CustomerSummary>> bySegment = new TreeMap<>();
        List<String> sampled = new ArrayList<>(latest.keySet());
        sampled.sort(Comparator.comparingLong(FitSample::hash).thenComparing(id -> id));
        for (String id : sampled.subList(0, 500)) {
            int c = Integer.parseInt(id.substring("customer-".length()));
            bySegment.computeIfAbsent(c % 3 == 0 ? "plan=pro" : "plan=basic", s -> new ArrayList<>()).add(latest.get(id).summaryAsOf(at));
        }
        assertEquals(bySegment, read.bySegment());
    }

    @Test
    void aSampleRebuiltFromItsStoreReadsTheSameAndOneWithALowerSizeKeepsTheLowestHashes() {
        Map<String, PurchaseDays> latest = offerPopulation(new FitSampleStore(store, 500));
        long at = 90 * DAY;

        FitSampleStore restarted = new FitSampleStore(store, 500);
        assertEquals(expectedSample(latest, 500, at), restarted.summariesAsOf(at).all());

        FitSampleStore smaller = new FitSampleStore(store, 200);
        assertEquals(200, smaller.size());
        assertEquals(200, store.approximateNumEntries(), "the entries beyond the new size are deleted from the store");
        assertEquals(expectedSample(latest, 200, at), smaller.summariesAsOf(at).all());
        assertEquals(expectedSample(latest, 200, at), new FitSampleStore(store, 500).summariesAsOf(at).all());
    }
}
