package com.cns.gateway.api.errors;

/** NotFoundException: what the request names does not exist, or the caller may not know it exists (404). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
