package com.cns.gateway.milestone;

import java.time.Duration;

/**
 * XProtectAuthenticationException means XProtect refused the gateway's own credentials (the IDP
 * answered {@code invalid_grant}, or a fresh token was still refused). Clients of the gateway cannot
 * fix this, so it is reported as XProtect being unavailable, naming the cause.
 */
public class XProtectAuthenticationException extends XProtectUnavailableException {
    public XProtectAuthenticationException(String message) {
        super(message, Duration.ofSeconds(30), null);
    }
}
