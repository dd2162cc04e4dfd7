package org.retentionpulse.app.demo;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.RiskLevel;
import org.retentionpulse.app.observability.CurrentWindows;
import org.retentionpulse.topology.customer.Segment;
import org.retentionpulse.topology.metrics.Metric;

/**
 * What the demo shows: for segment {@code all}, the latest value of every metric per window spec, the last
 * closed (final) values, a small cohort triangle ({@link CohortTriangleView}) and the latest alerts. Redraws the screen on a terminal, prints one plain line per
 * refresh otherwise.
 */
public final class LiveView {
    private final List<String> windows;
    private final boolean terminal;
    private final PrintStream out;
    private final CurrentWindows current = new CurrentWindows();
    /** window -> metric -> window start -> latest update; windows before the current one are dropped. */
    private final Map<String, Map<String, TreeMap<Instant, MetricUpdate>>> open = new TreeMap<>();
    private final Map<String, MetricUpdate> lastFinal = new TreeMap<>();
    private final Deque<ChurnRiskAlert> alerts = new ArrayDeque<>();
    private final Map<RiskLevel, Long> alertsByLevel = new EnumMap<>(RiskLevel.class);
    private final CohortTriangleView triangle;
    private long updates;
    private long finals;

    /** @param cohortPeriod {@code cohorts.period}, the period of the cells {@link #accept(CohortCell)} receives */
    public LiveView(List<String> windows, String cohortPeriod, boolean terminal, PrintStream out) {
        this.windows = windows;
        this.triangle = new CohortTriangleView(cohortPeriod);
        this.terminal = terminal;
        this.out = out;
    }

    public void accept(MetricUpdate u) {
        updates++;
        current.observe(u);
        if (!Segment.ALL.equals(u.getSegment()) || u.getReason() != null) {
            return; // one line per metric of segment all; churn_reason_share has a record per reason and no line
        }
        open.computeIfAbsent(u.getWindow(), w -> new TreeMap<>()).computeIfAbsent(u.getMetric(), m -> new TreeMap<>())
                .put(u.getWindowStart(), u);
        if (u.getFinal$()) {
            finals++;
            MetricUpdate previous = lastFinal.get(u.getWindow() + u.getMetric());
            if (previous == null || !previous.getWindowStart().isAfter(u.getWindowStart())) {
                lastFinal.put(u.getWindow() + u.getMetric(), u);
            }
        }
    }

    /** The latest value of the current window ({@link CurrentWindows}: for P30D/P1D the 30 days ending today). */
    private MetricUpdate current(String window, String metric) {
        TreeMap<Instant, MetricUpdate> byStart = open.getOrDefault(window, Map.of()).get(metric);
        Instant start = current.currentStart(window);
        if (byStart == null || start == null) {
            return null;
        }
        byStart.headMap(start).clear();
        return byStart.get(start);
    }

    /** A cohort cell from {@code retention-cohorts} (update or final), for the triangle. */
    public void accept(CohortCell cell) {
        triangle.accept(cell);
    }

    public void accept(ChurnRiskAlert alert) {
        alertsByLevel.merge(alert.getLevel(), 1L, Long::sum);
        alerts.addFirst(alert);
        while (alerts.size() > 8) {
            alerts.removeLast();
        }
    }

    public void render(String header, Instant eventTime, long eventsIn, Map<String, Long> rejected, Duration uptime) {
        if (!terminal) {
            out.printf("[%s] event time %s | events in %,d | metrics at %s | rejected %s | updates %,d, finals %,d | %s | alerts %s%n",
                    fmt(uptime), eventTime == null ? "-" : eventTime, eventsIn, metricsDay(), rejected, updates, finals, headline(), alertsByLevel);
            if (!alerts.isEmpty()) {
                out.println("    latest alert: " + line(alerts.peekFirst()));
            }
            if (triangle.oldestRow() != null) {
                out.println("    " + triangle.oldestRow());
            }
            return;
        }
        StringBuilder s = new StringBuilder("\033[H\033[2J");
        s.append("Retention Pulse demo   ").append(header).append("   (Ctrl-C to stop)\n");
        s.append(String.format("uptime %s   event time %s   events in %,d   metrics at %s   rejected %s   metric updates %,d (%,d final)%n%n",
                fmt(uptime), eventTime == null ? "-" : eventTime.toString().replace('T', ' '), eventsIn, metricsDay(), rejected, updates, finals));
        s.append(String.format("%-22s", "segment all"));
        for (String w : windows) {
            s.append(String.format("%16s", w));
        }
        s.append(String.format("%22s%n", "last closed day"));
        for (Metric m : Metric.values()) {
            if (m == Metric.CHURN_REASON_SHARE) {
                continue;
            }
            s.append(String.format("%-22s", m.key()));
            for (String w : windows) {
                MetricUpdate u = current(w, m.key());
                s.append(String.format("%16s", u == null ? "…" : value(u.getValue())));
            }
            MetricUpdate f = lastFinal.get(windows.get(0) + m.key());
            s.append(String.format("%22s%n", f == null ? "…" : value(f.getValue()) + " (" + f.getWindowStart().toString().substring(5, 10) + ")"));
        }
        s.append('\n').append(triangle.render());
        s.append("\nLatest churn-risk alerts ").append(alertsByLevel.isEmpty() ? "" : alertsByLevel.toString()).append(":\n");
        if (alerts.isEmpty()) {
            s.append("  none yet\n");
        }
        for (ChurnRiskAlert a : alerts) {
            s.append("  ").append(line(a)).append('\n');
        }
        out.print(s);
        out.flush();
    }

    /** One alert on one line: when, level, who, score, and each reason's explanation. */
    private static String line(ChurnRiskAlert a) {
        return String.format("%s  %-7s %-10s %.2f  %s", a.getTriggeredAt().toString().substring(0, 16).replace('T', ' '),
                a.getLevel(), a.getCustomerId(), a.getScore(),
                String.join("; ", a.getReasons().stream().map(r -> r.getSignal() + ": " + r.getExplanation()).toList()));
    }

    private String headline() {
        StringBuilder s = new StringBuilder();
        for (String metric : List.of("active_customers", "churn_rate", "repeat_purchase_rate", "nps", "revenue")) {
            MetricUpdate u = current(windows.get(windows.size() - 1), metric);
            if (u != null) {
                s.append(metric).append('=').append(value(u.getValue())).append(' ');
            }
        }
        return windows.get(windows.size() - 1) + ": " + s.toString().trim();
    }

    /** The day the metrics have reached (behind the event time while the pipeline catches up with the backfill). */
    private String metricsDay() {
        Instant newest = current.newestStart();
        return newest == null ? "-" : newest.toString().substring(0, 10);
    }

    private static String value(BigDecimal v) {
        return v == null ? "null" : v.stripTrailingZeros().toPlainString();
    }

    private static String fmt(Duration d) {
        return String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }
}
