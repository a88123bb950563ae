package com.cns.gateway.milestone.soap;

import java.time.Duration;
import org.w3c.dom.Document;

/**
 * ServerCommandLogin writes the {@code Login} request of the management server's
 * ServerCommandService and reads its answer (research/milestone-protocols.md §1, from Milestone's
 * OauthLoginFlow sample and a real server's capture).
 */
public final class ServerCommandLogin {
    public static final String PATH = "/ManagementServer/ServerCommandServiceOAuth.svc";
    public static final String NS = "http://videoos.net/2/XProtectCSServerCommand";
    public static final String LOGIN_ACTION = NS + "/IServerCommandService/Login";

    private ServerCommandLogin() {
    }

    /** @param currentToken the token being renewed, or null for a first login */
    public static String request(String instanceId, String currentToken) {
        String current = currentToken == null ? "<currentToken />"
                : "<currentToken>" + SoapXml.escape(currentToken) + "</currentToken>";
        return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><Login xmlns=\"" + NS
                + "\"><instanceId>" + instanceId + "</instanceId>" + current + "</Login></s:Body></s:Envelope>";
    }

    public static VmsToken parse(String xml) {
        Document doc = SoapXml.parse(xml);
        SoapXml.throwIfFault(doc);
        String token = SoapXml.text(doc.getDocumentElement(), "Token");
        String micros = SoapXml.text(doc.getDocumentElement(), "MicroSeconds");
        if (token == null || token.isEmpty() || micros == null) {
            throw new SoapFaultException("Login answer without Token or TimeToLive", null, -1, -1);
        }
        try {
            return new VmsToken(token, Duration.ofNanos(Long.parseLong(micros) * 1000));
        } catch (NumberFormatException e) {
            throw new SoapFaultException("Login answer with a bad TimeToLive '" + micros + "'", null, -1, -1);
        }
    }
}
