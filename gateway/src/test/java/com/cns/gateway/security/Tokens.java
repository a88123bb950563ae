package com.cns.gateway.security;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.Base64;
import java.util.List;

/**
 * Tokens mints the bad tokens a client might send: signed with the gateway's own current key (read
 * from its database, as an insider with a dump could) but expired, of another audience or issuer;
 * signed with a key the gateway never had; and unsigned ({@code alg=none}).
 */
final class Tokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final JWTAuth real;
    private final JWTAuth foreign;
    private final String kid;

    Tokens(Vertx vertx, String jdbcUrl) throws Exception {
        String secret;
        String id;
        try (var c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var rs = c.createStatement().executeQuery("SELECT kid, secret FROM gateway_signing_keys ORDER BY created_at DESC LIMIT 1")) {
            rs.next();
            id = rs.getString(1);
            secret = B64.encodeToString(rs.getBytes(2));
        }
        kid = id;
        real = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
                .setId(id).setBuffer(secret)));
        foreign = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
                .setId(id).setBuffer(B64.encodeToString("a key the gateway never had, 32+ bytes".getBytes()))));
    }

    private static JsonObject claims() {
        return new JsonObject().put("role", "admin").put("cameras", new io.vertx.core.json.JsonArray().add("*"));
    }

    private JWTOptions options(String issuer, String audience, int expiresIn) {
        return new JWTOptions().setAlgorithm("HS256").setSubject("admin").setIssuer(issuer)
                .setAudience(List.of(audience)).setExpiresInSeconds(expiresIn)
                .setHeader(new JsonObject().put("kid", kid));
    }

    String valid() {
        return real.generateToken(claims(), options("cns-media-gateway", "cns-api", 300));
    }

    String expired() {
        JsonObject c = claims().put("exp", System.currentTimeMillis() / 1000 - 120).put("iat",
                System.currentTimeMillis() / 1000 - 1000);
        return real.generateToken(c, new JWTOptions().setAlgorithm("HS256").setSubject("admin")
                .setIssuer("cns-media-gateway").setAudience(List.of("cns-api")).setHeader(new JsonObject().put("kid", kid)));
    }

    String wrongAudience() {
        return real.generateToken(claims(), options("cns-media-gateway", "another-api", 300));
    }

    String wrongIssuer() {
        return real.generateToken(claims(), options("https://evil.example", "cns-api", 300));
    }

    String forged() {
        return foreign.generateToken(claims(), options("cns-media-gateway", "cns-api", 300));
    }

    /** The payload of a valid token, unsigned: {@code alg=none} and no signature. */
    String unsigned() {
        String payload = valid().split("\\.")[1];
        return B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".";
    }
}
