package org.retentionpulse.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.retentionpulse.reference.CohortCell;
import org.retentionpulse.reference.CohortKey;
import org.retentionpulse.reference.ReferenceModel;
import org.retentionpulse.topology.cohort.CohortAggregator;
import org.retentionpulse.topology.cohort.CohortTriangle;

/**
 * The queryable {@value CohortTriangle#STORE} store on the shop example: it holds the latest published record of every
 * cell (the shop's expected cells once final), open cells while open, and forgets a cohort once its last cell has been
 * final for the history retention.
 */
class CohortTriangleTest {

    @Test
    void theTriangleStoreHoldsTheLatestPublishedCellOfEveryCellAndTheShopsExpectedFinals() throws IOException {
        SortedMap<CohortKey, CohortCell> expected =
                ReferenceModel.readExpectedCohorts(RetentionPulseTopologyTest.resource("shop.cohorts.expected.jsonl"));
        try (PipelineDriver pipeline = new PipelineDriver(ShopPipelineTest.shopConfig())) {
            pipeline.sendAll(Files.readAllLines(RetentionPulseTopologyTest.resource("shop.jsonl")));
            // Past the end plus grace of the last period of both cohorts (weeks of 01-01 and 01-08, K = 4), within P90D.
            pipeline.tick(Instant.parse("2024-03-01T00:00:00Z"));
            SortedMap<String, org.retentionpulse.schemas.CohortCell> latest = new TreeMap<>();
            pipeline.cohortCells().forEach(c -> latest.put(CohortAggregator.key(c), c));
            List<org.retentionpulse.schemas.CohortCell> stored = triangle(pipeline);

            assertEquals(new ArrayList<>(latest.values()).stream().map(CohortTriangleTest::byTriangleKey).sorted().toList(),
                    stored.stream().map(CohortTriangleTest::byTriangleKey).toList(), "one entry per published cell, the latest");
            for (org.retentionpulse.schemas.CohortCell c : stored) {
                assertEquals(latest.get(CohortAggregator.key(c)), c, "the stored record is the latest published");
                assertTrue(c.getFinal$(), "every period has closed: " + c);
            }
            int compared = 0;
            for (org.retentionpulse.schemas.CohortCell c : stored) {
                CohortCell want = expected.get(new CohortKey(c.getCohortPeriod(), c.getSegment(), c.getCohortStart(), c.getPeriod()));
                if (want != null) {
                    compared++;
                    assertTrue(want.sameAs(new CohortCell(c.getCustomers(), c.getRetained(), c.getActive(), c.getRevenue())),
                            c + " expected " + want);
                }
            }
            assertEquals(expected.size(), compared, "every expected cell is in the store");
        }
    }

    @Test
    void openCellsAreStoredAsOpenAndACohortLeavesOnceItsLastCellWasFinalForTheHistoryRetention() throws IOException {
        TopologyConfig config = ShopPipelineTest.shopConfig().withUpdateInterval(Duration.ofSeconds(1))
                .withHistoryRetention(Duration.ofDays(30));
        try (PipelineDriver pipeline = new PipelineDriver(config)) {
            pipeline.sendAll(Files.readAllLines(RetentionPulseTopologyTest.resource("shop.jsonl")));
            pipeline.advanceWallClock(Duration.ofSeconds(2));
            List<org.retentionpulse.schemas.CohortCell> open = triangle(pipeline).stream()
                    .filter(c -> !c.getFinal$()).toList();
            assertFalse(open.isEmpty(), "the week of the last event is open");
            assertTrue(open.stream().allMatch(c -> c.getCohortStart().plus(Duration.ofDays(7L * c.getPeriod()))
                    .equals(Instant.parse("2024-01-15T00:00:00Z"))), "open cells are those of the open week: " + open);

            // Cohort 01-08's last cell (k = 4: week 02-05) closes at 02-12 06:00; 30 days after that it leaves.
            pipeline.tick(Instant.parse("2024-03-13T00:00:00Z"));
            assertEquals(List.of("2024-01-08T00:00:00Z"), cohortStarts(pipeline), "cohort 01-01 left (its last week closed 02-05)");
            pipeline.tick(Instant.parse("2024-03-14T00:00:00Z"));
            assertEquals(List.of(), cohortStarts(pipeline));
        }
    }

    private static List<String> cohortStarts(PipelineDriver pipeline) {
        return triangle(pipeline).stream().map(c -> c.getCohortStart().toString()).distinct().toList();
    }

    private static String byTriangleKey(org.retentionpulse.schemas.CohortCell c) {
        return CohortTriangle.key(c.getSegment(), c.getCohortStart().toEpochMilli(), c.getPeriod());
    }

    private static List<org.retentionpulse.schemas.CohortCell> triangle(PipelineDriver pipeline) {
        KeyValueStore<String, org.retentionpulse.schemas.CohortCell> store = pipeline.keyValueStore(CohortTriangle.STORE);
        List<org.retentionpulse.schemas.CohortCell> out = new ArrayList<>();
        try (KeyValueIterator<String, org.retentionpulse.schemas.CohortCell> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, org.retentionpulse.schemas.CohortCell> kv = it.next();
                assertEquals(byTriangleKey(kv.value), kv.key, "key layout");
                out.add(kv.value);
            }
        }
        return out;
    }
}
