package org.retentionpulse.tools.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.InvalidEventException;

class JsonLinesSinkTest {

    private static final GeneratorConfig FAULTY = GeneratorConfig.builder().seed(9).customers(300).days(30)
            .faults(FaultRates.NONE.withInvalidRate(0.2).withDuplicateRate(0.05)).build();

    @Test
    void writesOneCanonicalLinePerEventAndRawLinesUnchanged(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("events.jsonl");
        final List<GeneratedEvent> events = EventGeneratorTest.all(FAULTY);
        try (JsonLinesSink sink = JsonLinesSink.toFile(file)) {
            events.forEach(sink::write);
        }
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(events.size(), lines.size());
        for (int i = 0; i < events.size(); i++) {
            final GeneratedEvent event = events.get(i);
            final String line = lines.get(i);
            if (event.rawLine().isPresent()) {
                assertEquals(event.rawLine().get(), line);
            } else {
                assertEquals(CanonicalJson.formatEvent(event.record()), line);
            }
            if (event.fault().isInvalid()) {
                assertThrows(InvalidEventException.class, () -> CanonicalJson.parseEvent(line, "EUR"));
            } else {
                assertEquals(event.record(), CanonicalJson.parseEvent(line, "EUR"));
            }
        }
    }

    @Test
    void generatorWritesTheSameFileForTheSameSeed(@TempDir final Path dir) throws IOException {
        final Path first = dir.resolve("first.jsonl");
        final Path second = dir.resolve("second.jsonl");
        try (JsonLinesSink sink = JsonLinesSink.toFile(first)) {
            EventGenerator.create(FAULTY).writeTo(sink, ProgressListener.NONE);
        }
        try (JsonLinesSink sink = JsonLinesSink.toFile(second)) {
            EventGenerator.create(FAULTY).writeTo(sink, ProgressListener.NONE);
        }
        assertEquals(-1L, Files.mismatch(first, second));
        assertEquals(EventGeneratorTest.lines(FAULTY), Files.readAllLines(first, StandardCharsets.UTF_8));
    }

    @Test
    void linesEndWithNewlinesOnly() {
        final StringWriter out = new StringWriter();
        try (JsonLinesSink sink = new JsonLinesSink(out)) {
            EventGenerator.create(FAULTY.toBuilder().targetEvents(3).build()).forEachRemaining(sink::write);
        }
        final String text = out.toString();
        assertEquals(3, text.chars().filter(c -> c == '\n').count());
        assertEquals('\n', text.charAt(text.length() - 1));
    }
}
