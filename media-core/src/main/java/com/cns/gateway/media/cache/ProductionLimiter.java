package com.cns.gateway.media.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * ProductionLimiter runs at most {@code max} segment productions at once; the rest wait their turn,
 * so a burst of viewers cannot hold more frames in memory than the bound allows. The turn goes by
 * {@link ProductionPriority}: a new viewer's first window, then what viewers wait for (segments asked
 * for, a new playlist's other windows, the window a reload waits for), then prefetch; queued work is
 * moved up when someone waits for it sooner. The queue is bounded too ({@code maxWaiting}): past it,
 * work fails at once with {@link ProductionsFullException}, except work a viewer waits for while
 * prefetch is queued: the prefetch queued last is dropped (failed with that exception) to make room,
 * since a segment a player asks for refused while guesses wait lost viewers in the burst bench
 * (round 3, segments answered 503).
 *
 * <p>A viewer's first window going first would, in a burst of new viewers, keep the windows that
 * playing viewers are about to reach waiting for as long as the burst lasts: in the burst bench (200
 * new viewers in 10 s) their second to sixth segments came late. So work a viewer waits for that
 * has waited {@link #OVERDUE} goes before first windows: a start waits a little longer in a burst,
 * a playing viewer does not stall.
 *
 * <p>The same turns order the transcodes of produced windows on the transcode workers (see
 * {@code SegmentEncoders}).
 */
public final class ProductionLimiter {
    /** How long waited-for work waits before it goes ahead of first windows. */
    static final long OVERDUE = TimeUnit.SECONDS.toNanos(2);

    private final int max;
    private final int maxWaiting;
    /** A waiting queue per priority, highest first. */
    private final List<Deque<Queued>> queues = List.of(new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>());
    /** Queued work by what it produces, to move it up. */
    private final Map<Object, Queued> queued = new HashMap<>();
    private final Ticker ticker;
    private int running;

    /** Work waiting for a slot: what it produces, its turn, how to start it or drop it, and since when it waits. */
    private record Queued(Object key, ProductionPriority priority, Runnable start, Runnable drop, long sinceNanos) {
    }

    public ProductionLimiter(int max, int maxWaiting) {
        this(max, maxWaiting, Ticker.systemTicker());
    }

    public ProductionLimiter(int max, int maxWaiting, Ticker ticker) {
        this.max = max;
        this.maxWaiting = maxWaiting;
        this.ticker = ticker;
    }

    /** Runs {@code work} now or in its turn, as work a viewer waits for. */
    <T> Future<T> run(Supplier<Future<T>> work) {
        return run(new Object(), ProductionPriority.WAITED_FOR, work);
    }

    /** Runs {@code work} now or in its turn; {@code key} names what it produces (for {@link #promote}). */
    public <T> Future<T> run(Object key, ProductionPriority priority, Supplier<Future<T>> work) {
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
        Queued dropped = null;
        boolean now = false;
        synchronized (this) {
            if (running < max) {
                running++;
                now = true;
            } else {
                Deque<Queued> prefetch = queues.get(ProductionPriority.BACKGROUND.ordinal());
                if (waiting() >= maxWaiting) {
                    if (priority == ProductionPriority.BACKGROUND || prefetch.isEmpty()) {
                        return Future.failedFuture(new ProductionsFullException(running, waiting()));
                    }
                    dropped = prefetch.pollLast(); // the latest guess makes room for a viewer
                    queued.remove(dropped.key(), dropped);
                }
                Queued q = new Queued(key, priority, start,
                        () -> done.tryFail(new ProductionsFullException(max, maxWaiting)), ticker.read());
                queues.get(priority.ordinal()).add(q);
                queued.put(key, q);
            }
        }
        if (dropped != null) {
            dropped.drop().run();
        }
        if (now) {
            start.run();
        }
        return done.future();
    }

    /** Someone waits for {@code key} with {@code priority}: if it is queued lower, it moves up. */
    public synchronized void promote(Object key, ProductionPriority priority) {
        Queued q = queued.get(key);
        if (q != null && q.priority().ordinal() > priority.ordinal() && queues.get(q.priority().ordinal()).remove(q)) {
            Queued moved = new Queued(key, priority, q.start(), q.drop(), q.sinceNanos());
            queues.get(priority.ordinal()).add(moved);
            queued.put(key, moved);
        }
    }

    private void release() {
        Queued next = null;
        synchronized (this) {
            Queued waited = queues.get(ProductionPriority.WAITED_FOR.ordinal()).peek();
            if (waited != null && ticker.read() - waited.sinceNanos() >= OVERDUE) {
                next = queues.get(ProductionPriority.WAITED_FOR.ordinal()).poll();
            }
            for (int i = 0; i < queues.size() && next == null; i++) {
                next = queues.get(i).poll();
            }
            if (next == null) {
                running--;
            } else {
                queued.remove(next.key(), next);
            }
        }
        if (next != null) {
            next.start().run();
        }
    }

    public synchronized int running() {
        return running;
    }

    public synchronized int waiting() {
        return queues.stream().mapToInt(Deque::size).sum();
    }
}
