package org.retentionpulse.tools.generator;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.retentionpulse.schemas.serde.CanonicalJson;

/**
 * Writes events as JSON Lines in the spec's canonical form ({@link CanonicalJson#formatEvent}), one per
 * line; an event with a {@link GeneratedEvent#rawLine() raw line} is written as that line, unchanged.
 */
public final class JsonLinesSink implements EventSink {

    private static final int BUFFER_CHARS = 1 << 16;

    private final Writer out;
    private final boolean closeOut;

    /** A sink writing to {@code out}, which it closes when closed. */
    public JsonLinesSink(final Writer out) {
        this(out, true);
    }

    private JsonLinesSink(final Writer out, final boolean closeOut) {
        this.out = Objects.requireNonNull(out, "out");
        this.closeOut = closeOut;
    }

    /** A sink that creates (or truncates) the UTF-8 file at {@code path}. */
    public static JsonLinesSink toFile(final Path path) {
        try {
            return new JsonLinesSink(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open " + path + " for writing", e);
        }
    }

    /** A sink writing UTF-8 to standard output, which stays open when the sink is closed. */
    public static JsonLinesSink toStdout() {
        return new JsonLinesSink(new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), BUFFER_CHARS), false);
    }

    @Override
    public void write(final GeneratedEvent event) {
        final String line = event.rawLine().orElseGet(() -> CanonicalJson.formatEvent(event.record()));
        try {
            out.write(line);
            out.write('\n');
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write event " + line, e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (closeOut) {
                out.close();
            } else {
                out.flush();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
