package com.cns.gateway.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;

/**
 * CachingVerifier remembers the tokens it verified until they expire (at most 5 minutes), so a
 * player's every segment request costs a hash lookup, not a JWT parse and HMAC. Measured reason
 * ({@code scripts/bench.sh playback}, cached segments, wrk -c50, 2 cores): verifying the bearer token
 * on every request took the gateway from 26.0k to 14.4k requests a second; see BENCHMARKS.md for the
 * figure with this cache. Failures are never cached, and an access token cannot be revoked before it
 * expires anyway, so this changes no answer.
 */
public final class CachingVerifier implements TokenVerifier {
    private static final Duration MAX = Duration.ofMinutes(5);
    private final TokenVerifier delegate;
    private final Clock clock;
    private final Cache<String, Verified> verified;

    public CachingVerifier(TokenVerifier delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(100_000).expireAfter(new Expiry<String, Verified>() {
            @Override
            public long expireAfterCreate(String token, Verified v, long now) {
                return untilExpiry(v);
            }

            @Override
            public long expireAfterUpdate(String token, Verified v, long now, long current) {
                return untilExpiry(v);
            }

            @Override
            public long expireAfterRead(String token, Verified v, long now, long current) {
                return current;
            }
        }).build();
    }

    private long untilExpiry(Verified v) {
        long left = Duration.between(clock.instant(), v.expiresAt()).toNanos();
        return Math.max(0, Math.min(left, MAX.toNanos()));
    }

    @Override
    public Future<Verified> verify(String token) {
        Verified v = verified.getIfPresent(token);
        if (v != null && v.expiresAt().isAfter(clock.instant())) {
            return Future.succeededFuture(v);
        }
        return delegate.verify(token).onSuccess(fresh -> verified.put(token, fresh));
    }
}
