package org.retentionpulse.topology.serde;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Base of the compact binary serdes for internal topics and stores: a version byte, then the fields written
 * with {@link DataOutputStream}. Internal formats never leave the application, so they favour speed over
 * self-description; the version byte lets a newer release read what an older one wrote.
 */
abstract class BinaryCodec<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final byte version;

    BinaryCodec(int version) {
        this.version = (byte) version;
    }

    abstract void write(T value, DataOutputStream out) throws IOException;

    abstract T read(DataInputStream in, byte version) throws IOException;

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        Bytes bytes = new Bytes();
        try (DataOutputStream out = new UnlockedDataOutput(bytes)) {
            out.writeByte(version);
            write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte v = in.readByte();
            if (v > version) {
                throw new SerializationException(getClass().getSimpleName() + ": format version " + v
                        + " is newer than this release understands (" + version + ")");
            }
            return read(in, v);
        } catch (IOException e) {
            throw new SerializationException(getClass().getSimpleName() + ": corrupt record", e);
        }
    }

    /**
     * {@link DataOutputStream} without the lock of its {@code write} methods. The Avro encoders of the subclasses write
     * their varints a byte at a time into the stream they are given, and {@code DataOutputStream.write(int)} is
     * {@code synchronized}: with no biased locking since JDK 15 each byte cost an atomic operation, and that frame was
     * 5 % of the stream thread in a backfill (the journal's entries). The bytes written are the same.
     */
    private static final class UnlockedDataOutput extends DataOutputStream {
        UnlockedDataOutput(Bytes out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
        }
    }

    /**
     * A growable byte array without {@link java.io.ByteArrayOutputStream}'s lock: {@link DataOutputStream} writes most
     * fields a byte at a time, and the synchronized {@code write(int)} per byte was the top frame of the stream thread.
     * One per call (a serde may be shared by the stream threads).
     */
    private static final class Bytes extends OutputStream {
        private byte[] buf = new byte[256];
        private int count;

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
