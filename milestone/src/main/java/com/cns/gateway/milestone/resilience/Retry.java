package com.cns.gateway.milestone.resilience;

import com.cns.gateway.milestone.XProtectUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retry repeats an idempotent call that failed because XProtect was unavailable, with exponential
 * backoff (delay, 2×delay, 4×delay…) and a little jitter so that instances do not retry in step.
 * A refused connection (nothing listens: the service is down) is retried once only. Anything else (a
 * 404, bad credentials) fails at once.
 */
public final class Retry {
    private final Vertx vertx;
    private final int attempts;
    private final Duration delay;

    /** @param attempts retries after the first try; 0 means try once */
    public Retry(Vertx vertx, int attempts, Duration delay) {
        this.vertx = vertx;
        this.attempts = attempts;
        this.delay = delay;
    }

    public <T> Future<T> run(Supplier<Future<T>> call) {
        Promise<T> promise = Promise.promise();
        attempt(call, 0, promise);
        return promise.future();
    }

    /**
     * Whether the server refused the connection: its host answered that nothing listens there, i.e. the
     * service is down rather than slow or briefly overloaded. Retried once only, so that a caller hears
     * of an outage in well under a second instead of after the whole backoff.
     */
    static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private <T> void attempt(Supplier<Future<T>> call, int n, Promise<T> promise) {
        Future<T> tried;
        try {
            tried = call.get();
        } catch (RuntimeException e) { // e.g. a client closed while a retry waited: fail, never throw into a timer
            promise.fail(e);
            return;
        }
        tried.onComplete(ar -> {
            if (ar.succeeded()) {
                promise.complete(ar.result());
            } else if (n < (refused(ar.cause()) ? Math.min(attempts, 1) : attempts)
                    && ar.cause() instanceof XProtectUnavailableException
                    && !(ar.cause() instanceof com.cns.gateway.milestone.XProtectAuthenticationException)) {
                long base = delay.toMillis() << Math.min(n, 10);
                long wait = Math.max(1, base + (long) (Math.random() * base * 0.2));
                vertx.setTimer(wait, t -> attempt(call, n + 1, promise));
            } else {
                promise.fail(ar.cause());
            }
        });
    }
}
