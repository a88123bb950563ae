package com.cns.gateway.media.playback;

import com.cns.gateway.media.cache.ProductionLimiter;
import com.cns.gateway.media.cache.ProductionPriority;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * SegmentEncoders runs segment encodes on worker threads. Remuxes (milliseconds) run at once on
 * workers of their own. Transcodes (a 4 s window of 1920×1080 cost about 2 s of both cores) run at
 * most one per transcode worker, in the turn of the production they belong to (see
 * {@link ProductionLimiter}): a new viewer's first window, then what viewers wait for, then prefetch.
 *
 * <p>With one first-come queue for every encode, a new moment's first smooth window waited behind
 * the prefetched windows of the moments before: in the speed bench (1920×1080, -1x, new moments one
 * after another) the time to first segment had p95 8.5 s. A remux of a 1x segment waited behind
 * seconds-long transcodes the same way.
 */
public final class SegmentEncoders {
    private final WorkerExecutor remuxers;
    private final WorkerExecutor transcoders;
    private final ProductionLimiter turns;
    /**
     * Segments someone came to wait for while they were still being read, by the highest priority
     * they were waited for with: their transcodes take that turn when they get to it. Bounded: an
     * entry for a segment that never transcodes (a remux) ages out.
     */
    private final Cache<Object, ProductionPriority> raised = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    /**
     * {@code transcoders} should have {@code transcodeWorkers} threads; {@code maxWaiting} bounds the
     * transcodes waiting for one (productions waiting to encode: at most the production bound).
     */
    public SegmentEncoders(WorkerExecutor remuxers, WorkerExecutor transcoders, int transcodeWorkers, int maxWaiting) {
        this.remuxers = remuxers;
        this.transcoders = transcoders;
        this.turns = new ProductionLimiter(transcodeWorkers, maxWaiting);
    }

    /** Every encode on {@code workers} (tests): transcodes one at a time per thread given. */
    public static SegmentEncoders on(WorkerExecutor workers, int threads) {
        return new SegmentEncoders(workers, workers, threads, Integer.MAX_VALUE);
    }

    /**
     * {@code work}, which runs {@code encoder}, on a worker thread: at once for a remux, in
     * {@code priority}'s turn for a transcode; {@code key} names the segment (for {@link #promote}).
     */
    public <T> Future<T> run(SegmentEncoder encoder, Object key, ProductionPriority priority, Callable<T> work) {
        if (!encoder.transcodes()) {
            return remuxers.executeBlocking(work, false);
        }
        ProductionPriority waited = raised.asMap().remove(key);
        ProductionPriority turn = waited != null && waited.ordinal() < priority.ordinal() ? waited : priority;
        return turns.run(key, turn, () -> transcoders.executeBlocking(work, false));
    }

    /**
     * Someone waits for {@code key} with {@code priority}: if its transcode is queued lower, it moves
     * up; if it is not queued yet (its frames are still being read), it takes that turn when it is.
     */
    public void promote(Object key, ProductionPriority priority) {
        turns.promote(key, priority);
        raised.asMap().merge(key, priority, (a, b) -> a.ordinal() <= b.ordinal() ? a : b);
    }

    /** Transcodes waiting for a worker. */
    public int transcodesWaiting() {
        return turns.waiting();
    }
}
