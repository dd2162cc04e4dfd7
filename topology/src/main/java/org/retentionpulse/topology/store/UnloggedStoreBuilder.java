package org.retentionpulse.topology.store;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds one of the project's own in-memory stores that Kafka Streams manages (one per task, found by name,
 * flushed and closed with the task) but never logs or caches: what they hold is rebuilt when a task starts, or is
 * nothing at all. Asking for a changelog or a record cache fails with {@code reason}, so a misconfiguration shows at
 * build time instead of as a store that silently restores nothing.
 */
public final class UnloggedStoreBuilder<T extends StateStore> implements StoreBuilder<T> {
    private final String name;
    private final Supplier<T> store;
    private final String reason;

    /** @param reason why the store needs no changelog, for the error if one is asked for */
    public UnloggedStoreBuilder(String name, Supplier<T> store, String reason) {
        this.name = name;
        this.store = store;
        this.reason = reason;
    }

    @Override
    public StoreBuilder<T> withCachingEnabled() {
        throw new UnsupportedOperationException(name + " has no record cache: " + reason);
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
        throw new UnsupportedOperationException(name + " is never logged: " + reason);
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
        return this;
    }

    @Override
    public T build() {
        return store.get();
    }

    @Override
    public Map<String, String> logConfig() {
        return Map.of();
    }

    @Override
    public boolean loggingEnabled() {
        return false;
    }

    @Override
    public String name() {
        return name;
    }
}
