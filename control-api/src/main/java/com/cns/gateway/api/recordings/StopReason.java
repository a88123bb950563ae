package com.cns.gateway.api.recordings;

/**
 * StopReason says why a session ended: an operator ({@code user}), the gateway's auto-stop at the
 * requested duration ({@code auto}), XProtect's own manual-recording timeout
 * ({@code xprotect_timeout}), or anything else, such as another operator or a failed stop
 * ({@code failure}).
 */
public enum StopReason {
    USER, AUTO, XPROTECT_TIMEOUT, FAILURE;

    public String db() {
        return name().toLowerCase();
    }

    public static StopReason of(String db) {
        return db == null ? null : valueOf(db.toUpperCase());
    }
}
