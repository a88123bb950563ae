package com.cns.gateway.media.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.recordingindex.KeyframeIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SegmentCacheTest {
    private static final UUID CAMERA = UUID.randomUUID();
    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SegmentCache cache = new SegmentCache(1 << 20, 2, nanos::get, registry);

    private static SegmentCache.Key key(long startMs) {
        return new SegmentCache.Key(CAMERA, SegmentName.window(Rendition.NORMAL, startMs, 4000));
    }

    private static Optional<Segment> segment(boolean complete, int size) {
        return Optional.of(Segment.of(new byte[size], "\"e\"", new KeyframeIndex.Bounds(0, 4000, false, -1, 100),
                complete, new SealingRule(30_000)));
    }

    private double served(String cache) {
        return registry.get("gateway_playback_segments_served_total").tag("cache", cache).counter().count();
    }

    @Test
    void aSegmentAskedManyTimesWhileUnderWayIsProducedOnce() {
        AtomicInteger productions = new AtomicInteger();
        Promise<Optional<Segment>> p = Promise.promise();
        CompletableFuture<Optional<Segment>> a = cache.serve(key(0), () -> {
            productions.incrementAndGet();
            return p.future();
        });
        CompletableFuture<Optional<Segment>> b = cache.serve(key(0), () -> {
            productions.incrementAndGet();
            return Future.succeededFuture(Optional.empty());
        });
        assertTrue(cache.present(key(0)));
        assertTrue(cache.finished(key(0)).isEmpty(), "under way, not finished");
        p.complete(segment(true, 1000));
        assertEquals(1, productions.get());
        assertSame(a.join().orElseThrow(), b.join().orElseThrow());
        assertEquals(1.0, served("miss"));
        assertEquals(1.0, served("hit"));
        assertTrue(cache.requested(key(0)));
        assertFalse(cache.requested(key(4000)));
        assertEquals(1000.0, registry.get("gateway_playback_segment_produced").counter().count());
        assertTrue(cache.finished(key(0)).isPresent());
    }

    @Test
    void aFailedProductionIsNotKeptSoTheNextAskTriesAgain() {
        AtomicInteger productions = new AtomicInteger();
        cache.obtain(key(0), () -> {
            productions.incrementAndGet();
            return Future.failedFuture(new IllegalStateException("recorder gone"));
        });
        assertFalse(cache.present(key(0)));
        assertTrue(cache.obtain(key(0), () -> {
            productions.incrementAndGet();
            return Future.succeededFuture(segment(true, 10));
        }).join().isPresent());
        assertEquals(2, productions.get());
    }

    @Test
    void aSegmentStillGrowingOrEmptyLivesTwoSecondsAndAFinalOneStays() {
        cache.obtain(key(0), () -> Future.succeededFuture(segment(false, 10)));
        cache.obtain(key(4000), () -> Future.succeededFuture(Optional.empty()));
        cache.obtain(key(8000), () -> Future.succeededFuture(segment(true, 10)));
        nanos.addAndGet(Duration.ofMillis(1900).toNanos());
        assertTrue(cache.present(key(0)));
        nanos.addAndGet(Duration.ofMillis(200).toNanos());
        assertFalse(cache.present(key(0)), "a live-edge segment is made again after two seconds");
        assertFalse(cache.present(key(4000)));
        nanos.addAndGet(Duration.ofDays(1).toNanos());
        assertTrue(cache.present(key(8000)));
    }

    @Test
    void atMostMaxProductionsRunAndTheRestWait() {
        Promise<Optional<Segment>> first = Promise.promise();
        Promise<Optional<Segment>> second = Promise.promise();
        AtomicInteger started = new AtomicInteger();
        cache.obtain(key(0), () -> {
            started.incrementAndGet();
            return first.future();
        });
        cache.obtain(key(4000), () -> {
            started.incrementAndGet();
            return second.future();
        });
        CompletableFuture<Optional<Segment>> third = cache.obtain(key(8000), () -> {
            started.incrementAndGet();
            return Future.succeededFuture(segment(true, 10));
        });
        assertEquals(2, started.get());
        assertEquals(2, cache.productionsRunning());
        assertEquals(1.0, registry.get("gateway_playback_productions_waiting").gauge().value());
        first.complete(Optional.empty());
        assertEquals(3, started.get());
        assertTrue(third.join().isPresent());
        second.complete(Optional.empty());
        assertEquals(0, cache.productionsRunning());
    }

    @Test
    void theCacheIsBoundedByBytes() {
        for (int i = 0; i < 40; i++) {
            cache.obtain(key(i * 4000L), () -> Future.succeededFuture(segment(true, 100_000)));
        }
        cache.cleanUp();
        assertTrue(registry.get("gateway_playback_cache_bytes").gauge().value() <= 1 << 20);
    }
}
