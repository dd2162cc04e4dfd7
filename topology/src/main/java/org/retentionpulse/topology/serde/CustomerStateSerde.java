package org.retentionpulse.topology.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.customer.CohortLedger;
import org.retentionpulse.topology.customer.CustomerState;
import org.retentionpulse.topology.customer.CustomerTimeline;
import org.retentionpulse.topology.customer.Dimensions;
import org.retentionpulse.topology.customer.Lifecycle;
import org.retentionpulse.topology.customer.TimelineEntry;
import org.retentionpulse.topology.policy.ChurnReasons;
import org.retentionpulse.topology.model.PurchaseDays;

/**
 * Format of the {@code customer-state} store, compact because it is written once per event and kept per
 * customer. Numbers are zig-zag varints (Avro's binary encoding, written with Avro's encoder):
 * <pre>
 *  version byte (1)
 *  ref           long: an instant of this customer (its latest event); every instant below is relative to it
 *  strings       int n, then n strings: the value's string table; a reference is 1 + the index, 0 is null
 *  timeline      base: int flags (1 active, 2 ever signed up), 3 string refs (plan, country, channel);
 *                int n, then per entry: long time - previous time (the first: - ref),
 *                int kind | survey &lt;&lt; 2 | score &lt;&lt; 4, then a signup's 3 string refs or a purchase's long cents
 *  seen ids      int n, then per id: string event id, long time - ref
 *  profile       boolean present, then {@link CustomerProfile#write}
 *  tail          only when there is something to write (absent in values of earlier releases, which read as none):
 *                boolean base has a last activity (contract section 7), then long last activity - ref;
 *                per cancellation entry, in timeline order, the string ref of its normalised churn reason;
 *                then (optional) boolean cohort ledger present (contract section 9), then long cohort period index,
 *                3 string refs (dimensions), int K + 1, per k: boolean retained, long revenue cents, boolean active
 *  purchases     only when the customer has purchase days (the tail is then written in full): boolean true, then
 *                {@link PurchaseDays#write}; absent otherwise and in values written before the model's summary was kept
 * </pre>
 * Dimension strings repeat across the base, signups and the profile: the table stores each once.
 */
