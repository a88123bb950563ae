package com.cns.gateway.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * SigningKeys holds the HS256 keys of the gateway's access tokens, the same on every instance: the
 * file {@code AUTH_SIGNING_KEY_FILE} when it is set, otherwise one key per rotation period kept in
 * PostgreSQL. The period's number is the key id, so instances that roll over at once insert the same
 * row once; tokens are signed with the newest key and verified with every key still young enough to
 * have signed a live token, so a rotation logs nobody out. Signing and verification are vertx-auth-jwt's.
 */
public final class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final Pool pool;
    private final Optional<Path> file;
    private final Duration rotation;
    private final Duration tokenTtl;
    private final Clock clock;
    private volatile JWTAuth signer;
    private volatile JWTAuth verifier;
    private volatile String currentKid;
    private long timer = -1;

    public SigningKeys(Vertx vertx, Pool pool, Optional<Path> file, Duration rotation, Duration tokenTtl, Clock clock) {
        this.vertx = vertx;
        this.pool = pool;
        this.file = file;
        this.rotation = rotation;
        this.tokenTtl = tokenTtl;
        this.clock = clock;
    }

    /** Loads the keys, then checks for a new period every tenth of one (at most every minute). */
    public Future<Void> start() {
        return refresh().onSuccess(v -> {
            if (file.isEmpty()) {
                long every = Math.max(1000, Math.min(60_000, rotation.toMillis() / 10));
                timer = vertx.setPeriodic(every, t -> refresh().onFailure(e ->
                        LOG.warning("Signing keys not refreshed: " + e.getMessage())));
            }
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    Future<Void> refresh() {
        if (file.isPresent()) {
            if (verifier != null) {
                return Future.succeededFuture();
            }
            return vertx.executeBlocking(() -> Files.readString(file.get()).trim()).map(secret -> {
                if (secret.length() < 32) {
                    throw new IllegalStateException("AUTH_SIGNING_KEY_FILE must hold at least 32 characters");
                }
                install(List.of(new Key("file", secret)));
                return null;
            });
        }
        Instant now = clock.instant();
        long period = now.toEpochMilli() / rotation.toMillis();
        String kid = "k" + period;
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        Instant oldest = now.minus(rotation).minus(tokenTtl).minusSeconds(60);
        return pool.preparedQuery("INSERT INTO gateway_signing_keys (kid, secret, created_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (kid) DO NOTHING")
                .execute(Tuple.of(kid, io.vertx.core.buffer.Buffer.buffer(fresh), now.atOffset(ZoneOffset.UTC)))
                .compose(v -> pool.preparedQuery("DELETE FROM gateway_signing_keys WHERE created_at < $1")
                        .execute(Tuple.of(oldest.minus(rotation).atOffset(ZoneOffset.UTC))))
                .compose(v -> pool.preparedQuery("SELECT kid, secret FROM gateway_signing_keys WHERE created_at >= $1 "
                        + "OR kid = $2 ORDER BY created_at DESC").execute(Tuple.of(oldest.atOffset(ZoneOffset.UTC), kid)))
                .map(rows -> {
                    List<Key> keys = new ArrayList<>();
                    for (Row r : rows) {
                        keys.add(new Key(r.getString("kid"),
                                Base64.getUrlEncoder().withoutPadding().encodeToString(r.getBuffer("secret").getBytes())));
                    }
                    // The key of the current period signs; insertion order (newest first) keeps it first.
                    keys.sort((a, b) -> a.kid().equals(kid) ? -1 : b.kid().equals(kid) ? 1 : 0);
                    if (!kid.equals(currentKid)) {
                        LOG.info("Access tokens are signed with key " + kid + "; " + keys.size() + " key(s) verify");
                    }
                    install(keys);
                    return null;
                });
    }

    private void install(List<Key> keys) {
        JWTAuthOptions verify = new JWTAuthOptions().setJWTOptions(new JWTOptions()
                .setIssuer(com.cns.gateway.config.AuthSettings.LOCAL_ISSUER)
                .setAudience(List.of(com.cns.gateway.config.AuthSettings.LOCAL_AUDIENCE)));
        keys.forEach(k -> verify.addPubSecKey(options(k)));
        JWTAuthOptions sign = new JWTAuthOptions().addPubSecKey(options(keys.get(0)));
        verifier = JWTAuth.create(vertx, verify);
        signer = JWTAuth.create(vertx, sign);
        currentKid = keys.get(0).kid();
    }

    private static PubSecKeyOptions options(Key k) {
        return new PubSecKeyOptions().setAlgorithm("HS256").setId(k.kid()).setBuffer(k.secret());
    }

    /** Signs {@code claims} with the current key, its id in the header. */
    public String sign(io.vertx.core.json.JsonObject claims, JWTOptions options) {
        return signer.generateToken(claims, options.setAlgorithm("HS256")
                .setHeader(new io.vertx.core.json.JsonObject().put("kid", currentKid)));
    }

    /** The verifier of every live key; vertx-auth-jwt refuses {@code alg=none} and unknown keys. */
    public JWTAuth verifier() {
        return verifier;
    }

    private record Key(String kid, String secret) {
    }
}
