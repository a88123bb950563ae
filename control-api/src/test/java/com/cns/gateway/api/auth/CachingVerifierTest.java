package com.cns.gateway.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import com.cns.gateway.testsupport.TestClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingVerifierTest {
    private static final Principal OLIVIA = new Principal("olivia", Role.VIEWER, CameraScope.ALL);

    @Test
    void aVerifiedTokenIsCheckedOnceUntilItExpiresAndFailuresAreNeverRemembered() {
        AtomicInteger calls = new AtomicInteger();
        TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
        TokenVerifier delegate = token -> {
            calls.incrementAndGet();
            return token.equals("good") ? Future.succeededFuture(new TokenVerifier.Verified(OLIVIA, clock.instant().plusSeconds(60)))
                    : Future.failedFuture(AuthenticationException.invalid("no"));
        };
        CachingVerifier v = new CachingVerifier(delegate, clock);
        for (int i = 0; i < 5; i++) {
            assertEquals(OLIVIA, v.verify("good").result().principal());
        }
        assertEquals(1, calls.get(), "checked once");
        assertTrue(v.verify("bad").failed());
        assertTrue(v.verify("bad").failed());
        assertEquals(3, calls.get(), "failures are asked again");
        clock.advance(java.time.Duration.ofSeconds(61));
        v.verify("good");
        assertEquals(4, calls.get(), "past its expiry the token is checked again");
    }
}
