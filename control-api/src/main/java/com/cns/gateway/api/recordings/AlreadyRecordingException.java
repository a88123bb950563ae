package com.cns.gateway.api.recordings;

import com.cns.gateway.api.errors.ConflictException;
import java.time.Instant;

/** AlreadyRecordingException: a start while the camera records already (409, with the recording that runs). */
public final class AlreadyRecordingException extends ConflictException {
    private final transient RecordingSession current;
    private final Instant at;

    public AlreadyRecordingException(RecordingSession current, Instant at) {
        super("Camera is already recording", "recordingId", current == null ? null : current.recordingId());
        this.current = current;
        this.at = at;
    }

    public RecordingSession current() {
        return current;
    }

    public Instant at() {
        return at;
    }
}
