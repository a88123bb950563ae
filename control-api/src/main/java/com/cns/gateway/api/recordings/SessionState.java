package com.cns.gateway.api.recordings;

/**
 * SessionState is where a manual recording session is in its life:
 * {@code starting → recording → stopping → stopped}, or {@code failed} from any of the first three.
 * The first three are active: a camera has at most one active session.
 */
public enum SessionState {
    STARTING, RECORDING, STOPPING, STOPPED, FAILED;

    public String db() {
        return name().toLowerCase();
    }

    public boolean active() {
        return this == STARTING || this == RECORDING || this == STOPPING;
    }

    public static SessionState of(String db) {
        return valueOf(db.toUpperCase());
    }
}
