package com.cns.gateway.api.auth;

/** TooManyRequestsException: over a rate limit or locked out after failed logins (429 with {@code Retry-After}). */
public final class TooManyRequestsException extends RuntimeException {
    private final long retryAfterSeconds;

    public TooManyRequestsException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
