package com.cns.gateway.media.cache;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * ProductionLimiter runs at most {@code max} segment productions at once; the rest wait their turn in
 * order, so a burst of viewers cannot hold more frames in memory than the bound allows. The queue is
 * bounded too ({@code maxWaiting}): past it, work fails at once with {@link ProductionsFullException}.
 */
final class ProductionLimiter {
    private final int max;
    private final int maxWaiting;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    ProductionLimiter(int max, int maxWaiting) {
        this.max = max;
        this.maxWaiting = maxWaiting;
    }

    <T> Future<T> run(Supplier<Future<T>> work) {
        Promise<T> done = Promise.promise();
        Runnable start = () -> {
            Future<T> f;
            try {
                f = work.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                release();
                done.handle(ar);
            });
        };
        boolean now;
        synchronized (this) {
            now = running < max;
            if (now) {
                running++;
            } else if (waiting.size() >= maxWaiting) {
                return Future.failedFuture(new ProductionsFullException(running, waiting.size()));
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return done.future();
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    synchronized int running() {
        return running;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
