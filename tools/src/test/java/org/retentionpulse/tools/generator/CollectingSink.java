package org.retentionpulse.tools.generator;

import java.util.ArrayList;
import java.util.List;

/** Keeps what it is given, for assertions. */
final class CollectingSink implements EventSink {

    final List<GeneratedEvent> events = new ArrayList<>();
    int flushes;
    boolean closed;
    /** Runs after each write. */
    Runnable afterWrite = () -> { };

    @Override
    public void write(final GeneratedEvent event) {
        events.add(event);
        afterWrite.run();
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {
        closed = true;
    }
}
