package com.cns.gateway.milestone;

/** XProtectException is a failure of a call to XProtect that the gateway can describe to a client. */
public class XProtectException extends RuntimeException {
    public XProtectException(String message) {
        super(message);
    }

    public XProtectException(String message, Throwable cause) {
        super(message, cause);
    }
}
