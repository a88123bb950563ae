package com.cns.gateway.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LoginLimiter slows password guessing: after {@code maxFailures} failed logins for one user name, or
 * four times that from one address, within the lockout window, further logins for it answer 429 with
 * {@code Retry-After} until the window since the first failure has passed, even with the right
 * password. A success clears the user's count. Counts are per instance (an attacker spread over N
 * instances gets N times the tries; the lockout still holds on each).
 */
public final class LoginLimiter {
    private final int maxFailures;
    private final Duration lockout;
    private final Ticker ticker;
    private final Cache<String, Window> windows;

    public LoginLimiter(int maxFailures, Duration lockout, Ticker ticker) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.ticker = ticker;
        this.windows = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(lockout).maximumSize(100_000).build();
    }

    /** Seconds to wait before trying again, or 0 when a login may be tried now. */
    public long retryAfterSeconds(String username, String address) {
        return Math.max(locked("user:" + key(username), maxFailures), locked("addr:" + address, 4L * maxFailures));
    }

    public void failed(String username, String address) {
        for (String k : new String[] {"user:" + key(username), "addr:" + address}) {
            windows.get(k, x -> new Window(ticker.read())).failures.incrementAndGet();
        }
    }

    public void succeeded(String username) {
        windows.invalidate("user:" + key(username));
    }

    private long locked(String key, long max) {
        Window w = windows.getIfPresent(key);
        if (w == null || w.failures.get() < max) {
            return 0;
        }
        long leftNanos = w.startNanos + lockout.toNanos() - ticker.read();
        return leftNanos <= 0 ? 0 : Math.max(1, (leftNanos + 999_999_999L) / 1_000_000_000L);
    }

    private static String key(String username) {
        return username == null ? "" : username.toLowerCase(Locale.ROOT);
    }

    private static final class Window {
        final long startNanos;
        final AtomicInteger failures = new AtomicInteger();

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }
}
