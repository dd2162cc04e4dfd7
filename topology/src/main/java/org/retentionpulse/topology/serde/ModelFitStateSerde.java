package org.retentionpulse.topology.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.GammaGamma;
import org.retentionpulse.topology.modelfit.FittedModel;
import org.retentionpulse.topology.modelfit.ModelFitState;

/**
 * Format of the {@code customer-model} store (Avro binary encoding, written with Avro's encoder):
 * <pre>
 *  version byte (2)
 *  long evaluated_at, long next_attempt_at, int failures
 *  boolean fitted, then: string segment, int partition, long fitted_at,
 *          double r, alpha, a, b, log-likelihood, int customers, int evaluations (BG/NBD),
 *          double p, q, v, log-likelihood, int customers, int evaluations (Gamma-Gamma), long fit_micros
 *  boolean failed, then: string failure
 * </pre>
 * Doubles are written bit for bit, so a restored task scores with exactly the parameters it had. Version 1 (before
 * the fit backoff) had {@code long attempted_at} alone where version 2 has its first three fields, and is still read:
 * its segment was tried at every scheduled instant, so it is due at the next one, after one failure if it had one.
 */
public final class ModelFitStateSerde implements Serde<ModelFitState>, Serializer<ModelFitState>, Deserializer<ModelFitState> {
    private static final byte VERSION = 2;
    private static final byte VERSION_BEFORE_BACKOFF = 1;

    @Override
    public byte[] serialize(String topic, ModelFitState state) {
        if (state == null) {
            return null;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
            bytes.write(VERSION);
            BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
            out.writeLong(state.evaluatedAt());
            out.writeLong(state.nextAttemptAt());
            out.writeInt(state.failures());
            out.writeBoolean(state.latest() != null);
            if (state.latest() != null) {
                write(state.latest(), out);
            }
            out.writeBoolean(state.failure() != null);
            if (state.failure() != null) {
                out.writeString(state.failure());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("ModelFitStateSerde: cannot write", e);
        }
    }

    private static void write(FittedModel m, Encoder out) throws IOException {
        out.writeString(m.segment());
        out.writeInt(m.partition());
        out.writeLong(m.fittedAt());
        BgNbd bg = m.purchases().model();
        for (double d : new double[] {bg.r(), bg.alpha(), bg.a(), bg.b(), m.purchases().logLikelihood()}) {
            out.writeDouble(d);
        }
        out.writeInt(m.purchases().customers());
        out.writeInt(m.purchases().evaluations());
        GammaGamma gg = m.spend().model();
        for (double d : new double[] {gg.p(), gg.q(), gg.v(), m.spend().logLikelihood()}) {
            out.writeDouble(d);
        }
        out.writeInt(m.spend().customers());
        out.writeInt(m.spend().evaluations());
        out.writeLong(m.fitMicros());
    }

    @Override
    public ModelFitState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0 || (data[0] != VERSION && data[0] != VERSION_BEFORE_BACKOFF)) {
            throw new SerializationException("ModelFitStateSerde: format version " + (data.length == 0 ? "missing" : data[0])
                    + " is not one this release reads (" + VERSION_BEFORE_BACKOFF + ", " + VERSION + ")");
        }
        try {
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
            long evaluatedAt = in.readLong();
            boolean backoff = data[0] == VERSION;
            long nextAttemptAt = backoff ? in.readLong() : Long.MIN_VALUE;
            int failures = backoff ? in.readInt() : 0;
            FittedModel latest = in.readBoolean() ? read(in) : null;
            String failure = in.readBoolean() ? in.readString() : null;
            return new ModelFitState(evaluatedAt, nextAttemptAt, backoff || failure == null ? failures : 1, latest, failure);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("ModelFitStateSerde: corrupt record", e);
        }
    }

    private static FittedModel read(Decoder in) throws IOException {
        String segment = in.readString();
        int partition = in.readInt();
        long fittedAt = in.readLong();
        BgNbd bg = new BgNbd(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        BgNbd.Fit purchases = new BgNbd.Fit(bg, in.readDouble(), in.readInt(), in.readInt());
        GammaGamma gg = new GammaGamma(in.readDouble(), in.readDouble(), in.readDouble());
        GammaGamma.Fit spend = new GammaGamma.Fit(gg, in.readDouble(), in.readInt(), in.readInt());
        return new FittedModel(segment, partition, fittedAt, purchases, spend, in.readLong());
    }

    @Override
    public Serializer<ModelFitState> serializer() {
        return this;
    }

    @Override
    public Deserializer<ModelFitState> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
