package org.retentionpulse.topology.store;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;

/**
 * The lifecycle of one of the project's own in-memory stores without a changelog ({@link UnloggedStoreBuilder}):
 * registered with the task, with nothing to restore (what it holds is rebuilt when the task starts, or is nothing),
 * never persistent. Subclasses say what they let go of when the task closes them ({@link #closed}).
 */
public abstract class UnloggedStore implements StateStore {
    private final String name;
    private volatile boolean open;

    protected UnloggedStore(String name) {
        this.name = name;
    }

    /** What the store lets go of when its task closes it. */
    protected abstract void closed();

    @Override
    public final String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> { }); // no changelog: nothing is ever restored into it
        open = true;
    }

    @Override
    public final void close() {
        closed();
        open = false;
    }

    @Override
    public final boolean persistent() {
        return false;
    }

    @Override
    public final boolean isOpen() {
        return open;
    }
}
