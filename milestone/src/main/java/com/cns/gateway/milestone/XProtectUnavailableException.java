package com.cns.gateway.milestone;

import java.time.Duration;

/**
 * XProtectUnavailableException means XProtect could not be reached or did not answer usefully
 * (refused or dropped connection, timeout, 5xx, open circuit). It is worth retrying after
 * {@link #retryAfter()}.
 */
public class XProtectUnavailableException extends XProtectException {
    private final Duration retryAfter;

    public XProtectUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
