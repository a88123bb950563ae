package com.cns.gateway.media.cache;

import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * SegmentCache holds produced segments, weighed by their bytes, keyed by everything that names one
 * (camera, format version, rendition, window). Each is produced once however many ask (single
 * flight), at most {@code maxProductions} at a time (the rest wait their turn, so a burst of viewers
 * cannot hold more frames in memory than the bound allows). A final segment stays until evicted;
 * one still growing at the live edge, or a window with nothing in it, lives two seconds. It binds its
 * own meters and reads time from the injected ticker.
 */
public final class SegmentCache {
    private static final long SHORT_LIFE_NANOS = Duration.ofSeconds(2).toNanos();

    /** What names a segment: the camera and the segment's name (version, rendition, window). */
    public record Key(UUID camera, SegmentName name) {
    }

    private final AsyncCache<Key, Optional<Segment>> cache;
    private final ProductionLimiter limiter;
    /** Segments viewers asked for in the last ten minutes (the planner keeps playlists ahead of them). */
    private final Cache<Key, Boolean> requested;
    private final Timer production;
    private final Counter hits;
    private final Counter misses;
    private final Counter producedBytes;

    public SegmentCache(long maxBytes, int maxProductions, Ticker ticker, MeterRegistry registry) {
        // Eight waiting per slot: a burst of new viewers waits a few productions, a flood is refused.
        this.limiter = new ProductionLimiter(maxProductions, 8 * maxProductions, ticker);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key k, Optional<Segment> v) -> 64 + v.map(Segment::size).orElse(0))
                .expireAfter(new Expiry<Key, Optional<Segment>>() {
                    @Override
                    public long expireAfterCreate(Key k, Optional<Segment> v, long now) {
                        return v.map(Segment::complete).orElse(false) ? Long.MAX_VALUE : SHORT_LIFE_NANOS;
                    }

                    @Override
                    public long expireAfterUpdate(Key k, Optional<Segment> v, long now, long current) {
                        return expireAfterCreate(k, v, now);
                    }

                    @Override
                    public long expireAfterRead(Key k, Optional<Segment> v, long now, long current) {
                        return current;
                    }
                })
                .ticker(ticker)
                .recordStats()
                .buildAsync();
        this.requested = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(Duration.ofMinutes(10))
                .ticker(ticker).build();
        CaffeineCacheMetrics.monitor(registry, cache, "playback_segments");
        this.production = Timer.builder("gateway_playback_segment_production_seconds")
                .description("Time to produce one HLS segment from ImageServer frames").publishPercentileHistogram()
                .register(registry);
        this.hits = Counter.builder("gateway_playback_segments_served_total").tag("cache", "hit")
                .description("Segments served, by whether the cache held them").register(registry);
        this.misses = Counter.builder("gateway_playback_segments_served_total").tag("cache", "miss")
                .description("Segments served, by whether the cache held them").register(registry);
        this.producedBytes = Counter.builder("gateway_playback_segment_produced").baseUnit("bytes")
                .description("Bytes of HLS segments produced").register(registry);
        Gauge.builder("gateway_playback_productions_active", limiter, ProductionLimiter::running)
                .description("Segment productions running now").register(registry);
        Gauge.builder("gateway_playback_productions_waiting", limiter, ProductionLimiter::waiting)
                .description("Segment productions waiting for a slot").register(registry);
        Gauge.builder("gateway_playback_cache_bytes", cache, c -> c.synchronous().policy().eviction()
                .map(e -> e.weightedSize().orElse(0)).orElse(0L)).baseUnit("bytes")
                .description("Bytes of segments held in the cache").register(registry);
    }

    /**
     * A viewer's request for a segment: counted as a hit or a miss, remembered as requested, and
     * answered from the cache or by {@code production}, started once.
     */
    public CompletableFuture<Optional<Segment>> serve(Key key, Supplier<Future<Optional<Segment>>> production) {
        requested.put(key, Boolean.TRUE);
        CompletableFuture<Optional<Segment>> cached = live(key);
        (cached != null ? hits : misses).increment();
        if (cached != null && !cached.isDone()) {
            limiter.promote(key, ProductionPriority.WAITED_FOR);   // prefetched, still queued: a viewer waits now
        }
        return cached != null ? cached : obtain(key, production, ProductionPriority.WAITED_FOR);
    }

    /** The segment from the cache or produced once (in the background), without counting it as a viewer's request. */
    public CompletableFuture<Optional<Segment>> obtain(Key key, Supplier<Future<Optional<Segment>>> production) {
        return obtain(key, production, ProductionPriority.BACKGROUND);
    }

    /**
     * As {@link #obtain(Key, Supplier)}, its production in its {@code priority}'s turn (moved up if it
     * is already queued lower).
     */
    public CompletableFuture<Optional<Segment>> obtain(Key key, Supplier<Future<Optional<Segment>>> production,
                                                       ProductionPriority priority) {
        CompletableFuture<Optional<Segment>> present = live(key);
        if (present != null) {
            if (!present.isDone()) {
                limiter.promote(key, priority);
            }
            return present;
        }
        return cache.get(key, (k, executor) -> {
            Timer.Sample sample = Timer.start();
            return limiter.run(k, priority, production).andThen(ar -> {
                sample.stop(this.production);
                if (ar.succeeded()) {
                    ar.result().ifPresent(s -> producedBytes.increment(s.size()));
                }
            }).toCompletionStage().toCompletableFuture();
        });
    }

    /** Whether the segment is cached or under way (a failed production does not count). */
    public boolean present(Key key) {
        return live(key) != null;
    }

    /** The segment if its production finished and succeeded; empty while under way, failed or absent. */
    public Optional<Segment> finished(Key key) {
        CompletableFuture<Optional<Segment>> f = cache.getIfPresent(key);
        if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
            return f.join();
        }
        return Optional.empty();
    }

    /** Whether a viewer asked for the segment in the last ten minutes. */
    public boolean requested(Key key) {
        return requested.getIfPresent(key) != null;
    }

    /** Productions running now. */
    public int productionsRunning() {
        return limiter.running();
    }

    /** Productions waiting for a slot. */
    public int productionsWaiting() {
        return limiter.waiting();
    }

    /** Runs pending evictions now (Caffeine otherwise does so on its own schedule). */
    void cleanUp() {
        cache.synchronous().cleanUp();
    }

    /**
     * The cached production of {@code key}, unless it failed: Caffeine drops a failed one in a callback
     * that can run after the failure's 503 reached the player, so the player's retry on another event
     * loop found the failure still cached (seen in CI: 503 after the recorder came back).
     */
    private CompletableFuture<Optional<Segment>> live(Key key) {
        CompletableFuture<Optional<Segment>> f = cache.getIfPresent(key);
        if (f != null && f.isCompletedExceptionally()) {
            cache.asMap().remove(key, f);
            return null;
        }
        return f;
    }
}
