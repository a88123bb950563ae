package com.cns.xprotect.simulator;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.w3c.dom.Element;

/**
 * ServerCommandService is the management server's WCF SOAP service on
 * {@code /ManagementServer/ServerCommandServiceOAuth.svc}: {@code Login} with a bearer IDP token
 * answers a VMS token and its TimeToLive; {@code Logout} revokes it.
 */
final class ServerCommandService {
    static final String NS = "http://videoos.net/2/XProtectCSServerCommand";
    private final TokenRegistry tokens;

    ServerCommandService(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    void mount(Router router) {
        router.post("/ManagementServer/ServerCommandServiceOAuth.svc").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (!tokens.validIdpToken(bearer)) {
            // WCF answers an unauthenticated OAuth binding with a bare 401.
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer").end();
            return;
        }
        Element op = SoapMessages.operation(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        if (op == null) {
            soap(ctx, 500, SoapMessages.fault("Client", "Bad request", 40000, 0));
            return;
        }
        switch (op.getLocalName()) {
            case "Login" -> login(ctx);
            case "Logout" -> {
                String token = SoapMessages.text(op, "token");
                tokens.revokeVmsToken(token);
                soap(ctx, 200, wcf("<LogoutResponse xmlns=\"" + NS + "\"/>"));
            }
            default -> soap(ctx, 500, SoapMessages.fault("Client", "Method '" + op.getLocalName()
                    + "' not supported", 40000, 0));
        }
    }

    private void login(RoutingContext ctx) {
        String token = tokens.issueVmsToken();
        long micros = tokens.vmsTtl().toNanos() / 1000;
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        soap(ctx, 200, wcf("<LoginResponse xmlns=\"" + NS + "\"><LoginResult "
                + "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><RegistrationTime>" + now
                + "</RegistrationTime><TimeToLive><MicroSeconds>" + micros + "</MicroSeconds></TimeToLive>"
                + "<TimeToLiveLimited>false</TimeToLiveLimited><Token>" + token + "</Token></LoginResult>"
                + "</LoginResponse>"));
    }

    private static String wcf(String body) {
        return "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" + body
                + "</s:Body></s:Envelope>";
    }

    private static void soap(RoutingContext ctx, int status, String xml) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/xml; charset=utf-8").end(xml);
    }
}
