package org.retentionpulse.reference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A deliberately plain model of the metric contract ({@code docs/METRICS.md}), written from the spec and sharing
 * no code with the topology or its serdes, so that the pipeline's final values can be checked against it.
 *
 * <p>Feed JSON lines in arrival order with {@link #accept(String)}, then read {@link #finals()}. Semantics:
 * <ul>
 *   <li>Invalid records are rejected and counted per {@link RejectionReason}; an event id accepted before is a
 *       duplicate and dropped. Stream time is the largest {@code occurred_at} of accepted events.</li>
 *   <li>A window {@code [start, end)} is closed once stream time is strictly after {@code end + grace}. An accepted
 *       event counts in each of its windows still open at its arrival; if none is open it is late, yet it still
 *       belongs to the customer's history for every window that closes later.</li>
 *   <li>A window's final value is computed from everything that arrived before it closed, with customer lifecycles
 *       replayed in event time (ties in arrival order), so a record arriving after the window closed never changes
 *       it.</li>
 *   <li>A window gets final records only if at least one event was counted in it; then each segment that had an
 *       event of the window, or customers active at the window start, gets all twelve metrics.</li>
 * </ul>
 *
 * <p>With {@link ReferenceRules} beyond {@link ReferenceRules#SECTION_FOUR}, sections 7-9 too:
 * <ul>
 *   <li>{@code churn.inactivity = D}: purchases start customers, lapses end them ({@link Lifecycle}); every window
 *       stream time has reached gets final records (customers lapse in windows without events).</li>
 *   <li>Section 8's metrics for every published window and segment, {@code churn_reason_share} keyed by reason;
 *       segments with only a win-back pool are published too.</li>
 *   <li>Cohort cells (section 9) for every period stream time has reached, each frozen like a window when stream
 *       time passes the period's end plus grace.</li>
 * </ul>
 */
public final class ReferenceModel {

    /** The contract's default dimensions. */
    public static final List<String> DEFAULT_DIMENSIONS = List.of("plan", "country", "channel");
    /** The contract's default grace. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(6);
    /** The contract's default reporting currency. */
    public static final String DEFAULT_CURRENCY = "EUR";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final List<WindowSpecRef> windows;
    private final ReferenceRules rules;
    private final Duration grace;
    private final List<String> dimensions;
    private final EventDecoder decoder;

    private final List<Event> accepted = new ArrayList<>();
    private final Set<String> acceptedIds = new HashSet<>();
    private final Set<Window> openWindows = new LinkedHashSet<>();
    private final SortedMap<WindowSegment, SegmentCounts> closedCounts = new TreeMap<>();
    /** Starts of the cohort periods (section 9) reached by stream time and not yet closed. */
    private final Set<Instant> openCohortPeriods = new LinkedHashSet<>();
    private final Set<Instant> closedPeriods = new HashSet<>();
    private final SortedMap<CohortKey, CohortCell> closedCells = new TreeMap<>();
    private final Map<String, Long> rejected = new TreeMap<>();
    private long arrivals;
    private long duplicates;
    private long lateEvents;
    private Instant streamTime;
    /** The earliest event time accepted: windows and cohort periods are reached from there on. */
    private Instant earliest;

    /**
     * @param dimensions segment dimensions; null means {@link #DEFAULT_DIMENSIONS}
     */
    public ReferenceModel(List<WindowSpecRef> windows, Duration grace, String reportingCurrency,
                          List<String> dimensions) {
        this(windows, grace, reportingCurrency, dimensions, ReferenceRules.SECTION_FOUR);
    }

    /**
     * @param dimensions segment dimensions; null means {@link #DEFAULT_DIMENSIONS}
     * @param rules      which of sections 7-9 apply
     */
    public ReferenceModel(List<WindowSpecRef> windows, Duration grace, String reportingCurrency,
                          List<String> dimensions, ReferenceRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one window spec is required");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        this.windows = List.copyOf(windows);
        this.grace = grace;
        this.dimensions = List.copyOf(dimensions == null ? DEFAULT_DIMENSIONS : dimensions);
        this.decoder = new EventDecoder(Objects.requireNonNull(reportingCurrency, "reportingCurrency"), this.dimensions);
    }

    /** The contract's defaults: grace PT6H, currency EUR, dimensions plan, country, channel. */
    public ReferenceModel(List<WindowSpecRef> windows) {
        this(windows, DEFAULT_GRACE, DEFAULT_CURRENCY, DEFAULT_DIMENSIONS);
    }

    /** Processes the next input record; call order is arrival order. */
    public void accept(String jsonLine) {
        EventDecoder.Decoded decoded = decoder.decode(jsonLine, arrivals++);
        if (decoded.rejection() != null) {
            rejected.merge(decoded.rejection().name(), 1L, Long::sum);
            return;
        }
        Event event = decoded.event();
        if (!acceptedIds.add(event.eventId())) {
            duplicates++;
            return;
        }
        Instant t = event.occurredAt();
        Instant advanced = streamTime == null || t.isAfter(streamTime) ? t : streamTime;
        reach(t, advanced);
        closeWindowsPassedBy(advanced);
        streamTime = advanced;
        accepted.add(event);
        boolean counted = false;
        for (WindowSpecRef spec : windows) {
            for (Instant start : spec.startsContaining(t)) {
                Window window = new Window(spec, start);
                if (!window.isClosedAt(streamTime, grace)) {
                    openWindows.add(window);
                    counted = true;
                }
            }
        }
        if (!counted) {
            lateEvents++;
        }
    }

    /**
     * Opens what the arrival of an event at {@code t} opens beyond the windows containing it, when stream time
     * becomes {@code advanced}: under {@code churn.inactivity} every window from the earliest event on that starts by
     * stream time, and every cohort period likewise; those already closed stay closed. Whatever the arrival order,
     * the same windows are reached, so a reordering within grace changes nothing.
     */
    private void reach(Instant t, Instant advanced) {
        Instant from = earliest == null || t.isBefore(earliest) ? t : null;
        Instant previous = streamTime;
        earliest = earliest == null || t.isBefore(earliest) ? t : earliest;
        if (rules.lapses()) {
            for (WindowSpecRef spec : windows) {
                if (from != null) {
                    // windows from the one containing the new earliest event up to those already reached
                    openStartingBetween(spec, spec.startsContaining(from).get(0), previous == null ? from : previous,
                            advanced);
                }
                if (previous != null) {
                    openStartingAfter(spec, previous, advanced);
                }
            }
        }
        CohortPeriodRef period = rules.cohortPeriod();
        if (period == null) {
            return;
        }
        Instant first = period.startContaining(from != null ? from : previous);
        for (Instant start = first; !start.isAfter(advanced); start = period.end(start)) {
            if (!period.end(start).plus(grace).isBefore(advanced) && !closedPeriods.contains(start)) {
                openCohortPeriods.add(start);
            }
        }
    }

    /** Opens the windows of {@code spec} starting in {@code [from, to]} that stream time {@code advanced} has not closed. */
    private void openStartingBetween(WindowSpecRef spec, Instant from, Instant to, Instant advanced) {
        long advanceMs = spec.advance().toMillis();
        for (long start = from.toEpochMilli(); start <= to.toEpochMilli(); start += advanceMs) {
            Window window = new Window(spec, Instant.ofEpochMilli(start));
            if (!window.isClosedAt(advanced, grace)) {
                openWindows.add(window);
            }
        }
    }

    /** Opens the windows of {@code spec} starting in {@code (previous, advanced]}; none of them can be closed. */
    private void openStartingAfter(WindowSpecRef spec, Instant previous, Instant advanced) {
        long advanceMs = spec.advance().toMillis();
        long first = Math.floorDiv(previous.toEpochMilli(), advanceMs) + 1;
        for (long k = first; k * advanceMs <= advanced.toEpochMilli(); k++) {
            openWindows.add(new Window(spec, Instant.ofEpochMilli(k * advanceMs)));
        }
    }

    /** Freezes every open window and cohort period that stream time {@code advanced} closes, from what arrived so far. */
    private void closeWindowsPassedBy(Instant advanced) {
        List<Window> closing = openWindows.stream().filter(w -> w.isClosedAt(advanced, grace)).toList();
        List<Instant> closingPeriods = openCohortPeriods.stream()
                .filter(p -> rules.cohortPeriod().end(p).plus(grace).isBefore(advanced)).toList();
        if (closing.isEmpty() && closingPeriods.isEmpty()) {
            return;
        }
        Lifecycle lifecycle = replay();
        for (Window window : closing) {
            closedCounts.putAll(WindowTally.count(window, lifecycle, accepted, dimensions, rules));
            openWindows.remove(window);
        }
        for (Instant period : closingPeriods) {
            closedCells.putAll(cells(period, lifecycle));
            openCohortPeriods.remove(period);
            closedPeriods.add(period);
        }
    }

    private Lifecycle replay() {
        return Lifecycle.replay(accepted, dimensions, rules.inactivity());
    }

    private SortedMap<CohortKey, CohortCell> cells(Instant period, Lifecycle lifecycle) {
        return CohortTally.count(rules.cohortPeriod(), rules.cohortPeriods(), period, lifecycle, accepted, dimensions);
    }

    /** The counts behind every final value, as if the input ended now (every window closed). */
    public SortedMap<WindowSegment, SegmentCounts> finalCounts() {
        SortedMap<WindowSegment, SegmentCounts> counts = new TreeMap<>(closedCounts);
        if (!openWindows.isEmpty()) {
            Lifecycle lifecycle = replay();
            for (Window window : openWindows) {
                counts.putAll(WindowTally.count(window, lifecycle, accepted, dimensions, rules));
            }
        }
        return counts;
    }

    /**
     * Every final cohort cell (section 9) as if the input ended now: the cells of every period stream time has
     * reached, with at least one member. Empty without a cohort period in the rules.
     */
    public SortedMap<CohortKey, CohortCell> cohortCells() {
        SortedMap<CohortKey, CohortCell> cells = new TreeMap<>(closedCells);
        if (!openCohortPeriods.isEmpty()) {
            Lifecycle lifecycle = replay();
            for (Instant period : openCohortPeriods) {
                cells.putAll(cells(period, lifecycle));
            }
        }
        return cells;
    }

    /**
     * Every final value as if the input ended now (every window closed); null values where the contract says null.
     * Compare values with {@link BigDecimal#compareTo}, e.g. via {@link FinalValueComparison}.
     */
    public SortedMap<MetricKey, BigDecimal> finals() {
        SortedMap<MetricKey, BigDecimal> finals = new TreeMap<>();
        finalCounts().forEach((windowSegment, counts) -> {
            MetricFormulas.values(counts).forEach((metric, value) -> finals.put(windowSegment.metricKey(metric), value));
            if (rules.moreMetrics()) {
                MetricFormulas.moreValues(counts)
                        .forEach((metric, value) -> finals.put(windowSegment.metricKey(metric), value));
                MetricFormulas.reasonShares(counts, rules.reasonsCap()).forEach((reason, value) -> finals.put(
                        windowSegment.metricKey(MetricFormulas.CHURN_REASON_SHARE, reason), value));
            }
        });
        return finals;
    }

    /** Rejected records per {@link RejectionReason#name()}. */
    public Map<String, Long> rejectedByReason() {
        return Map.copyOf(rejected);
    }

    public long duplicates() {
        return duplicates;
    }

    /** Accepted events that arrived after every window they belong to had closed. */
    public long lateEvents() {
        return lateEvents;
    }

    /** Reads final values in the form of {@code docs/examples/edges.expected.jsonl}; blank lines are skipped. */
    public static List<FinalValue> readExpected(Path jsonLines) {
        List<String> lines;
        try {
            lines = Files.readAllLines(jsonLines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<FinalValue> values = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                values.add(expectedValue(line));
            }
        }
        return values;
    }

    /**
     * Reads cohort cells in the form of {@code spec/examples/shop.cohorts.expected.jsonl}, checking that each line's
     * derived values are those of its counts.
     */
    public static SortedMap<CohortKey, CohortCell> readExpectedCohorts(Path jsonLines) {
        SortedMap<CohortKey, CohortCell> cells = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(jsonLines, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode json = JSON.readTree(line);
                CohortKey key = new CohortKey(json.get("cohort_period").textValue(), json.get("segment").textValue(),
                        Instant.parse(json.get("cohort_start").textValue()), json.get("period").intValue());
                CohortCell cell = new CohortCell(json.get("customers").longValue(), json.get("retained").longValue(),
                        json.get("active").longValue(), new BigDecimal(json.get("revenue").textValue()));
                checkDerived(line, json, "retention", cell.retention());
                checkDerived(line, json, "active_share", cell.activeShare());
                checkDerived(line, json, "revenue_per_customer", cell.revenuePerCustomer());
                if (cells.put(key, cell) != null) {
                    throw new IllegalArgumentException("cohort cell listed twice: " + key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cells;
    }

    private static void checkDerived(String line, JsonNode json, String field, BigDecimal derived) {
        if (json.get(field).decimalValue().compareTo(derived) != 0) {
            throw new IllegalArgumentException(field + " is not " + derived + " in " + line);
        }
    }

    private static FinalValue expectedValue(String line) {
        try {
            JsonNode json = JSON.readTree(line);
            JsonNode reason = json.get("reason");
            MetricKey key = new MetricKey(json.get("metric").textValue(), json.get("window").textValue(),
                    json.get("segment").textValue(), Instant.parse(json.get("window_start").textValue()),
                    reason == null || reason.isNull() ? null : reason.textValue());
            JsonNode value = json.get("value");
            return new FinalValue(key, value == null || value.isNull() ? null : value.decimalValue());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an expected final value: " + line, e);
        }
    }
}
