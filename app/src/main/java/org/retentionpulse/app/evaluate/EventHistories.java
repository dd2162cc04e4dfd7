package org.retentionpulse.app.evaluate;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.serde.CanonicalJson;
import org.retentionpulse.schemas.serde.EventType;
import org.retentionpulse.schemas.serde.InvalidEventException;

/**
 * A JSON Lines file as each customer's events in event-time order (file order among equal times), read
 * with the same parser and rules as the pipeline's input. Invalid lines are counted and skipped, as the
 * pipeline rejects them; a repeated {@code event_id} is dropped, as the customer stage drops duplicates.
 *
 * @param byCustomer customer id -> its events, sorted by {@code occurred_at}
 * @param latestEventAt the greatest event time in the file (epoch ms)
 */
record EventHistories(Map<String, List<SpecificRecord>> byCustomer, long latestEventAt, long events, long invalid,
                      long duplicates) {

    static EventHistories read(Path file, String reportingCurrency) throws IOException {
        Map<String, List<SpecificRecord>> byCustomer = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        long latest = Long.MIN_VALUE;
        long events = 0;
        long invalid = 0;
        long duplicates = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                SpecificRecord event;
                try {
                    event = CanonicalJson.parseEvent(line, reportingCurrency);
                } catch (InvalidEventException e) {
                    invalid++;
                    continue;
                }
                if (!ids.add(EventType.eventId(event))) {
                    duplicates++;
                    continue;
                }
                events++;
                latest = Math.max(latest, EventType.occurredAtMillis(event));
                byCustomer.computeIfAbsent(EventType.customerId(event), k -> new ArrayList<>()).add(event);
            }
        }
        // List.sort is stable: events at the same instant keep their file order.
        byCustomer.values().forEach(list -> list.sort(Comparator.comparingLong(EventType::occurredAtMillis)));
        return new EventHistories(byCustomer, latest, events, invalid, duplicates);
    }
}
