package org.retentionpulse.app.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.modelfit.ModelFitting;
import org.retentionpulse.topology.policy.ChurnPolicy;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * The settings an application's state is laid out for, by setting key, in a canonical text form (so {@code P1D} and
 * {@code PT24H} are the same). The segment stage restores its store by window-spec position and per dimension, the
 * dedup store's retention is the horizon, the repartition topic has {@code segment.partitions}: state built for
 * other values gives wrong results instead of an error. A setting another part adds (churn policy, cohorts) gets
 * one line in {@link #of}.
 */
public record BuiltFor(SortedMap<String, String> settings) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Key of the internal formats' version: the layout of the stores and of the {@code segment-deltas} topic. Raise
     * {@link #STATE_FORMAT} when a release changes one of them incompatibly, so an application id built by the
     * earlier release is refused (reset) instead of misreading its state.
     */
    public static final String STATE_FORMAT_KEY = "state.format";
    /**
     * 3: one customer-state value, typed segment-aggregates keys, segment-deltas batches (format 3). 4: the cohort
     * stage's {@code cohort-triangle} store (state of format 3 lacks the cells published before, so its triangles would
     * miss their finals) and {@code churn_reason_share} entries in {@code metric-history}.
     */
    public static final String STATE_FORMAT = "4";
    /** {@code model.fit.segment-dimension} without per-segment fits. */
    private static final String NO_SEGMENT_FITS = "none";

    public BuiltFor {
        settings = new TreeMap<>(settings);
    }

    /** What a state built from {@code topology} depends on. */
    public static BuiltFor of(TopologyConfig topology) {
        SortedMap<String, String> s = new TreeMap<>();
        s.put(AppDefaults.WINDOWS, topology.windows().stream().map(BuiltFor::canonical).collect(Collectors.joining(",")));
        s.put(AppDefaults.GRACE, canonical(topology.grace()));
        s.put(AppDefaults.DIMENSIONS, topology.dimensions().stream().map(Dimension::key).collect(Collectors.joining(",")));
        s.put(AppDefaults.DEDUP_HORIZON, canonical(topology.dedupHorizon()));
        s.put(AppDefaults.SEGMENT_PARTITIONS, Integer.toString(topology.segmentPartitions()));
        // Lapses are counted into the stored windows and pending lapses indexed per customer (contract section 7).
        Duration inactivity = topology.churn().inactivity().duration();
        s.put(AppDefaults.CHURN_INACTIVITY, inactivity == null ? ChurnPolicy.Inactivity.NONE.toString() : canonical(inactivity));
        // Each customer's cohort ledger has K + 1 cells of periods of this length (contract section 9).
        s.put(AppDefaults.COHORTS_PERIOD, topology.cohorts().period().name());
        s.put(AppDefaults.COHORTS_PERIODS, Integer.toString(topology.cohorts().periods()));
        // The fit sample's entries carry the segment value only with a segment dimension, and the fit store has one
        // entry per value of it; the minimum decides which values have fits that score customers.
        ModelFitting fitting = topology.modelFitting();
        s.put(AppDefaults.MODEL_FIT_SEGMENT_DIMENSION, fitting.segmentDimension().map(Dimension::key).orElse(NO_SEGMENT_FITS));
        s.put(AppDefaults.MODEL_FIT_SEGMENT_MIN_CUSTOMERS, Integer.toString(fitting.segmentMinRepeatBuyers()));
        s.put(STATE_FORMAT_KEY, STATE_FORMAT);
        return new BuiltFor(s);
    }

    /**
     * Settings recorded only from a later release on, with the one value every state built before had: a record
     * without them was built for that value, so a change is still refused.
     */
    private static final Map<String, String> BEFORE_RECORDED = Map.of(AppDefaults.CHURN_INACTIVITY,
            ChurnPolicy.Inactivity.NONE.toString(), AppDefaults.MODEL_FIT_SEGMENT_DIMENSION, NO_SEGMENT_FITS);

    /** One setting whose value differs from the one the state was built for. */
    public record Mismatch(String key, String builtFor, String now) {
        @Override
        public String toString() {
            return key + " was " + builtFor + " and is now " + now;
        }
    }

    /**
     * The settings recorded in both whose values differ. A setting recorded only on one side (added by a later
     * version) is not a mismatch: there is nothing to compare it with, unless every state before it had one value
     * ({@link #BEFORE_RECORDED}).
     */
    public List<Mismatch> mismatches(BuiltFor now) {
        List<Mismatch> out = new ArrayList<>();
        SortedMap<String, String> recorded = new TreeMap<>(BEFORE_RECORDED);
        recorded.putAll(settings);
        recorded.forEach((key, old) -> {
            String current = now.settings.get(key);
            if (current != null && !current.equals(old)) {
                out.add(new Mismatch(key, old, current));
            }
        });
        return out;
    }

    /** Whether {@code now} records a setting this one does not. */
    public boolean lacksAnyOf(BuiltFor now) {
        return !settings.keySet().containsAll(now.settings.keySet());
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(settings);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static BuiltFor fromJson(byte[] json) {
        try {
            return new BuiltFor(JSON.readValue(json, new TypeReference<Map<String, String>>() { }).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b, TreeMap::new)));
        } catch (IOException e) {
            throw new IllegalStateException("the built-for record is not a JSON object of settings: " + e.getMessage(), e);
        }
    }

    private static String canonical(WindowSpec w) {
        return canonical(Duration.ofMillis(w.sizeMs())) + "/" + canonical(Duration.ofMillis(w.advanceMs()));
    }

    /** Whole days as {@code P7D}, anything else as Java's ISO form ({@code PT6H}). */
    private static String canonical(Duration d) {
        return !d.isZero() && d.toMillis() % Duration.ofDays(1).toMillis() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }
}
