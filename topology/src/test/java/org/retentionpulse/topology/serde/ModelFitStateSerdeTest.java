package org.retentionpulse.topology.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.GammaGamma;
import org.retentionpulse.topology.modelfit.FittedModel;
import org.retentionpulse.topology.modelfit.ModelFitState;

/** The customer-model store's values: the backoff schedule round-trips, and a value of the format before it is read. */
class ModelFitStateSerdeTest {
    private static final long DAY = 86_400_000L;
    private final ModelFitStateSerde serde = new ModelFitStateSerde();
    private final FittedModel fit = new FittedModel("plan=pro", 2, 40 * DAY,
            new BgNbd.Fit(new BgNbd(0.243, 4.414, 0.793, 2.426), -9582.4, 2357, 612),
            new GammaGamma.Fit(new GammaGamma(6.25, 3.74, 15.45), -4000.1, 946, 300), 1234);

    @Test
    void aStateWithItsScheduleAndLatestFitRoundTripsBitForBit() {
        ModelFitState failing = new ModelFitState(47 * DAY, 63 * DAY, 6, fit, "fit of plan=pro failed: no convergence");
        assertEquals(failing, serde.deserialize("t", serde.serialize("t", failing)));
        assertEquals(ModelFitState.NONE, serde.deserialize("t", serde.serialize("t", ModelFitState.NONE)));
    }

    @Test
    void aValueWrittenBeforeTheBackoffIsDueAtTheNextInstantWithItsFailureCounted() throws IOException {
        assertEquals(new ModelFitState(40 * DAY, Long.MIN_VALUE, 1, null, "failed"),
                serde.deserialize("t", version1(40 * DAY, "failed")));
        assertEquals(new ModelFitState(40 * DAY, Long.MIN_VALUE, 0, null, null), serde.deserialize("t", version1(40 * DAY, null)));
    }

    @Test
    void anUnknownVersionIsRefused() {
        assertThrows(SerializationException.class, () -> serde.deserialize("t", new byte[] {9, 0}));
    }

    /** The layout of version 1: attempted_at, no fit, the failure. */
    private static byte[] version1(long attemptedAt, String failure) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(1);
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        out.writeLong(attemptedAt);
        out.writeBoolean(false);
        out.writeBoolean(failure != null);
        if (failure != null) {
            out.writeString(failure);
        }
        return bytes.toByteArray();
    }
}
