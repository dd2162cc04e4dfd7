package org.retentionpulse.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.retentionpulse.reference.WindowSpecRef;

/**
 * A seeded random stream of JSON Lines events in arrival order, built to hit the corners of the metric contract:
 * a few to sixty customers over days to weeks, lifecycles with reactivations (sometimes with new plan, country or
 * channel) and ignored signups and cancellations, customers who never sign up, surveys of every type and score,
 * missing or empty dimensions, events exactly at midnight, 1 ms before it and at the grace boundary, same-instant
 * ties, duplicates (the same line again, sometimes much later), out-of-order events within grace, events late for
 * some or for every window, and invalid lines.
 *
 * <p>Arrival order comes from an arrival time per line: the event time plus a delay. A delay of at most the grace
 * never makes an event late; longer delays are drawn so that the event is late for some windows or for all of
 * them. Delays stay within the topology's documented envelope: an event or duplicate arrives less than the dedup
 * horizon (longest window plus grace) after its event time, and an event older than that arrives at most twice
 * the horizon late and is never duplicated, so the customer stage still knows its exact place in the timeline.
 * The same seed and settings give the same stream.
 */
final class RandomEventStream {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final String[] PLANS = {"basic", "pro", "team"};
    private static final String[] COUNTRIES = {"DE", "AT", "CH", "FR"};
    private static final String[] CHANNELS = {"organic", "referral", "ads"};

    private final SplittableRandom random;
    private final List<WindowSpecRef> windows;
    private final long graceMs;
    private final long horizonMs;
    private final long startMs;
    private final int days;
    private final List<Customer> customers = new ArrayList<>();
    private final List<Arrival> arrivals = new ArrayList<>();
    private int nextId;

    /** One customer's fixed traits: most signups reuse its home dimensions, some bring new ones. */
    private record Customer(String id, boolean neverSignsUp, String[] home, List<Long> times) {
    }

    /** A line with the instant it arrives; {@code order} breaks ties between equal arrival instants. */
    private record Arrival(long at, double order, String line) {
    }

    /** Whether an event was drawn to arrive late, and so may not be duplicated. */
    private enum Delay { NONE, WITHIN_GRACE, LATE_FOR_SOME, LATE_FOR_ALL, LATE_BEYOND_HORIZON }

    private RandomEventStream(long seed, List<WindowSpecRef> windows, Duration grace, int customerCount, int days) {
        this.random = new SplittableRandom(seed);
        this.windows = List.copyOf(windows);
        this.graceMs = grace.toMillis();
        this.horizonMs = windows.stream().mapToLong(w -> w.size().toMillis()).max().orElseThrow() + graceMs;
        this.startMs = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli() + random.nextInt(330) * DAY_MS;
        this.days = days;
        for (int i = 0; i < customerCount; i++) {
            customers.add(new Customer(String.format("c%02d", i), random.nextInt(100) < 12,
                    new String[] {pick(PLANS), pick(COUNTRIES), pick(CHANNELS)}, new ArrayList<>()));
        }
    }

    /**
     * @param seed      everything else follows from it
     * @param windows   the window specs the stream is run with (late and duplicate delays are drawn against them)
     * @param grace     the grace the stream is run with
     * @param events    number of events drawn (the stream is longer by its duplicates)
     * @param customers number of customers
     * @param days      span of event times in days
     * @return JSON lines in arrival order
     */
    static List<String> generate(long seed, List<WindowSpecRef> windows, Duration grace, int events, int customers, int days) {
        RandomEventStream stream = new RandomEventStream(seed, windows, grace, customers, days);
        for (int i = 0; i < events; i++) {
            stream.nextEvent();
        }
        stream.arrivals.sort(Comparator.comparingLong(Arrival::at).thenComparingDouble(Arrival::order));
        return stream.arrivals.stream().map(Arrival::line).toList();
    }

