package org.retentionpulse.topology.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
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
