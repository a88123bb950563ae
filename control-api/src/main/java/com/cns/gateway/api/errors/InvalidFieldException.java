package com.cns.gateway.api.errors;

/**
 * InvalidFieldException: a field of the request is out of what the service accepts for this
 * resource (400), with the limit a client can adjust to ({@code max}, in the field's own unit).
 */
public final class InvalidFieldException extends RuntimeException {
    private final String field;
    private final Long max;

    public InvalidFieldException(String field, String message, Long max) {
        super(message, null, false, false);
        this.field = field;
        this.max = max;
    }

    public String field() {
        return field;
    }

    public Long max() {
        return max;
    }
}
