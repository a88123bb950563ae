package com.cns.gateway.testsupport;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Await blocks a test until a future completes or a condition holds, with a deadline and a clear failure. */
public final class Await {
    private Await() {
    }

    /** The future's result, waiting up to 30 s; its failure is thrown as it is. */
    public static <T> T await(Future<T> f) throws Exception {
        return await(f, Duration.ofSeconds(30));
    }

    public static <T> T await(Future<T> f, Duration timeout) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Polls {@code condition} every 20 ms until it is true, or fails naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(condition.call())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
