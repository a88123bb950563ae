package com.cns.gateway.api.recordings;

import java.time.Instant;

/** RecordingStatus is a camera's recording state at {@code at}: its last session (null: none yet), running or not. */
public record RecordingStatus(RecordingSession last, Instant at) {
    public boolean running() {
        return last != null && last.state().active();
    }
}
