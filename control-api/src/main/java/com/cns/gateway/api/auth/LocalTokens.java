package com.cns.gateway.api.auth;

import com.cns.gateway.config.AuthSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * LocalTokens issues and verifies the gateway's own access tokens (AUTH_MODE=local): HS256 JWTs
 * with issuer {@code cns-media-gateway}, audience {@code cns-api}, the user's name as {@code sub},
 * its {@code role} and {@code cameras}.
 */
public final class LocalTokens implements TokenVerifier {
    private final SigningKeys keys;
    private final Duration ttl;

    public LocalTokens(SigningKeys keys, Duration ttl) {
        this.keys = keys;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(Principal p) {
        JsonObject claims = new JsonObject().put("role", p.role().label())
                .put("cameras", new JsonArray(p.cameras().entries())).put("jti", UUID.randomUUID().toString());
        return keys.sign(claims, new JWTOptions().setSubject(p.username()).setIssuer(AuthSettings.LOCAL_ISSUER)
                .setAudience(List.of(AuthSettings.LOCAL_AUDIENCE)).setExpiresInSeconds((int) ttl.toSeconds()));
    }

    @Override
    public Future<Verified> verify(String token) {
        return keys.verifier().authenticate(new TokenCredentials(token))
                .recover(e -> Future.failedFuture(AuthenticationException.invalid(reason(e))))
                .map(LocalTokens::principal);
    }

    private static Verified principal(User u) {
        JsonObject claims = u.attributes().getJsonObject("accessToken", u.principal());
        Role role = Role.parse(claims.getString("role"));
        JsonArray cameras = claims.getJsonArray("cameras", new JsonArray());
        if (role == null || claims.getString("sub") == null) {
            throw AuthenticationException.invalid("The token names no user or role");
        }
        return new Verified(new Principal(claims.getString("sub"), role,
                CameraScope.of(cameras.stream().map(String::valueOf).toList())),
                Instant.ofEpochSecond(claims.getLong("exp", 0L)));
    }

    /** vertx-auth-jwt's reason, in words a client can act on. */
    static String reason(Throwable e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("xpired")) {
            return "The token has expired";
        }
        if (m.contains("none")) {
            return "Unsigned tokens (alg=none) are refused";
        }
        if (m.toLowerCase(java.util.Locale.ROOT).contains("issuer") || m.contains("iss")) {
            return "The token is of another issuer";
        }
        if (m.toLowerCase(java.util.Locale.ROOT).contains("audience") || m.contains("aud")) {
            return "The token is for another audience";
        }
        return "The token is not valid: " + m;
    }
}
