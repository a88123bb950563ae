package com.cns.xprotect.simulator;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * IdpEndpoint is the identity provider: the OAuth2 password grant for basic users with
 * {@code client_id=GrantValidatorClient}, reachable through the API Gateway
 * ({@code /API/IDP/connect/token}) and directly ({@code /IDP/connect/token}), plus the discovery
 * documents a client reads first.
 */
final class IdpEndpoint {
    private final TokenRegistry tokens;
    private final String username;
    private final String password;
    private volatile boolean rejectLogins;

    /** The domain of the simulator's Windows user: {@code XPSIM\<username>} with the basic user's password. */
    static final String WINDOWS_DOMAIN = "XPSIM";
    private final NtlmVerifier ntlm;

    IdpEndpoint(TokenRegistry tokens, String username, String password) {
        this.tokens = tokens;
        this.username = username;
        this.password = password;
        this.ntlm = new NtlmVerifier(WINDOWS_DOMAIN, username, password);
    }

    void rejectLogins(boolean reject) {
        this.rejectLogins = reject;
    }

    void mount(Router router, String baseUrl) {
        router.post("/API/IDP/connect/token").handler(ctx -> token(ctx, baseUrl));
        router.post("/IDP/connect/token").handler(ctx -> token(ctx, baseUrl));
        router.get("/api/.well-known/uris").handler(ctx -> ctx.json(new JsonObject()
                .put("ProductVersion", "25.1.6451.1").put("UnsecureManagementServer", baseUrl + "/")
                .put("SecureManagementServer", baseUrl + "/").put("IdentityProvider", baseUrl + "/IDP")
                .put("ApiGateways", new io.vertx.core.json.JsonArray().add(baseUrl + "/API/"))));
        router.get("/IDP/.well-known/openid-configuration").handler(ctx -> ctx.json(new JsonObject()
                .put("issuer", baseUrl + "/IDP").put("token_endpoint", baseUrl + "/IDP/connect/token")
                .put("server_version", "25.1.6451.1")));
    }

    private void token(RoutingContext ctx, String baseUrl) {
        var form = ctx.request().formAttributes();
        String grant = form.get("grant_type");
        if ("windows_credentials".equals(grant)) {
            windows(ctx, baseUrl);
            return;
        }
        if (!"password".equals(grant)) {
            oauthError(ctx, "unsupported_grant_type", "Grant type '" + grant + "' is not supported");
            return;
        }
        if (!"GrantValidatorClient".equals(form.get("client_id"))) {
            oauthError(ctx, "invalid_client", "Unknown client");
            return;
        }
        if (rejectLogins || !username.equals(form.get("username")) || !password.equals(form.get("password"))) {
            oauthError(ctx, "invalid_grant", "invalid_username_or_password");
            return;
        }
        String token = tokens.issueIdpToken(username, baseUrl + "/IDP");
        ctx.response().putHeader("Cache-Control", "no-store");
        ctx.json(new JsonObject().put("access_token", token).put("expires_in", tokens.idpTtl().toSeconds())
                .put("token_type", "Bearer").put("scope", "managementserver"));
    }

    /**
     * The {@code windows_credentials} grant, as the IDP itself answers it (not through the API
     * Gateway): HTTP NTLM over one connection, then the same token answer as the password grant.
     */
    private void windows(RoutingContext ctx, String baseUrl) {
        if (ctx.request().path().startsWith("/API/")) {
            oauthError(ctx, "unsupported_grant_type", "The API Gateway does not pass Windows authentication through; "
                    + "ask the IDP directly");
            return;
        }
        var connection = ctx.request().connection();
        String auth = ctx.request().getHeader("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "NTLM ", 0, 5)) {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "NTLM").end();
            return;
        }
        byte[] message = java.util.Base64.getDecoder().decode(auth.substring(5).trim());
        if (message.length > 8 && message[8] == 1) {
            connection.closeHandler(v -> ntlm.forget(connection));
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "NTLM " + ntlm.challenge(connection)).end();
            return;
        }
        if (rejectLogins || !ntlm.verify(connection, auth.substring(5).trim())) {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "NTLM").end();
            return;
        }
        String token = tokens.issueIdpToken(WINDOWS_DOMAIN + "\\" + username, baseUrl + "/IDP");
        ctx.response().putHeader("Cache-Control", "no-store");
        ctx.json(new JsonObject().put("access_token", token).put("expires_in", tokens.idpTtl().toSeconds())
                .put("token_type", "Bearer").put("scope", "managementserver"));
    }

    private static void oauthError(RoutingContext ctx, String error, String description) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", error).put("error_description", description).encode());
    }
}
