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
    private final Duration grace;
    private final List<String> dimensions;
    private final EventDecoder decoder;

    private final List<Event> accepted = new ArrayList<>();
    private final Set<String> acceptedIds = new HashSet<>();
    private final Set<Window> openWindows = new LinkedHashSet<>();
    private final SortedMap<WindowSegment, SegmentCounts> closedCounts = new TreeMap<>();
    private final Map<String, Long> rejected = new TreeMap<>();
    private long arrivals;
    private long duplicates;
    private long lateEvents;
    private Instant streamTime;

    /**
     * @param dimensions segment dimensions; null means {@link #DEFAULT_DIMENSIONS}
     */
    public ReferenceModel(List<WindowSpecRef> windows, Duration grace, String reportingCurrency,
                          List<String> dimensions) {
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

    /** Freezes every open window that stream time {@code advanced} closes, from what arrived so far. */
    private void closeWindowsPassedBy(Instant advanced) {
        List<Window> closing = openWindows.stream().filter(w -> w.isClosedAt(advanced, grace)).toList();
        if (closing.isEmpty()) {
            return;
        }
        Lifecycle lifecycle = Lifecycle.replay(accepted, dimensions);
        for (Window window : closing) {
            closedCounts.putAll(WindowTally.count(window, lifecycle, accepted, dimensions));
            openWindows.remove(window);
        }
    }

    /** The counts behind every final value, as if the input ended now (every window closed). */
    public SortedMap<WindowSegment, SegmentCounts> finalCounts() {
        SortedMap<WindowSegment, SegmentCounts> counts = new TreeMap<>(closedCounts);
        if (!openWindows.isEmpty()) {
            Lifecycle lifecycle = Lifecycle.replay(accepted, dimensions);
            for (Window window : openWindows) {
                counts.putAll(WindowTally.count(window, lifecycle, accepted, dimensions));
            }
        }
        return counts;
    }

    /**
     * Every final value as if the input ended now (every window closed); null values where the contract says null.
     * Compare values with {@link BigDecimal#compareTo}, e.g. via {@link FinalValueComparison}.
     */
    public SortedMap<MetricKey, BigDecimal> finals() {
        SortedMap<MetricKey, BigDecimal> finals = new TreeMap<>();
        finalCounts().forEach((windowSegment, counts) -> MetricFormulas.values(counts)
                .forEach((metric, value) -> finals.put(windowSegment.metricKey(metric), value)));
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

    private static FinalValue expectedValue(String line) {
        try {
            JsonNode json = JSON.readTree(line);
            MetricKey key = new MetricKey(json.get("metric").textValue(), json.get("window").textValue(),
                    json.get("segment").textValue(), Instant.parse(json.get("window_start").textValue()));
            JsonNode value = json.get("value");
            return new FinalValue(key, value == null || value.isNull() ? null : value.decimalValue());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an expected final value: " + line, e);
        }
    }
}
