package org.retentionpulse.topology.serde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.topology.customer.CustomerTimeline;
import org.retentionpulse.topology.customer.Dimensions;
import org.retentionpulse.topology.customer.Lifecycle;
import org.retentionpulse.topology.customer.TimelineEntry;

/** Format of the {@code customer-timelines} store: the base lifecycle, then the entries in order. */
public final class CustomerTimelineSerde extends BinaryCodec<CustomerTimeline> {
    private static final SurveyType[] SURVEYS = SurveyType.values();

    public CustomerTimelineSerde() {
        super(1);
    }

    @Override
    void write(CustomerTimeline t, DataOutputStream out) throws IOException {
        Lifecycle base = t.base();
        out.writeByte((base.active() ? 1 : 0) | (base.everSignedUp() ? 2 : 0));
        writeDimensions(base.dimensions(), out);
        List<TimelineEntry> entries = t.entries();
        out.writeInt(entries.size());
        for (TimelineEntry e : entries) {
            out.writeLong(e.time());
            out.writeByte(e.kind().ordinal());
            switch (e.kind()) {
                case SIGNUP -> writeDimensions(e.signupDimensions(), out);
                case PURCHASE -> out.writeLong(e.amountCents());
                case SURVEY -> {
                    out.writeByte(e.survey().ordinal());
                    out.writeByte(e.score());
                }
                case CANCELLATION -> { }
            }
        }
    }

    @Override
    CustomerTimeline read(DataInputStream in, byte version) throws IOException {
        int flags = in.readByte();
        Lifecycle base = new Lifecycle((flags & 1) != 0, (flags & 2) != 0, readDimensions(in));
        int n = in.readInt();
        List<TimelineEntry> entries = new ArrayList<>(n + 1);
        TimelineEntry.Kind[] kinds = TimelineEntry.Kind.values();
        for (int i = 0; i < n; i++) {
            long time = in.readLong();
            TimelineEntry.Kind kind = kinds[in.readByte()];
            entries.add(switch (kind) {
                case SIGNUP -> TimelineEntry.signup(time, readDimensions(in));
                case CANCELLATION -> TimelineEntry.cancellation(time);
                case PURCHASE -> TimelineEntry.purchase(time, in.readLong());
                case SURVEY -> TimelineEntry.survey(time, SURVEYS[in.readByte()], in.readByte());
            });
        }
        return new CustomerTimeline(base, entries);
    }

    private static void writeDimensions(Dimensions d, DataOutputStream out) throws IOException {
        out.writeUTF(d.plan());
        out.writeUTF(d.country());
        out.writeUTF(d.channel());
    }

    private static Dimensions readDimensions(DataInputStream in) throws IOException {
        return new Dimensions(in.readUTF(), in.readUTF(), in.readUTF());
    }
}
