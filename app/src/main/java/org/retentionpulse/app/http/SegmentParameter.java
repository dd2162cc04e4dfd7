package org.retentionpulse.app.http;

import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.customer.Segment;

/**
 * The {@code segment} query parameter of every route that answers for one segment: {@code all} (the default) or
 * {@code dimension=value} with a configured dimension; anything else is a 400 naming the parameter.
 */
final class SegmentParameter {
    private SegmentParameter() {
    }

    static String parse(String param, TopologyConfig topology) {
        if (param == null || param.isEmpty() || param.equals(Segment.ALL)) {
            return Segment.ALL;
        }
        int eq = param.indexOf('=');
        if (eq <= 0 || eq == param.length() - 1) {
            throw ApiException.badRequest("segment '" + param + "' must be 'all' or dimension=value, e.g. plan=pro");
        }
        String dimension = param.substring(0, eq);
        if (topology.dimensions().stream().map(Dimension::key).noneMatch(dimension::equals)) {
            throw ApiException.badRequest("dimension '" + dimension + "' of segment '" + param + "' is not configured; configured: "
                    + topology.dimensions().stream().map(Dimension::key).toList());
        }
        return param;
    }
}
