package org.retentionpulse.topology.customer;

import java.util.ArrayList;
import java.util.List;

/** Segment names: {@value #ALL}, or {@code dimension=value} such as {@code plan=pro}. */
public final class Segment {
    public static final String ALL = "all";

    private Segment() {
    }

    public static String of(Dimension dimension, String value) {
        return dimension.key() + "=" + value;
    }

    /** The segments an event of a customer with these dimensions counts in: {@code all} first. */
    public static List<String> of(Dimensions dimensions, List<Dimension> configured) {
        List<String> segments = new ArrayList<>(configured.size() + 1);
        segments.add(ALL);
        for (Dimension d : configured) {
            segments.add(of(d, dimensions.value(d)));
        }
        return segments;
    }
}
