package org.retentionpulse.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.cohort.CohortTriangle;
import org.retentionpulse.topology.time.CohortSpec;

/**
 * {@code GET /api/cohorts?period=P1W&segment=plan=pro}: the cohort triangle of one segment (contract section 9), from
 * the {@value CohortTriangle#STORE} store of the cohort-stage task that owns the segment (it holds every cell of the
 * segment), on this instance or forwarded to the owner ({@link CohortCellSource}). One row per cohort, oldest first:
 * its start, its size (the customers of its latest cell) and its cells by period index k, each the latest published
 * record, {@code "final": false} while period c + k is open. {@code period} must be the configured
 * {@code cohorts.period} (the only one computed); it defaults to it, {@code segment} to {@code all}.
 */
public final class CohortQueries implements ApiServer.Route {
    public static final String PATH = "/api/cohorts";

    private final TopologyConfig topology;
    private final CohortCellSource cells;

    CohortQueries(TopologyConfig topology, CohortCellSource cells) {
        this.topology = topology;
        this.cells = cells;
    }

    /** Served from the stores of {@code streams}. */
    public static CohortQueries of(KafkaStreams streams, TopologyConfig topology, ApiServer server) {
        return new CohortQueries(topology, new CohortCellSource.Streams(streams, server));
    }

    @Override
    public ApiServer.Reply handle(ApiServer.Request request) throws IOException {
        String period = period(request.query().get("period"));
        String segment = SegmentParameter.parse(request.query().get("segment"), topology);
        CohortCellSource.Found found = cells.of(segment, request);
        if (found instanceof CohortCellSource.Forwarded forwarded) {
            return forwarded.reply();
        }
        return ApiServer.Reply.json(200, triangle(period, segment, (CohortCellSource.Local) found));
    }

    private ObjectNode triangle(String period, String segment, CohortCellSource.Local local) throws IOException {
        Map<Instant, List<CohortCell>> byCohort = new TreeMap<>();
        for (CohortCell cell : local.cells()) {
            // A segment value containing '|' can share a key range with another segment: filter exactly.
            if (cell.getSegment().equals(segment) && cell.getCohortPeriod().equals(period)) {
                byCohort.computeIfAbsent(cell.getCohortStart(), s -> new ArrayList<>()).add(cell);
            }
        }
        ObjectNode body = ApiServer.JSON.createObjectNode();
        body.put("cohort_period", period);
        body.put("segment", segment);
        body.put("periods", topology.cohorts().periods());
        body.put("served_by", local.servedBy());
        ArrayNode rows = body.putArray("cohorts");
        for (Map.Entry<Instant, List<CohortCell>> cohort : byCohort.entrySet()) {
            List<CohortCell> row = cohort.getValue();
            row.sort(Comparator.comparingInt(CohortCell::getPeriod));
            ObjectNode json = rows.addObject();
            json.put("cohort_start", cohort.getKey().toString());
            // Every open cell of a cohort has its current size; the latest cell is open or the last to close.
            json.put("customers", row.get(row.size() - 1).getCustomers());
            ArrayNode cellsJson = json.putArray("cells");
            for (CohortCell cell : row) {
                cellsJson.add(cellJson(cell));
            }
        }
        return body;
    }

    /** The cell's JSON form (contract section 9, with its intervals) without what its row already says. */
    private static ObjectNode cellJson(CohortCell cell) throws IOException {
        ObjectNode json = (ObjectNode) ApiServer.JSON.readTree(CanonicalJson.formatCohortCell(cell));
        json.remove(List.of("cohort_period", "cohort_start", "segment"));
        return json;
    }

    private String period(String param) {
        String configured = topology.cohorts().period().name();
        if (param == null || param.isEmpty()) {
            return configured;
        }
        CohortSpec.Period asked;
        try {
            asked = CohortSpec.Period.parse(param);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("period '" + param + "' is not a cohort period: P1D, P1W or P1M");
        }
        if (!asked.name().equals(configured)) {
            throw ApiException.badRequest("period '" + param + "' is not configured (cohorts.period is " + configured + ")");
        }
        return configured;
    }
}
