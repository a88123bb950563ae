package com.cns.gateway.api.auth;

/** SignatureException: a signed URL that is tampered, expired or signed for another path (403). */
public final class SignatureException extends RuntimeException {
    public SignatureException(String message) {
        super(message, null, false, false);
    }
}
