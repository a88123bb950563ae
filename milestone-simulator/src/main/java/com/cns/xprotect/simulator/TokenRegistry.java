package com.cns.xprotect.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TokenRegistry issues and checks the simulator's two kinds of token: IDP access tokens (JWT-shaped,
 * as the real IDP's RS256 tokens look) and VMS tokens ({@code TOKEN#guid#host//ServerConnector#}).
 * Tests expire them all at once to exercise renewal.
 */
final class TokenRegistry {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final Map<String, Instant> idpTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> vmsTokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private volatile Duration idpTtl;
    private volatile Duration vmsTtl;

    TokenRegistry(Clock clock, Duration idpTtl, Duration vmsTtl) {
        this.clock = clock;
        this.idpTtl = idpTtl;
        this.vmsTtl = vmsTtl;
    }

    Duration idpTtl() {
        return idpTtl;
    }

    Duration vmsTtl() {
        return vmsTtl;
    }

    void ttls(Duration idp, Duration vms) {
        this.idpTtl = idp;
        this.vmsTtl = vms;
    }

    String issueIdpToken(String user, String issuer) {
        Instant now = clock.instant();
        JsonObject header = new JsonObject().put("alg", "RS256").put("kid", "B1596325D2B69AA33B6E2AF610B5B623")
                .put("typ", "JWT");
        JsonObject payload = new JsonObject().put("iss", issuer).put("nbf", now.getEpochSecond())
                .put("iat", now.getEpochSecond()).put("exp", now.plus(idpTtl).getEpochSecond())
                .put("aud", new JsonArray().add("managementserver").add(issuer + "/resources"))
                .put("scope", new JsonArray().add("managementserver")).put("amr", new JsonArray().add("pwd"))
                .put("client_id", "GrantValidatorClient")
                .put("sub", UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8)).toString().toUpperCase())
                .put("idp", "local").put("name", user).put("jti", UUID.randomUUID().toString().replace("-", ""));
        byte[] sig = new byte[256];
        random.nextBytes(sig);
        String token = B64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(sig);
        idpTokens.put(token, now.plus(idpTtl));
        return token;
    }

    boolean validIdpToken(String token) {
        Instant exp = token == null ? null : idpTokens.get(token);
        return exp != null && clock.instant().isBefore(exp);
    }

    String issueVmsToken() {
        String token = "TOKEN#" + UUID.randomUUID() + "#xprotect-sim//ServerConnector#";
        vmsTokens.put(token, clock.instant().plus(vmsTtl));
        return token;
    }

    boolean validVmsToken(String token) {
        Instant exp = token == null ? null : vmsTokens.get(token);
        return exp != null && clock.instant().isBefore(exp);
    }

    void revokeVmsToken(String token) {
        vmsTokens.remove(token);
    }

    /** Makes every token issued so far invalid, as if each had reached its expiry. */
    void expireAll() {
        idpTokens.clear();
        vmsTokens.clear();
    }
}
