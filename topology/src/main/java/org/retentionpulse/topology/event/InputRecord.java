package org.retentionpulse.topology.event;

/**
 * One input record, decoded once at the edge by the input deserializer: a {@link CustomerEvent} or a
 * {@link Tick}. Everything downstream works on these types, never on the Avro classes of the wire format.
 */
public sealed interface InputRecord permits CustomerEvent, Tick {
}
