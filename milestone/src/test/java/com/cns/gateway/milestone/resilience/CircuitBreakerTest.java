package com.cns.gateway.milestone.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.milestone.XProtectNotFoundException;
import com.cns.gateway.milestone.XProtectUnavailableException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private static Future<String> down() {
        return Future.failedFuture(new XProtectUnavailableException("down", Duration.ofSeconds(1), null));
    }

    @Test
    void opensAfterThresholdFailsFastThenHalfOpensAndCloses() {
        CircuitBreaker b = new CircuitBreaker("test", 3, Duration.ofSeconds(10), clock);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            b.call(() -> {
                calls.incrementAndGet();
                return down();
            });
        }
        assertEquals(CircuitBreaker.State.OPEN, b.state());
        Future<String> fast = b.call(() -> {
            calls.incrementAndGet();
            return Future.succeededFuture("x");
        });
        assertEquals(3, calls.get(), "an open circuit does not call XProtect");
        XProtectUnavailableException e = assertInstanceOf(XProtectUnavailableException.class, fast.cause());
        assertTrue(e.retryAfter().toSeconds() <= 10 && e.retryAfter().toSeconds() >= 9);

        now = now.plusSeconds(11);
        assertEquals(CircuitBreaker.State.HALF_OPEN, b.state());
        b.call(CircuitBreakerTest::down);
        assertEquals(CircuitBreaker.State.OPEN, b.state(), "a failed trial opens again");

        now = now.plusSeconds(11);
        assertEquals("ok", b.call(() -> Future.succeededFuture("ok")).result());
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
    }

    @Test
    void notFoundIsNotAnOutage() {
        CircuitBreaker b = new CircuitBreaker("test", 1, Duration.ofSeconds(10), clock);
        b.call(() -> Future.failedFuture(new XProtectNotFoundException("no such camera")));
        assertEquals(CircuitBreaker.State.CLOSED, b.state());
    }
}
