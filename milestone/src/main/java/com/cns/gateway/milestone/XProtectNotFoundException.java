package com.cns.gateway.milestone;

/** XProtectNotFoundException means XProtect answered that the object asked for does not exist. */
public class XProtectNotFoundException extends XProtectException {
    public XProtectNotFoundException(String message) {
        super(message);
    }
}
