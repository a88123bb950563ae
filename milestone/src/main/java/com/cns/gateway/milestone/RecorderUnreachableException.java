package com.cns.gateway.milestone;

import java.net.URI;
import java.time.Duration;

/**
 * RecorderUnreachableException means a recording server refused or dropped the connection (ImageServer
 * or RecorderCommandService): the camera may have moved to another (failover) recording server, so
 * the caller may re-read where it records from XProtect before giving up.
 */
public final class RecorderUnreachableException extends XProtectUnavailableException {
    private final URI recorder;

    public RecorderUnreachableException(URI recorder, String message, Throwable cause) {
        super(message, Duration.ofSeconds(5), cause);
        this.recorder = recorder;
    }

    public URI recorder() {
        return recorder;
    }

    /** The recorder an outage names, if {@code e} or one of its causes is this exception. */
    public static RecorderUnreachableException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecorderUnreachableException r) {
                return r;
            }
        }
        return null;
    }
}