    private void nextEvent() {
        // Skewed towards the first customers so some of them have long histories.
        Customer customer = customers.get((int) (customers.size() * Math.pow(random.nextDouble(), 2)));
        long time = eventTime(customer);
        customer.times().add(time);
        int kind = random.nextInt(100);
        if (kind < 6) {
            arrive(time, invalidLine(customer, time));
            return;
        }
        String line;
        boolean lifecycle = false;
        if (kind < 24) {
            line = customer.neverSignsUp() ? purchase(customer, time) : signup(customer, time);
            lifecycle = !customer.neverSignsUp();
        } else if (kind < 38) {
            line = cancellation(customer, time);
            lifecycle = true;
        } else if (kind < 72) {
            line = purchase(customer, time);
        } else {
            line = survey(customer, time);
        }
        Delay delay = delay(lifecycle);
        long at = arrivalTime(time, delay);
        arrive(at, line);
        long remembered = time + horizonMs - 1;
        if (at <= remembered && random.nextInt(100) < 6) {
            // The same record again: right after, or later but while its event id is still remembered.
            arrive(random.nextBoolean() ? at : between(at, remembered), line);
        }
    }

    private long eventTime(Customer customer) {
        int snap = random.nextInt(100);
        if (snap < 10 && !customer.times().isEmpty()) {
            return customer.times().get(random.nextInt(customer.times().size())); // same-instant tie
        }
        long day = startMs + random.nextInt(days) * DAY_MS;
        if (snap < 20) {
            return day; // exactly midnight: the first instant of a window
        }
        if (snap < 27) {
            return day + DAY_MS - 1; // the last instant of a window
        }
        if (snap < 31) {
            return day + graceMs + random.nextInt(3) - 1; // around the grace boundary of yesterday's windows
        }
        long offset = (long) (random.nextDouble() * DAY_MS);
        return day + (random.nextBoolean() ? offset : offset - offset % 1000);
    }

    private Delay delay(boolean lifecycle) {
        int r = random.nextInt(100);
        // Late lifecycle events matter most: they change who is active in windows that are still open.
        int lateForAll = lifecycle ? 8 : 3;
        if (r < lateForAll) {
            return Delay.LATE_FOR_ALL;
        }
        if (r < lateForAll + 2) {
            return Delay.LATE_BEYOND_HORIZON;
        }
        if (r < lateForAll + 9) {
            return Delay.LATE_FOR_SOME;
        }
        if (r < lateForAll + 24) {
            return Delay.WITHIN_GRACE;
        }
        return Delay.NONE;
    }

    /** When an event at {@code time} arrives, given how late it was drawn to be. */
    private long arrivalTime(long time, Delay delay) {
        long closesAll = latestEndContaining(time) + graceMs + 1; // stream time past this closes its last window
        long remembered = time + horizonMs - 1;
        return switch (delay) {
            case NONE -> time;
            case WITHIN_GRACE -> time + (long) (random.nextDouble() * (graceMs + 1));
            case LATE_FOR_SOME -> time + graceMs + 1 + (long) (random.nextDouble() * Math.max(0, closesAll - time - graceMs - 1));
            case LATE_FOR_ALL -> closesAll <= remembered ? between(closesAll, remembered) : closesAll;
            case LATE_BEYOND_HORIZON -> between(Math.max(closesAll, time + horizonMs), time + 2 * horizonMs - 1);
        };
    }

    private long between(long from, long to) {
        return to <= from ? from : from + (long) (random.nextDouble() * (to - from + 1));
    }

    private long latestEndContaining(long time) {
        long end = Long.MIN_VALUE;
        for (WindowSpecRef spec : windows) {
            long advance = spec.advance().toMillis();
            end = Math.max(end, Math.floorDiv(time, advance) * advance + spec.size().toMillis());
        }
        return end;
    }

    private void arrive(long at, String line) {
        arrivals.add(new Arrival(at, random.nextDouble(), line));
    }

    private String signup(Customer customer, long time) {
        ObjectNode json = event("signup", customer, time);
        boolean home = random.nextInt(100) < 60;
        dimension(json, "plan", home ? customer.home()[0] : pick(PLANS));
        dimension(json, "country", home ? customer.home()[1] : pick(COUNTRIES));
        dimension(json, "channel", home ? customer.home()[2] : pick(CHANNELS));
        return write(json);
    }

