package com.cns.gateway.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * RateLimiter gives each user one Bucket4j token bucket per route class ({@code api} for the JSON
 * API, {@code media} for playlists, segments and pictures), refilled at {@code perMinute} a minute
 * with a burst of a tenth of that; a request over it answers 429 with {@code Retry-After}.
 */
public final class RateLimiter {
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000).build();
    private final long perMinute;

    public RateLimiter(long perMinute) {
        this.perMinute = perMinute;
    }

    /** 0 when the request may go on, else the seconds until it may. */
    public long tryConsume(String user, String routeClass) {
        Bucket b = buckets.get(routeClass + ":" + user, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(Math.max(10, perMinute / 10))
                        .refillGreedy(perMinute, Duration.ofMinutes(1)).build()).build());
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        return p.isConsumed() ? 0 : Math.max(1, (p.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }
}
