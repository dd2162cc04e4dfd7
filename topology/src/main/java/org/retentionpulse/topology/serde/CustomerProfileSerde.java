package org.retentionpulse.topology.serde;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.retentionpulse.topology.alerts.CustomerProfile;

/** Store format of {@link CustomerProfile} (layout in {@link CustomerProfile#write}). */
public final class CustomerProfileSerde extends BinaryCodec<CustomerProfile> {
    private static final int VERSION = 1;

    public CustomerProfileSerde() {
        super(VERSION);
    }

    @Override
    void write(CustomerProfile value, DataOutputStream out) throws IOException {
        value.write(out);
    }

    @Override
    CustomerProfile read(DataInputStream in, byte version) throws IOException {
        return CustomerProfile.read(in);
    }
}
