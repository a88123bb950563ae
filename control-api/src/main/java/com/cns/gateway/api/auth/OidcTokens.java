package com.cns.gateway.api.auth;

import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.config.AuthSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * OidcTokens verifies the access tokens of the control room's identity provider (AUTH_MODE=oidc:
 * Keycloak, Entra ID, ADFS): its keys come from the JWKS that OpenID Connect discovery finds from
 * {@code AUTH_OIDC_ISSUER} (vertx-auth-oauth2), reloaded when a token names a key not seen yet; the
 * token's issuer and audience ({@code AUTH_OIDC_AUDIENCE}) must match. The user's name, role and
 * cameras come from configurable claims (a dotted path such as {@code realm_access.roles} reaches
 * nested ones); the highest of {@code viewer}, {@code operator}, {@code admin} among the role claim's
 * values is the role, and no camera claim means no camera. Until discovery has succeeded (it is
 * retried every 5 s) requests answer 503.
 */
public final class OidcTokens implements TokenVerifier {
    private static final Logger LOG = Logger.getLogger(OidcTokens.class.getName());
    private final Vertx vertx;
    private final AuthSettings settings;
    private volatile OAuth2Auth provider;

    public OidcTokens(Vertx vertx, AuthSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
    }

    /** Discovers the provider; the future fails with the first attempt's error, and discovery goes on meanwhile. */
    public Future<Void> start() {
        String issuer = settings.oidcIssuer().orElseThrow().toString();
        OAuth2Options options = new OAuth2Options().setSite(issuer).setClientId(settings.oidcAudience())
                .setJWTOptions(new JWTOptions().setIssuer(issuer).setAudience(List.of(settings.oidcAudience()))
                        .setLeeway(30));
        return OpenIDConnectAuth.discover(vertx, options).<Void>map(p -> {
            p.missingKeyHandler(kid -> p.jWKSet().onFailure(e ->
                    LOG.warning("The identity provider's keys could not be reloaded: " + e.getMessage())));
            provider = p;
            LOG.info("Tokens are verified against the identity provider " + issuer);
            return null;
        }).onFailure(e -> {
            LOG.warning("OpenID Connect discovery of " + issuer + " failed (" + e.getMessage() + "); retrying in 5 s");
            vertx.setTimer(5000, t -> start());
        });
    }

    @Override
    public Future<Verified> verify(String token) {
        OAuth2Auth p = provider;
        if (p == null) {
            return Future.failedFuture(new ApiError(503, "The identity provider " + settings.oidcIssuer().orElseThrow()
                    + " has not been reached yet; try again shortly"));
        }
        return p.authenticate(new TokenCredentials(token))
                .recover(e -> Future.failedFuture(AuthenticationException.invalid(LocalTokens.reason(e))))
                .map(u -> {
                    JsonObject claims = u.attributes().getJsonObject("accessToken", u.principal());
                    return new Verified(principal(claims), Instant.ofEpochSecond(claims.getLong("exp", 0L)));
                });
    }

    Principal principal(JsonObject claims) {
        Object name = claim(claims, settings.oidcUsernameClaim());
        String username = name instanceof String s && !s.isBlank() ? s : claims.getString("sub");
        Role role = null;
        for (String v : values(claim(claims, settings.oidcRoleClaim()))) {
            Role r = Role.parse(v);
            if (r != null && (role == null || r.includes(role))) {
                role = r;
            }
        }
        if (role == null || username == null) {
            throw AuthenticationException.invalid("The token carries no CNS role (viewer, operator or admin) in claim '"
                    + settings.oidcRoleClaim() + "'");
        }
        try {
            return new Principal(username, role, CameraScope.of(values(claim(claims, settings.oidcCamerasClaim()))));
        } catch (IllegalArgumentException e) {
            throw AuthenticationException.invalid("Claim '" + settings.oidcCamerasClaim() + "': " + e.getMessage());
        }
    }

    /** A claim by dotted path ({@code realm_access.roles}), or null. */
    static Object claim(JsonObject claims, String path) {
        Object at = claims;
        for (String part : path.split("\\.")) {
            if (!(at instanceof JsonObject o)) {
                return null;
            }
            at = o.getValue(part);
        }
        return at;
    }

    /** A claim's values: an array's strings, or a string split at spaces and commas. */
    static List<String> values(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof JsonArray a) {
            a.forEach(v -> out.add(String.valueOf(v)));
        } else if (claim instanceof String s) {
            for (String v : s.split("[\\s,]+")) {
                if (!v.isEmpty()) {
                    out.add(v);
                }
            }
        }
        return out;
    }
}