    /** Mostly the value; sometimes absent, empty or JSON null, all of which mean {@code unknown}. */
    private void dimension(ObjectNode json, String field, String value) {
        int r = random.nextInt(100);
        if (r < 10) {
            return;
        }
        if (r < 13) {
            json.put(field, "");
        } else if (r < 16) {
            json.putNull(field);
        } else {
            json.put(field, value);
        }
    }

    private String cancellation(Customer customer, long time) {
        ObjectNode json = event("cancellation", customer, time);
        if (random.nextBoolean()) {
            json.put("reason", pick(new String[] {"price", "quality", "moved"}));
        }
        return write(json);
    }

    private String purchase(Customer customer, long time) {
        ObjectNode json = event("purchase", customer, time);
        json.put("order_id", "o" + nextId);
        json.put("amount", amount());
        json.put("currency", "EUR");
        return write(json);
    }

    /** Exact decimal strings with zero to two decimals, and trailing zeros beyond them. */
    private String amount() {
        long cents = random.nextInt(10) == 0 ? 0 : random.nextInt(20_000);
        String plain = cents / 100 + "." + String.format("%02d", cents % 100);
        return switch (random.nextInt(5)) {
            case 0 -> cents % 100 == 0 ? Long.toString(cents / 100) : plain;
            case 1 -> cents % 10 == 0 ? plain.substring(0, plain.length() - 1) : plain;
            case 2 -> plain + "0";
            default -> plain;
        };
    }

    private String survey(Customer customer, long time) {
        ObjectNode json = event("survey", customer, time);
        String survey = pick(new String[] {"NPS", "CSAT", "CES"});
        json.put("survey", survey);
        json.put("score", survey.equals("NPS") ? random.nextInt(11) : 1 + random.nextInt(5));
        if (random.nextInt(4) == 0) {
            json.put("comment", "ok");
        }
        return write(json);
    }

    /** Lines the contract rejects; an event id they carry is never used by a valid event. */
    private String invalidLine(Customer customer, long time) {
        ObjectNode json;
        switch (random.nextInt(9)) {
            case 0 -> {
                json = event("survey", customer, time);
                json.put("survey", "NPS");
                json.put("score", random.nextBoolean() ? 11 : -1);
            }
            case 1 -> {
                json = event("survey", customer, time);
                json.put("survey", random.nextBoolean() ? "CSAT" : "CES");
                json.put("score", random.nextBoolean() ? 0 : 6);
            }
            case 2 -> {
                json = event("purchase", customer, time);
                json.put("order_id", "o" + nextId);
                json.put("amount", "12.345");
                json.put("currency", "EUR");
            }
            case 3 -> {
                json = event("purchase", customer, time);
                json.put("order_id", "o" + nextId);
                json.put("amount", "30.00");
                json.put("currency", random.nextBoolean() ? "USD" : "eur");
            }
            case 4 -> {
                json = event("purchase", customer, time);
                json.put("order_id", "o" + nextId);
                json.put("amount", "-1.00");
                json.put("currency", "EUR");
            }
            case 5 -> {
                json = event("survey", customer, time);
                json.put("survey", "XYZ");
                json.put("score", 3);
            }
            case 6 -> {
                return "this line is not JSON";
            }
            case 7 -> {
                String whole = signup(customer, time);
                return whole.substring(0, whole.length() / 2);
            }
            default -> {
                json = event("cancellation", customer, time);
                json.remove("event_id");
            }
        }
        return write(json);
    }

    private ObjectNode event(String type, Customer customer, long time) {
        ObjectNode json = JSON.createObjectNode();
        json.put("type", type);
        json.put("event_id", "e" + nextId++);
        json.put("customer_id", customer.id());
        json.put("occurred_at", Instant.ofEpochMilli(time).toString());
        return json;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String write(ObjectNode json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
