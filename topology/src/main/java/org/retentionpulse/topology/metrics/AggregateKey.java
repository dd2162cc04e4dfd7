package org.retentionpulse.topology.metrics;

import org.retentionpulse.topology.delta.Counter;

/**
 * A key of the {@value SegmentAggregator#STORE} store (in-memory, changelogged), one kind of entry per record;
 * values are {@code long[]} ({@link AggregateStoreCodec}). Window specs are named by their text (e.g.
 * {@code P30D/P1D}), not by their position in the configuration, so a restore finds each entry's spec by name and
 * fails loudly on a spec that is no longer configured.
 *
 * <table>
 *   <caption>entries and how long they live</caption>
 *   <tr><th>key</th><th>value</th><th>kept until</th></tr>
 *   <tr><td>{@link Bucket}</td><td>long[{@link Counter#COUNT}]: additive counts of the bucket</td>
 *       <td>every window containing the bucket closed (folded into {@link ActiveBase})</td></tr>
 *   <tr><td>{@link Reason}</td><td>{C_r}: churned customers with that reason in the bucket</td>
 *       <td>every window containing the bucket closed (dropped: no lasting effect)</td></tr>
 *   <tr><td>{@link Coverage}</td><td>{ΔP1, ΔP2, ΔRESP} of every window from that index on</td>
 *       <td>that window closed (folded into {@link CoverageBase})</td></tr>
 *   <tr><td>{@link ActiveBase}</td><td>{active, win-back pool}: net activations and net churned minus won back of
 *       folded buckets</td><td>as long as the segment exists</td></tr>
 *   <tr><td>{@link CoverageBase}</td><td>{P1, P2, RESP}: sum of folded difference entries</td><td>as long as the segment exists</td></tr>
 *   <tr><td>{@link Excluded}</td><td>long[{@link Counter#COUNT} + 3]: counts, then P1, P2, RESP, left out of that
 *       window (decided late for it by the customer task that sent them)</td><td>that window closed (dropped)</td></tr>
 *   <tr><td>{@link ExcludedReason}</td><td>{C_r} left out of that window</td><td>that window closed (dropped)</td></tr>
 *   <tr><td>{@link Watermark}</td><td>{stream time} of that customer task</td><td>forever (one per source partition)</td></tr>
 * </table>
 */
sealed interface AggregateKey {

    /** The counts of one segment in one time bucket (bucket start in epoch ms). */
    record Bucket(String segment, long bucket) implements AggregateKey {
    }

    /** Churned customers of one segment in one time bucket with one normalised churn reason (section 8). */
    record Reason(String segment, long bucket, String reason) implements AggregateKey {
    }

    /** A difference-array entry of the purchaser counts of one segment: window {@code windowIndex} of {@code spec}. */
    record Coverage(String segment, String spec, long windowIndex) implements AggregateKey {
    }

    /** Active customers of one segment contributed by folded buckets. */
    record ActiveBase(String segment) implements AggregateKey {
    }

    /** P1/P2 of one segment and spec contributed by folded difference entries. */
    record CoverageBase(String segment, String spec) implements AggregateKey {
    }

    /**
     * What window {@code windowIndex} of {@code spec} leaves out although this stage still has it open: the changes
     * that the customer task which sent them decided after that window had closed there (one late decision).
     */
    record Excluded(String segment, String spec, long windowIndex) implements AggregateKey {
    }

    /** Churned customers of one reason that window {@code windowIndex} of {@code spec} leaves out, likewise. */
    record ExcludedReason(String segment, String spec, long windowIndex, String reason) implements AggregateKey {
    }

    /** The stream time of one customer task (input partition), from which windows close. */
    record Watermark(int sourcePartition) implements AggregateKey {
    }
}
