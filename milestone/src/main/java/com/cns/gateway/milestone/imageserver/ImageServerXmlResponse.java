package com.cns.gateway.milestone.imageserver;

import java.util.Map;

/**
 * ImageServerXmlResponse is an XML message from the ImageServer: a {@code <methodresponse>} (to
 * {@code connect}, {@code connectupdate}, {@code stop}...) or a {@code <livepackage>} status, with its
 * top-level fields as text (nested elements are flattened to their text).
 */
public record ImageServerXmlResponse(String root, Integer requestId, String method, Map<String, String> fields,
                                     String xml) {
    /** {@code <connected>yes</connected>} of a connect answer. */
    public boolean connected() {
        return "yes".equalsIgnoreCase(fields.get("connected"));
    }

    public String errorReason() {
        return fields.get("errorreason");
    }
}
