package com.cns.gateway.api.auth;

/**
 * AuthenticationException: the request does not prove who makes it (401): no token, or one that is
 * expired, forged, of another issuer or audience. {@code code} is RFC 6750's {@code error} value.
 */
public final class AuthenticationException extends RuntimeException {
    private final String code;

    public AuthenticationException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** No credentials at all. */
    public static AuthenticationException missing(String what) {
        return new AuthenticationException(null, what);
    }

    public static AuthenticationException invalid(String message) {
        return new AuthenticationException("invalid_token", message);
    }

    /** RFC 6750's error code ({@code invalid_token}), null when no credentials came. */
    public String code() {
        return code;
    }
}