public final class CustomerStateSerde implements Serde<CustomerState>, Serializer<CustomerState>, Deserializer<CustomerState> {
    private static final byte VERSION = 1;
    private static final TimelineEntry.Kind[] KINDS = TimelineEntry.Kind.values();
    private static final SurveyType[] SURVEYS = SurveyType.values();
    /**
     * Per thread, since one serde serves the store of every task on every stream thread: the two buffers a value is
     * written through and their encoders, reused. Why: a new buffered encoder allocates a 2 KiB buffer, and the two
     * per value were 3.5 % of a backfill's stream thread (BENCHMARKS.md, session 15).
     */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
        final ByteArrayOutputStream value = new ByteArrayOutputStream(512);
        BinaryEncoder bodyEncoder;
        BinaryEncoder headEncoder;
    }

    @Override
    public byte[] serialize(String topic, CustomerState state) {
        if (state == null) {
            return null;
        }
        try {
            StringTable table = new StringTable();
            long ref = referenceInstant(state);
            Buffers buffers = BUFFERS.get();
            ByteArrayOutputStream body = buffers.body;
            // Buffered: the direct encoder writes a byte at a time into the stream's synchronized write(int), a top
            // frame of the stream thread; the bytes are the same once flushed. Re-targeting flushes what an aborted
            // write left in the encoder into the stream, which is then emptied.
            BinaryEncoder out = buffers.bodyEncoder = EncoderFactory.get().binaryEncoder(body, buffers.bodyEncoder);
            body.reset();
            writeTimeline(state.timeline(), ref, table, out);
            writeSeen(state.seen(), ref, out);
            out.writeBoolean(state.profile() != null);
            if (state.profile() != null) {
                state.profile().write(out, ref, table::ref);
            }
            writeTail(state, ref, table, out);
            // After the whole tail (written whenever there are purchase days): nothing when there are none.
            if (state.purchases() != null) {
                out.writeBoolean(true);
                state.purchases().write(out);
            }
            out.flush();
            ByteArrayOutputStream value = buffers.value;
            BinaryEncoder head = buffers.headEncoder = EncoderFactory.get().binaryEncoder(value, buffers.headEncoder);
            value.reset();
            value.write(VERSION);
            head.writeLong(ref);
            table.write(head);
            head.flush();
            body.writeTo(value);
            return value.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("CustomerStateSerde: cannot write", e);
        }
    }

    @Override
    public CustomerState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0 || data[0] > VERSION) {
            throw new SerializationException("CustomerStateSerde: format version "
                    + (data.length == 0 ? "missing" : data[0]) + " is not one this release reads (" + VERSION + ")");
        }
        try {
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
            long ref = in.readLong();
            List<String> strings = StringTable.read(in);
            CustomerTimeline timeline = readTimeline(in, ref, strings);
            List<CustomerState.SeenEvent> seen = readSeen(in, ref);
            CustomerProfile profile = in.readBoolean() ? CustomerProfile.read(in, ref, i -> string(strings, i)) : null;
            CohortLedger cohort = null;
            if (!in.isEnd()) {
                timeline = readTail(timeline, in, ref, strings);
                cohort = !in.isEnd() && in.readBoolean() ? readLedger(in, strings) : null;
            }
            PurchaseDays purchases = !in.isEnd() && in.readBoolean() ? PurchaseDays.read(in) : null;
            CustomerState state = new CustomerState(timeline, seen, profile, purchases);
            state.cohort(cohort);
            return state;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("CustomerStateSerde: corrupt record", e);
        }
    }

    /** The customer's latest known instant, so that the instants written relative to it are small. */
    private static long referenceInstant(CustomerState state) {
        List<TimelineEntry> entries = state.timeline().entries();
        if (!entries.isEmpty()) {
            return entries.get(entries.size() - 1).time();
        }
        if (state.profile() != null && state.profile().lastEventAt() != CustomerProfile.NONE) {
            return state.profile().lastEventAt();
        }
        return state.seen().isEmpty() ? 0 : state.seen().get(state.seen().size() - 1).at();
    }

    private static void writeTimeline(CustomerTimeline t, long ref, StringTable table, Encoder out) throws IOException {
        Lifecycle base = t.base();
        out.writeInt((base.active() ? 1 : 0) | (base.everSignedUp() ? 2 : 0));
        writeDimensions(base.dimensions(), table, out);
        List<TimelineEntry> entries = t.entries();
        out.writeInt(entries.size());
        long previous = ref;
        for (TimelineEntry e : entries) {
            out.writeLong(e.time() - previous);
            previous = e.time();
            int header = e.kind().ordinal();
            if (e.kind() == TimelineEntry.Kind.SURVEY) {
                header |= e.survey().ordinal() << 2 | e.score() << 4;
            }
            out.writeInt(header);
            switch (e.kind()) {
                case SIGNUP -> writeDimensions(e.signupDimensions(), table, out);
                case PURCHASE -> out.writeLong(e.amountCents());
                case CANCELLATION, SURVEY -> { }
            }
        }
    }

    private static CustomerTimeline readTimeline(Decoder in, long ref, List<String> strings) throws IOException {
        int flags = in.readInt();
        Lifecycle base = new Lifecycle((flags & 1) != 0, (flags & 2) != 0, readDimensions(in, strings));
        int n = in.readInt();
        List<TimelineEntry> entries = new ArrayList<>(n + 1);
        long time = ref;
        for (int i = 0; i < n; i++) {
            time += in.readLong();
            int header = in.readInt();
            entries.add(switch (KINDS[header & 3]) {
                case SIGNUP -> TimelineEntry.signup(time, readDimensions(in, strings));
                case CANCELLATION -> TimelineEntry.cancellation(time, ChurnReasons.UNSPECIFIED);
                case PURCHASE -> TimelineEntry.purchase(time, in.readLong());
                case SURVEY -> TimelineEntry.survey(time, SURVEYS[(header >> 2) & 3], header >> 4);
            });
        }
        return new CustomerTimeline(base, entries);
    }

    private static void writeTail(CustomerState state, long ref, StringTable table, Encoder out) throws IOException {
        CustomerTimeline t = state.timeline();
        long lastActivity = t.base().lastActivity();
        boolean cancellations = t.entries().stream().anyMatch(e -> e.kind() == TimelineEntry.Kind.CANCELLATION);
        if (lastActivity == Lifecycle.NO_ACTIVITY && !cancellations && state.cohort() == null && state.purchases() == null) {
            return; // nothing after the profile: a value as earlier releases wrote it
        }
        out.writeBoolean(lastActivity != Lifecycle.NO_ACTIVITY);
        if (lastActivity != Lifecycle.NO_ACTIVITY) {
            out.writeLong(lastActivity - ref);
        }
        for (TimelineEntry e : t.entries()) {
            if (e.kind() == TimelineEntry.Kind.CANCELLATION) {
                out.writeInt(table.ref(e.reason()));
            }
        }
        CohortLedger ledger = state.cohort();
        out.writeBoolean(ledger != null);
        if (ledger != null) {
            out.writeLong(ledger.cohort());
            writeDimensions(ledger.dimensions(), table, out);
            out.writeInt(ledger.cells());
            for (int k = 0; k < ledger.cells(); k++) {
                out.writeBoolean(ledger.retained(k));
                out.writeLong(ledger.revenueCents(k));
                out.writeBoolean(ledger.active(k));
            }
        }
    }

    private static CohortLedger readLedger(Decoder in, List<String> strings) throws IOException {
        long cohort = in.readLong();
        Dimensions dimensions = readDimensions(in, strings);
        int cells = in.readInt();
        boolean[] retained = new boolean[cells];
        long[] revenue = new long[cells];
        boolean[] active = new boolean[cells];
        for (int k = 0; k < cells; k++) {
            retained[k] = in.readBoolean();
            revenue[k] = in.readLong();
            active[k] = in.readBoolean();
        }
        return new CohortLedger(cohort, dimensions, retained, revenue, active);
    }

    private static CustomerTimeline readTail(CustomerTimeline read, Decoder in, long ref, List<String> strings)
            throws IOException {
        Lifecycle base = read.base();
        if (in.readBoolean()) {
            base = new Lifecycle(base.active(), base.everSignedUp(), base.dimensions(), ref + in.readLong());
        }
        List<TimelineEntry> entries = new ArrayList<>(read.entries().size() + 1);
        for (TimelineEntry e : read.entries()) {
            entries.add(e.kind() == TimelineEntry.Kind.CANCELLATION
                    ? TimelineEntry.cancellation(e.time(), string(strings, in.readInt())) : e);
        }
        return new CustomerTimeline(base, entries);
    }

    private static void writeSeen(List<CustomerState.SeenEvent> seen, long ref, Encoder out) throws IOException {
        out.writeInt(seen.size());
        for (CustomerState.SeenEvent e : seen) {
            out.writeString(e.eventId());
            out.writeLong(e.at() - ref);
        }
    }

    private static List<CustomerState.SeenEvent> readSeen(Decoder in, long ref) throws IOException {
        int n = in.readInt();
        List<CustomerState.SeenEvent> seen = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            seen.add(new CustomerState.SeenEvent(in.readString(), ref + in.readLong()));
        }
        return seen;
    }

    private static void writeDimensions(Dimensions d, StringTable table, Encoder out) throws IOException {
        out.writeInt(table.ref(d.plan()));
        out.writeInt(table.ref(d.country()));
        out.writeInt(table.ref(d.channel()));
    }

    private static Dimensions readDimensions(Decoder in, List<String> strings) throws IOException {
        return new Dimensions(string(strings, in.readInt()), string(strings, in.readInt()), string(strings, in.readInt()));
    }

    private static String string(List<String> strings, int ref) {
        return ref == 0 ? null : strings.get(ref - 1);
    }

    /** The distinct strings of one value, in order of first use. */
    private static final class StringTable {
        private final Map<String, Integer> refs = new HashMap<>();
        private final List<String> strings = new ArrayList<>();

        int ref(String s) {
            if (s == null) {
                return 0;
            }
            return refs.computeIfAbsent(s, k -> {
                strings.add(k);
                return strings.size();
            });
        }

        void write(Encoder out) throws IOException {
            out.writeInt(strings.size());
            for (String s : strings) {
                out.writeString(s);
            }
        }

        static List<String> read(Decoder in) throws IOException {
            int n = in.readInt();
            List<String> strings = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                strings.add(in.readString());
            }
            return strings;
        }
    }

    @Override
    public Serializer<CustomerState> serializer() {
        return this;
    }

    @Override
    public Deserializer<CustomerState> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
