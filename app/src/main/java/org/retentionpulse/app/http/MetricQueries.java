package org.retentionpulse.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
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
 * values of one metric series from the {@value MetricHistory#STORE} store of the segment-stage task that owns
 * the segment, on this instance or forwarded to the owner. Without {@code from}/{@code to} it returns the
 * latest {@value #RECENT} windows; {@code from}/{@code to} bound the window start (inclusive). {@code current}
 * is the latest value of the current window ({@link WindowSpec#currentIndex}, taking the series' greatest
 * window start as the time: for {@code P30D/P1D} the 30 days ending with that day), whatever the range asked.
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

    @Override
    public ApiServer.Reply handle(ApiServer.Request request) throws IOException {
        String name = request.path().substring(PATH.length());
        Metric metric;
        try {
            metric = Metric.fromKey(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("unknown metric '" + name + "'");
        }
        String window = window(request.query().get("window"));
        String segment = SegmentParameter.parse(request.query().get("segment"), topology);
        Long from = instant("from", request.query().get("from"));
        Long to = instant("to", request.query().get("to"));
        if (from != null && to != null && from > to) {
            throw ApiException.badRequest("'from' is after 'to'");
        }

        String probe = MetricHistory.key(metric.key(), window, segment, 0);
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(MetricHistory.STORE, probe, MetricHistory.partitioner());
        } catch (IllegalStateException e) {
            throw ApiException.unavailable("not ready: " + e.getMessage());
        }
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw ApiException.unavailable("the owner of segment '" + segment + "' is not known yet (state " + streams.state() + ")");
        }
        if (!forwarder.isSelf(owner.activeHost())) {
            return forwarder.forward(owner.activeHost(), request);
        }
        ReadOnlyKeyValueStore<String, MetricUpdate> store = store(owner.partition());
        List<MetricUpdate> values = query(store, metric.key(), window, segment, from, to);
        MetricUpdate current = current(store, metric.key(), window, segment);
        ObjectNode body = ApiServer.JSON.createObjectNode();
        body.put("metric", metric.key());
        body.put("window", window);
        body.put("segment", segment);
        body.put("served_by", server.advertised());
        ArrayNode array = body.putArray("values");
        for (MetricUpdate u : values) {
            array.add(ApiServer.JSON.readTree(CanonicalJson.formatMetricUpdate(u)));
        }
        if (current == null) {
            body.putNull("current");
        } else {
            body.set("current", ApiServer.JSON.readTree(CanonicalJson.formatMetricUpdate(current)));
        }
        return ApiServer.Reply.json(200, body);
    }

    private ReadOnlyKeyValueStore<String, MetricUpdate> store(int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(MetricHistory.STORE,
                    QueryableStoreTypes.<String, MetricUpdate>keyValueStore()).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("store " + MetricHistory.STORE + " partition " + partition + " not queryable now: " + e.getMessage());
        }
    }

    /** The value of the current window of the series, or null when the series has none (yet). */
    private static MetricUpdate current(ReadOnlyKeyValueStore<String, MetricUpdate> store, String metric, String window, String segment) {
        MetricUpdate newest = null;
        try (KeyValueIterator<String, MetricUpdate> it = store.reverseRange(MetricHistory.key(metric, window, segment, Long.MIN_VALUE),
                MetricHistory.key(metric, window, segment, Long.MAX_VALUE))) {
            while (newest == null && it.hasNext()) {
                MetricUpdate u = it.next().value;
                if (u != null && u.getSegment().equals(segment)) {
                    newest = u;
                }
            }
            if (newest == null) {
                return null;
            }
            WindowSpec spec = WindowSpec.parse(window);
            long start = spec.start(spec.currentIndex(newest.getWindowStart().toEpochMilli()));
            MetricUpdate u = store.get(MetricHistory.key(metric, window, segment, start));
            return u != null && u.getSegment().equals(segment) ? u : null;
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("store " + MetricHistory.STORE + " not queryable now: " + e.getMessage());
        }
    }

    private static List<MetricUpdate> query(ReadOnlyKeyValueStore<String, MetricUpdate> store, String metric, String window,
                                            String segment, Long from, Long to) {
        String lo = MetricHistory.key(metric, window, segment, from == null ? Long.MIN_VALUE : from);
        String hi = MetricHistory.key(metric, window, segment, to == null ? Long.MAX_VALUE : to);
        List<MetricUpdate> out = new ArrayList<>();
        boolean recent = from == null && to == null;
        try (KeyValueIterator<String, MetricUpdate> it = recent ? store.reverseRange(lo, hi) : store.range(lo, hi)) {
            while (it.hasNext() && out.size() < (recent ? RECENT : MAX_VALUES)) {
                var kv = it.next();
                // A segment value containing '|' can share a key prefix with another segment: filter exactly.
                if (kv.value != null && kv.value.getSegment().equals(segment)) {
                    out.add(kv.value);
                }
            }
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("store " + MetricHistory.STORE + " not queryable now: " + e.getMessage());
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
