package org.retentionpulse.topology.combine;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.retentionpulse.topology.store.UnloggedStore;
import org.retentionpulse.topology.store.UnloggedStoreBuilder;

/**
 * A store that holds nothing and tells its processor when the task is about to commit, so that the processor can
 * send what it holds in memory within the transaction that commits the offsets of the records it came from.
 *
 * <p>How: Kafka Streams' {@code StreamTask#prepareCommit} flushes the record cache of every store of the task that is a
 * {@link CachedStateStore} ({@link #flushCache}), before it flushes the producer and commits the offsets and the
 * transaction. That is the moment the DSL's cached tables forward their dirty entries downstream, and forwarding then
 * is what the DSL relies on. {@code CachedStateStore} is an internal interface of Kafka Streams (stable since 2.x and
 * used by every cached store), so {@code CommitHookTest} pins the behaviour against the Kafka Streams in use.
 *
 * <p>Not persistent and not logged ({@link #storeBuilder}): it has no state to restore. Key layout: none.
 */
final class CommitHook extends UnloggedStore implements CachedStateStore<Object, Object> {
    static final String STORE = "segment-delta-commit-hook";

    private Runnable beforeCommit = () -> { };

    private CommitHook() {
        super(STORE);
    }

    /**
     * Makes {@code send} run before every commit of the task of {@code context}, as if the processor being initialised
     * forwarded from a punctuation: its own node current, a record context without a source record. Call it from
     * {@code Processor#init}, and {@link #detach} from {@code Processor#close}. Returns null, and installs nothing, when
     * the processor is not connected to the {@value #STORE} store or its context is not Kafka Streams' own (as with
     * {@code MockProcessorContext}); the caller must then keep what it holds across commits by itself.
     */
    static CommitHook install(ProcessorContext<?, ?> context, Runnable send) {
        if (!(context instanceof InternalProcessorContext<?, ?> internal)) {
            return null;
        }
        StateStore store;
        try {
            store = context.getStateStore(STORE);
        } catch (RuntimeException notConnected) {
            return null;
        }
        if (!(store instanceof CommitHook hook)) {
            return null;
        }
        ProcessorNode<?, ?, ?, ?> node = internal.currentNode(); // the processor's own node while it is initialised
        hook.beforeCommit = () -> {
            ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
            ProcessorRecordContext previousRecord = internal.recordContext();
            internal.setCurrentNode(node);
            internal.setRecordContext(new ProcessorRecordContext(internal.currentSystemTimeMs(), -1L, -1, null,
                    new RecordHeaders()));
            try {
                send.run();
            } finally {
                internal.setRecordContext(previousRecord);
                internal.setCurrentNode(previousNode);
            }
        };
        return hook;
    }

    /** Nothing runs before the next commits: the processor is closed. */
    void detach() {
        beforeCommit = () -> { };
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void clearCache() {
        // nothing cached
    }

    @Override
    protected void closed() {
        detach();
    }

    /** The store's builder: no changelog, no cache (there is nothing to keep). */
    static StoreBuilder<CommitHook> storeBuilder() {
        return new UnloggedStoreBuilder<>(STORE, CommitHook::new, "it holds nothing");
    }
}
