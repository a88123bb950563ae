package com.cns.gateway.api.errors;

/** UpstreamRefusedException: XProtect answered, but refused what the gateway asked of it on the caller's behalf (502). */
public final class UpstreamRefusedException extends RuntimeException {
    public UpstreamRefusedException(String message) {
        super(message, null, false, false);
    }
}
