package com.cns.gateway.milestone.imageserver;

import com.cns.gateway.milestone.soap.SoapXml;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ImageServerRequest is one {@code <methodcall>} of the ImageServer protocol: a request id, a method
 * name and its parameters in order. Parameter values are text (escaped when written), except those
 * given as raw XML for nested elements such as {@code <transcode><allframes>yes</allframes></transcode>}.
 */
public record ImageServerRequest(int requestId, String method, Map<String, String> params, String rawXml) {

    public static ImageServerRequest of(int requestId, String method) {
        return new ImageServerRequest(requestId, method, new LinkedHashMap<>(), "");
    }

    public ImageServerRequest param(String name, Object value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(name, String.valueOf(value));
        return new ImageServerRequest(requestId, method, p, rawXml);
    }

    public ImageServerRequest raw(String xml) {
        return new ImageServerRequest(requestId, method, params, rawXml + xml);
    }

    /** {@code goto}: the frame at or before {@code timeMs} (UTC ms), optionally keyframes only. */
    public static ImageServerRequest goTo(int requestId, long timeMs, boolean keyframesOnly) {
        return of(requestId, "goto").param("time", timeMs).param("keyframesonly", keyframesOnly ? "yes" : "no");
    }

    /** The XML text, without the CRLFCRLF terminator. */
    public String toXml() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><methodcall><requestid>")
                .append(requestId).append("</requestid><methodname>").append(SoapXml.escape(method))
                .append("</methodname>");
        params.forEach((k, v) -> sb.append('<').append(k).append('>').append(SoapXml.escape(v)).append("</")
                .append(k).append('>'));
        return sb.append(rawXml).append("</methodcall>").toString();
    }
}
