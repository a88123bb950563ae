package com.cns.gateway.milestone.soap;

import com.cns.gateway.milestone.XProtectException;

/** SoapFaultException is a {@code soap:Fault} answered by XProtect, with its error numbers. */
public final class SoapFaultException extends XProtectException {
    private final String faultCode;
    private final int errorNumber;
    private final int subErrorNumber;

    public SoapFaultException(String faultString, String faultCode, int errorNumber, int subErrorNumber) {
        super("XProtect SOAP fault " + errorNumber + "/" + subErrorNumber + ": " + faultString);
        this.faultCode = faultCode;
        this.errorNumber = errorNumber;
        this.subErrorNumber = subErrorNumber;
    }

    public String faultCode() {
        return faultCode;
    }

    public int errorNumber() {
        return errorNumber;
    }

    public int subErrorNumber() {
        return subErrorNumber;
    }

    /** 20001 is XProtect's token error: 1 no token supplied, 2 token invalid or expired. */
    public boolean isTokenError() {
        return errorNumber == 20001;
    }
}
