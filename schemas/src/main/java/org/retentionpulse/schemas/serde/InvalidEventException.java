package org.retentionpulse.schemas.serde;

import java.util.Objects;

/**
 * A record that cannot be decoded or breaks a rule of the event contract. Deserializers throw it so that
 * the streams deserialization handler routes the record to the dead-letter topic; {@link #reason()} says
 * why in machine-readable form, the message says what exactly (field and value).
 *
 * <p>No stack trace is captured: a rejection describes bad data, not a code path, and a burst of bad
 * records should not cost a stack walk each. The cause, if any, keeps its own trace.
 */
public class InvalidEventException extends RuntimeException {

    private final RejectReason reason;

    public InvalidEventException(RejectReason reason, String message) {
        this(reason, message, null);
    }

    public InvalidEventException(RejectReason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the record was rejected. */
    public RejectReason reason() {
        return reason;
    }
}
