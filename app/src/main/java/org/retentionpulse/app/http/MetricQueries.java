package org.retentionpulse.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.metrics.Metric;
import org.retentionpulse.topology.metrics.MetricHistory;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * {@code GET /api/metrics/{metric}?window=P30D/P1D&segment=plan=pro&from=ISO&to=ISO}: the current and recent
 * values of one metric series from the {@value MetricHistory#STORE} (finals) and {@value MetricHistory#OPEN_STORE}
 * (open windows) stores of the segment-stage task that owns the segment, merged by key ({@link MergedRange}), on this
 * instance or forwarded to the owner. Without {@code from}/{@code to} it returns the
 * latest {@value #RECENT} windows; {@code from}/{@code to} bound the window start (inclusive). {@code current}
 * is the latest value of the current window ({@link WindowSpec#currentIndex}, taking the series' greatest
 * window start as the time: for {@code P30D/P1D} the 30 days ending with that day), whatever the range asked.
 * {@code churn_reason_share} has a record per reason in each window: {@code values} lists every reason's (or with
 * {@code reason=price} that reason's) and {@code current} is the list of the current window's records.
 */
public final class MetricQueries implements ApiServer.Route {
    public static final String PATH = "/api/metrics/";
    static final int RECENT = 30;
    static final int MAX_VALUES = 2000;

    private final KafkaStreams streams;
    private final TopologyConfig topology;
    private final OwnerForwarder forwarder;
    private final ApiServer server;

    public MetricQueries(KafkaStreams streams, TopologyConfig topology, ApiServer server) {
        this.streams = streams;
        this.topology = topology;
        this.forwarder = new OwnerForwarder(server);
        this.server = server;
    }

    /**
     * One series asked for: a metric, window spec and segment, and for {@code churn_reason_share} (a record per
     * reason) optionally one reason ({@code reason} null: every reason).
     */
    record Series(Metric metric, String window, String segment, String reason) {
        boolean perReason() {
            return metric == Metric.CHURN_REASON_SHARE;
        }

        /** Whether a record in the series' key range is one of the series (segment values may contain '|'). */
        boolean matches(MetricUpdate u) {
            return u != null && u.getSegment().equals(segment) && (reason == null || reason.equals(u.getReason()));
        }

        String first(long windowStartMs) {
            return MetricHistory.key(metric.key(), window, segment, windowStartMs);
        }

        String last(long windowStartMs) {
            return MetricHistory.lastKey(metric.key(), window, segment, windowStartMs);
        }
    }

    @Override
    public ApiServer.Reply handle(ApiServer.Request request) throws IOException {
        Series series = series(request);
        Long from = instant("from", request.query().get("from"));
        Long to = instant("to", request.query().get("to"));
        if (from != null && to != null && from > to) {
            throw ApiException.badRequest("'from' is after 'to'");
        }

        String probe = MetricHistory.key(series.metric().key(), series.window(), series.segment(), 0);
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(MetricHistory.STORE, probe, MetricHistory.partitioner());
        } catch (IllegalStateException e) {
            throw ApiException.unavailable("not ready: " + e.getMessage());
        }
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw ApiException.unavailable("the owner of segment '" + series.segment() + "' is not known yet (state " + streams.state() + ")");
        }
        if (!forwarder.isSelf(owner.activeHost())) {
            return forwarder.forward(owner.activeHost(), request);
        }
        TaskStores store = new TaskStores(store(MetricHistory.OPEN_STORE, owner.partition()),
                store(MetricHistory.STORE, owner.partition()));
        ObjectNode body = ApiServer.JSON.createObjectNode();
        body.put("metric", series.metric().key());
        body.put("window", series.window());
        body.put("segment", series.segment());
        if (series.reason() != null) {
            body.put("reason", series.reason());
        }
        body.put("served_by", server.advertised());
        body.set("values", json(query(store, series, from, to)));
        List<MetricUpdate> current = current(store, series);
        if (series.perReason()) {
            body.set("current", json(current)); // a record per reason: the current window's, possibly none
        } else if (current.isEmpty()) {
            body.putNull("current");
        } else {
            body.set("current", ApiServer.JSON.readTree(CanonicalJson.formatMetricUpdate(current.get(0))));
        }
        return ApiServer.Reply.json(200, body);
    }

    private Series series(ApiServer.Request request) {
        String name = request.path().substring(PATH.length());
        Metric metric;
        try {
            metric = Metric.fromKey(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("unknown metric '" + name + "'");
        }
        String reason = request.query().get("reason");
        Series series = new Series(metric, window(request.query().get("window")),
                SegmentParameter.parse(request.query().get("segment"), topology), reason == null || reason.isEmpty() ? null : reason);
        if (series.reason() != null && !series.perReason()) {
            throw ApiException.badRequest("'reason' applies to " + Metric.CHURN_REASON_SHARE.key() + " only, not to " + metric.key());
        }
        return series;
    }

    private static ArrayNode json(List<MetricUpdate> updates) throws IOException {
        ArrayNode array = ApiServer.JSON.createArrayNode();
        for (MetricUpdate u : updates) {
            array.add(ApiServer.JSON.readTree(CanonicalJson.formatMetricUpdate(u)));
        }
        return array;
    }

    private ReadOnlyKeyValueStore<String, MetricUpdate> store(String name, int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name,
                    QueryableStoreTypes.<String, MetricUpdate>keyValueStore()).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("store " + name + " partition " + partition + " not queryable now: " + e.getMessage());
        }
    }

    /** The owner task's two metric stores, read as one. */
    private record TaskStores(ReadOnlyKeyValueStore<String, MetricUpdate> open, ReadOnlyKeyValueStore<String, MetricUpdate> history) {
        MergedRange range(String from, String to, boolean reverse) {
            return MergedRange.of(open, history, from, to, reverse);
        }
    }

    /**
     * The records of the current window of the series (one, or one per reason), or none when the series has no window
     * (yet) or the current window has no record.
     */
    private static List<MetricUpdate> current(TaskStores store, Series series) {
        MetricUpdate newest = null;
        try (MergedRange it = store.range(series.first(Long.MIN_VALUE), series.last(Long.MAX_VALUE), true)) {
            while (newest == null && it.hasNext()) {
                MetricUpdate u = it.next();
                if (series.matches(u)) {
                    newest = u;
                }
            }
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("stores " + MetricHistory.STORE + " and " + MetricHistory.OPEN_STORE
                    + " not queryable now: " + e.getMessage());
        }
        if (newest == null) {
            return List.of();
        }
        WindowSpec spec = WindowSpec.parse(series.window());
        long start = spec.start(spec.currentIndex(newest.getWindowStart().toEpochMilli()));
        return query(store, series, start, start);
    }

    /**
     * The series' records with window starts from {@code from} to {@code to} (inclusive, each null: unbounded), by
     * window start (then reason); without bounds those of the latest {@value #RECENT} windows, else at most
     * {@value #MAX_VALUES} records.
     */
    private static List<MetricUpdate> query(TaskStores store, Series series, Long from, Long to) {
        String lo = series.first(from == null ? Long.MIN_VALUE : from);
        String hi = series.last(to == null ? Long.MAX_VALUE : to);
        List<MetricUpdate> out = new ArrayList<>();
        boolean recent = from == null && to == null;
        Set<Instant> windows = new HashSet<>();
        try (MergedRange it = store.range(lo, hi, recent)) {
            while (it.hasNext() && out.size() < MAX_VALUES) {
                MetricUpdate u = it.next();
                if (!series.matches(u)) {
                    continue;
                }
                if (recent && !windows.contains(u.getWindowStart()) && windows.size() == RECENT) {
                    break; // the records of the latest RECENT windows are in
                }
                windows.add(u.getWindowStart());
                out.add(u);
            }
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("stores " + MetricHistory.STORE + " and " + MetricHistory.OPEN_STORE
                    + " not queryable now: " + e.getMessage());
        }
        if (recent) {
            Collections.reverse(out);
        }
        return out;
    }

    private String window(String param) {
        if (param == null || param.isEmpty()) {
            return topology.windows().get(0).toString();
        }
        WindowSpec spec;
        try {
            spec = WindowSpec.parse(param);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("window '" + param + "' is not a size/advance spec such as P30D/P1D");
        }
        if (!topology.windows().contains(spec)) {
            throw ApiException.badRequest("window '" + param + "' is not configured; configured: " + topology.windows());
        }
        return spec.toString();
    }

    private static Long instant(String name, String param) {
        if (param == null || param.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(param).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + name + "' must be an ISO-8601 instant such as 2024-03-01T00:00:00Z, was '" + param + "'");
        }
    }
}
