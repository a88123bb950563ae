package com.cns.gateway.milestone.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.cns.gateway.milestone.XProtectNotFoundException;
import com.cns.gateway.milestone.XProtectUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
    private final Vertx vertx = Vertx.vertx();
    private final Retry retry = new Retry(vertx, 3, Duration.ofMillis(1));

    @AfterEach
    void close() {
        vertx.close();
    }

    private static <T> Throwable failure(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().handle((v, t) -> t).get(5, TimeUnit.SECONDS);
    }

    @Test
    void anOutageIsRetriedUntilItPasses() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = retry.run(() -> calls.incrementAndGet() < 3
                ? Future.<String>failedFuture(new XProtectUnavailableException("down", Duration.ofSeconds(1), null))
                : Future.succeededFuture("up")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals("up", result);
        assertEquals(3, calls.get());
    }

    @Test
    void otherFailuresAreNotRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Throwable t = failure(retry.run(() -> {
            calls.incrementAndGet();
            return Future.<String>failedFuture(new XProtectNotFoundException("no such camera"));
        }));
        assertInstanceOf(XProtectNotFoundException.class, t);
        assertEquals(1, calls.get());
    }

    @Test
    void aCallThatThrowsOnARetryFailsTheFutureInsteadOfTheTimer() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Throwable t = failure(retry.run(() -> {
            if (calls.incrementAndGet() == 1) {
                return Future.<String>failedFuture(new XProtectUnavailableException("down", Duration.ofSeconds(1), null));
            }
            throw new IllegalStateException("Client is closed");
        }));
        assertInstanceOf(IllegalStateException.class, t);
        assertEquals(2, calls.get());
    }

    @Test
    void aRefusedConnectionIsRetriedOnceOnly() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Throwable t = failure(retry.run(() -> {
            calls.incrementAndGet();
            return Future.<String>failedFuture(new XProtectUnavailableException("recorder down", Duration.ofSeconds(5),
                    new java.net.ConnectException("Connection refused")));
        }));
        assertInstanceOf(XProtectUnavailableException.class, t);
        assertEquals(2, calls.get(), "the first try and one retry, not the whole backoff");
    }
}
