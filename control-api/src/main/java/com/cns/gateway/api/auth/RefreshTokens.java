package com.cns.gateway.api.auth;

import static com.cns.gateway.api.db.PgTimes.utc;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * RefreshTokens are opaque random tokens (256 bits) that buy a new access token; PostgreSQL keeps
 * only their SHA-256, so a database dump holds none. Each refresh spends its token and returns a new
 * one; a logout revokes it. Any instance accepts a token any other issued.
 */
public final class RefreshTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Pool pool;
    private final Duration ttl;
    private final Clock clock;

    public RefreshTokens(Pool pool, Duration ttl, Clock clock) {
        this.pool = pool;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Future<String> issue(UUID userId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        var now = clock.instant();
        return pool.preparedQuery("INSERT INTO gateway_refresh_tokens (token_hash, user_id, issued_at, expires_at) "
                        + "VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(hash(token), userId, utc(now), utc(now.plus(ttl)))).map(token);
    }

    /** Spends a live token: the user it was issued to, or empty when it is unknown, expired, spent or revoked. */
    public Future<Optional<UUID>> spend(String token) {
        return pool.preparedQuery("UPDATE gateway_refresh_tokens SET revoked_at = $2 WHERE token_hash = $1 "
                        + "AND revoked_at IS NULL AND expires_at > $2 RETURNING user_id")
                .execute(Tuple.of(hash(token), utc(clock.instant())))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
    }

    /** Revokes every live token of a user (a password change, a deleted user). */
    public Future<Void> revokeAll(UUID userId) {
        return pool.preparedQuery("UPDATE gateway_refresh_tokens SET revoked_at = $2 WHERE user_id = $1 "
                + "AND revoked_at IS NULL").execute(Tuple.of(userId, utc(clock.instant()))).mapEmpty();
    }

    private static Buffer hash(String token) {
        try {
            return Buffer.buffer(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
