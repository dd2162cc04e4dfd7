package org.retentionpulse.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.CohortCell;

/** The demo's live view with cohort cells: the small triangle on a terminal, one line of it otherwise. */
class LiveViewTest {
    private static final Instant MONDAY = Instant.parse("2026-10-05T00:00:00Z");

    @Test
    void theTerminalViewShowsTheLatestSixCohortsRetentionForSixPeriodsWithOpenCellsMarked() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveView view = new LiveView(List.of("P1D/P1D", "P30D/P1D"), "P1W", true, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        // Cohorts of 8 consecutive weeks, each with its cells up to week 7 (the open one), K = 12.
        for (int cohort = 0; cohort < 8; cohort++) {
            for (int k = 0; cohort + k <= 7; k++) {
                view.accept(cell(cohort, k, 200 + cohort, 100 - 10 * k - cohort, cohort + k == 7));
            }
        }
        view.accept(cell(7, 0, 207, 207, true)); // an update of the open cell replaces the earlier record
        view.accept(cell(2, 3, 202, 55, true, "plan=pro")); // not segment all: not shown
        view.render("test", MONDAY, 1, Map.of(), Duration.ofSeconds(5));
        String screen = bytes.toString(StandardCharsets.UTF_8);

        List<String> lines = screen.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("cohort ")).findFirst().orElseThrow());
        assertTrue(lines.get(header - 1).startsWith("Cohort retention P1W, segment all"), lines.get(header - 1));
        assertEquals("cohort       size     k=0     k=1     k=2     k=3     k=4     k=5", lines.get(header).stripTrailing());
        List<String> rows = lines.subList(header + 1, header + 7);
        // Newest first: weeks 7..2 (weeks 0 and 1 are older than the six shown); week 7 has only its open k = 0,
        // updated to 207 of 207; week 6: 94 and 84 of 206.
        assertEquals("2026-11-23    207  100.0*", rows.get(0).stripTrailing());
        assertEquals("2026-11-16    206   45.6    40.8*", rows.get(1).stripTrailing());
        // Week 2: 98, 88, .. 48 of 202 in k = 0..5; k = 5 is week 7, open.
        assertEquals("2026-10-19    202   48.5    43.6    38.6    33.7    28.7    23.8*", rows.get(5).stripTrailing());
        assertFalse(screen.contains("2026-10-12"), "week 1 is beyond the six latest cohorts");
        assertFalse(screen.contains("27.2"), "the plan=pro cell is not in the triangle of all");
        for (String line : lines.subList(header - 1, header + 7)) {
            assertTrue(line.length() <= 100, "the triangle fits 100 columns: " + line);
        }
    }

    @Test
    void thePlainViewPrintsTheOldestCohortShownOnOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveView view = new LiveView(List.of("P1D/P1D"), "P1W", false, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        view.accept(cell(0, 0, 4, 4, false));
        view.accept(cell(0, 1, 4, 1, true));
        view.render("test", MONDAY, 1, Map.of(), Duration.ofSeconds(5));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("    cohort 2026-10-05 retention % k0=100.0 k1=25.0*\n"),
                bytes.toString(StandardCharsets.UTF_8));
    }

    private static CohortCell cell(int cohortWeek, int k, long customers, long retained, boolean open) {
        return cell(cohortWeek, k, customers, retained, open, "all");
    }

    private static CohortCell cell(int cohortWeek, int k, long customers, long retained, boolean open, String segment) {
        BigDecimal retention = BigDecimal.valueOf(100 * retained).divide(BigDecimal.valueOf(customers), 4, RoundingMode.HALF_EVEN);
        return CohortCell.newBuilder().setCohortPeriod("P1W").setCohortStart(MONDAY.plus(Duration.ofDays(7L * cohortWeek)))
                .setPeriod(k).setSegment(segment).setCustomers(customers).setRetained(retained).setActive(customers)
                .setRevenue(BigDecimal.ZERO.setScale(2)).setRetention(retention).setActiveShare(BigDecimal.valueOf(100).setScale(4))
                .setRevenuePerCustomer(BigDecimal.ZERO.setScale(4)).setFinal$(!open).setComputedAt(MONDAY).build();
    }
}
