package com.cns.gateway.media.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProductionLimiterTest {
    @Test
    void atMostMaxRunAndTheRestStartInOrderAsOthersFinish() {
        ProductionLimiter limiter = new ProductionLimiter(2, 16);
        List<Promise<Integer>> work = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            results.add(limiter.run(() -> {
                started.add(n);
                Promise<Integer> p = Promise.promise();
                work.add(p);
                return p.future();
            }));
        }
        assertEquals(List.of(0, 1), started, "two run, three wait");
        assertEquals(2, limiter.running());
        assertEquals(3, limiter.waiting());
        work.get(1).complete(1);
        assertEquals(List.of(0, 1, 2), started, "a finished one lets the next in line start");
        work.get(0).fail("broken recorder");
        assertEquals(List.of(0, 1, 2, 3), started, "a failed one frees its slot too");
        work.get(2).complete(2);
        work.get(3).complete(3);
        work.get(4).complete(4);
        assertEquals(0, limiter.running());
        assertEquals(0, limiter.waiting());
        assertTrue(results.get(0).failed());
        assertEquals(4, results.get(4).result());
    }

    @Test
    void pastTheBoundedQueueWorkFailsAtOnceInsteadOfWaiting() {
        ProductionLimiter limiter = new ProductionLimiter(1, 1);
        Promise<Integer> first = Promise.promise();
        limiter.run(first::future);
        Future<Integer> queued = limiter.run(() -> Future.succeededFuture(2));
        Future<Integer> refused = limiter.run(() -> Future.succeededFuture(3));
        assertTrue(refused.failed() && refused.cause() instanceof ProductionsFullException, String.valueOf(refused.cause()));
        assertEquals(1, limiter.waiting());
        first.complete(1);
        assertEquals(2, queued.result());
    }

    @Test
    void aFullQueueDropsItsLatestPrefetchForWorkAViewerWaitsFor() {
        ProductionLimiter limiter = new ProductionLimiter(1, 2);
        Promise<Integer> first = Promise.promise();
        limiter.run(first::future);
        Future<Integer> guess = limiter.run("a", ProductionPriority.BACKGROUND, () -> Future.succeededFuture(2));
        Future<Integer> later = limiter.run("b", ProductionPriority.BACKGROUND, () -> Future.succeededFuture(3));
        assertTrue(limiter.run("c", ProductionPriority.BACKGROUND, () -> Future.succeededFuture(4)).failed(),
                "more prefetch is refused");
        Future<Integer> asked = limiter.run("d", ProductionPriority.WAITED_FOR, () -> Future.succeededFuture(5));
        assertTrue(later.failed() && later.cause() instanceof ProductionsFullException,
                "the latest prefetch made room: " + later.cause());
        assertEquals(2, limiter.waiting());
        first.complete(1);
        assertEquals(5, asked.result(), "the viewer's work ran");
        assertEquals(2, guess.result(), "the earlier prefetch still ran");
        Promise<Integer> busy = Promise.promise();
        limiter.run(busy::future);
        limiter.run("e", ProductionPriority.WAITED_FOR, () -> Future.succeededFuture(6));
        limiter.run("f", ProductionPriority.FIRST, () -> Future.succeededFuture(7));
        assertTrue(limiter.run("g", ProductionPriority.FIRST, () -> Future.succeededFuture(8)).failed(),
                "with no prefetch to drop, a full queue refuses");
    }

    @Test
    void workAViewerWaitsForGoesBeforePrefetchAndQueuedPrefetchMovesAheadWhenAsked() {
        ProductionLimiter limiter = new ProductionLimiter(1, 16);
        Promise<Integer> busy = Promise.promise();
        limiter.run("busy", ProductionPriority.FIRST, busy::future);
        List<String> started = new ArrayList<>();
        limiter.run("prefetch-a", ProductionPriority.BACKGROUND, () -> {
            started.add("prefetch-a");
            return Future.succeededFuture(0);
        });
        limiter.run("prefetch-b", ProductionPriority.BACKGROUND, () -> {
            started.add("prefetch-b");
            return Future.succeededFuture(0);
        });
        limiter.run("next-segment", ProductionPriority.WAITED_FOR, () -> {
            started.add("next-segment");
            return Future.succeededFuture(0);
        });
        limiter.run("first-window", ProductionPriority.FIRST, () -> {
            started.add("first-window");
            return Future.succeededFuture(0);
        });
        limiter.promote("prefetch-b", ProductionPriority.WAITED_FOR);   // a viewer now asks for it
        limiter.promote("first-window", ProductionPriority.BACKGROUND); // never moved down
        limiter.promote("unknown", ProductionPriority.FIRST);           // nothing queued: no effect
        assertEquals(4, limiter.waiting());
        busy.complete(1);
        assertEquals(List.of("first-window", "next-segment", "prefetch-b", "prefetch-a"), started);
        assertEquals(0, limiter.running());
    }

    @Test
    void waitedForWorkThatHasWaitedTooLongGoesAheadOfNewViewersFirstWindows() {
        AtomicLong nanos = new AtomicLong();
        ProductionLimiter limiter = new ProductionLimiter(1, 16, nanos::get);
        List<String> started = new ArrayList<>();
        List<Promise<Integer>> work = new ArrayList<>();
        java.util.function.Function<String, java.util.function.Supplier<Future<Integer>>> named = n -> () -> {
            started.add(n);
            Promise<Integer> p = Promise.promise();
            work.add(p);
            return p.future();
        };
        limiter.run("busy", ProductionPriority.FIRST, named.apply("busy"));
        // A playing viewer's next window waits behind a burst of new viewers' first windows.
        limiter.run("next-window", ProductionPriority.WAITED_FOR, named.apply("next-window"));
        limiter.run("first-a", ProductionPriority.FIRST, named.apply("first-a"));
        nanos.addAndGet(ProductionLimiter.OVERDUE - 1);
        limiter.run("first-b", ProductionPriority.FIRST, named.apply("first-b"));
        work.get(0).complete(0);
        assertEquals(List.of("busy", "first-a"), started, "not yet overdue: first windows go first");
        nanos.addAndGet(1);
        limiter.run("first-c", ProductionPriority.FIRST, named.apply("first-c"));
        work.get(1).complete(0);
        assertEquals(List.of("busy", "first-a", "next-window"), started, "overdue: ahead of first windows");
        work.get(2).complete(0);
        work.get(3).complete(0);
        assertEquals(List.of("busy", "first-a", "next-window", "first-b", "first-c"), started);
    }

    @Test
    void promotedWorkKeepsTheTimeItHasWaited() {
        AtomicLong nanos = new AtomicLong();
        ProductionLimiter limiter = new ProductionLimiter(1, 16, nanos::get);
        List<String> started = new ArrayList<>();
        Promise<Integer> busy = Promise.promise();
        limiter.run("busy", ProductionPriority.FIRST, busy::future);
        limiter.run("prefetch", ProductionPriority.BACKGROUND, () -> {
            started.add("prefetch");
            return Future.succeededFuture(0);
        });
        nanos.addAndGet(ProductionLimiter.OVERDUE);
        limiter.run("first", ProductionPriority.FIRST, () -> {
            started.add("first");
            return Future.succeededFuture(0);
        });
        limiter.promote("prefetch", ProductionPriority.WAITED_FOR);   // its viewer has reached it
        busy.complete(1);
        assertEquals(List.of("prefetch", "first"), started, "queued since before the first window, now overdue");
    }
}
