package com.cns.gateway.recordingindex;

import com.cns.gateway.config.RecordingIndexSettings;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.milestone.XpSequence;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * RecordingIndex answers what is recorded where, from XProtect's sequences cached per camera and UTC
 * hour block: in Caffeine (single-flight, so concurrent identical loads reach XProtect once), with
 * PostgreSQL behind it. Dashboards send ranges relative to now that slide every second; hour blocks
 * make those ranges share almost all their work. A block wholly in the past lives for the cache TTL;
 * the block that contains now is refreshed in the background every few seconds, so new video shows
 * quickly and no reader waits for it. Missing blocks that
 * follow one another are read from XProtect in one paged call. While XProtect is down, blocks still in
 * memory or stored (even expired) keep answering; others fail with 503.
 */
public final class RecordingIndex {
    private static final Logger LOG = Logger.getLogger(RecordingIndex.class.getName());
    /** A block of one camera; it carries the camera's address so that the cache can reload it alone. */
    private record Key(CameraAddress camera, Instant start) {
    }

    private final Vertx vertx;
    private final SequenceSource source;
    private final BlockStore store;
    private final RecordingIndexSettings settings;
    private final Clock clock;
    private final AsyncLoadingCache<Key, SequenceBlock> blocks;
    private final AsyncCache<UUID, Instant> retention;

    public RecordingIndex(Vertx vertx, SequenceSource source, BlockStore store, RecordingIndexSettings settings,
                          Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.source = source;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.blocks = Caffeine.newBuilder()
                .maximumSize(settings.maxCachedBlocks())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new Expiry<Key, SequenceBlock>() {
                    @Override
                    public long expireAfterCreate(Key k, SequenceBlock b, long now) {
                        return ttl(b).toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(Key k, SequenceBlock b, long now, long current) {
                        return ttl(b).toNanos();
                    }

                    @Override
                    public long expireAfterRead(Key k, SequenceBlock b, long now, long current) {
                        return current;
                    }
                })
                .recordStats()
                .buildAsync(new AsyncCacheLoader<Key, SequenceBlock>() {
                    @Override
                    public CompletableFuture<SequenceBlock> asyncLoad(Key key, Executor executor) {
                        return load(key.camera(), Set.of(key)).thenApply(m -> m.get(key));
                    }

                    @Override
                    public CompletableFuture<Map<Key, SequenceBlock>> asyncLoadAll(Set<? extends Key> keys,
                                                                                  Executor executor) {
                        return load(keys.iterator().next().camera(), keys);
                    }

                });
        this.retention = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).buildAsync();
        CaffeineCacheMetrics.monitor(registry, blocks, "gateway_sequence_blocks");
    }

    /**
     * Sealed blocks live for the cache TTL; a block that was live when loaded lives ten times its
     * refresh period, so readers get it at once while it refreshes in the background.
     */
    private Duration ttl(SequenceBlock b) {
        return b.loadedAt().isBefore(b.end()) ? settings.liveBlockTtl().multipliedBy(10) : settings.cacheTtl();
    }

    private boolean sealed(Instant blockStart) {
        return !blockStart.plus(SequenceBlock.LENGTH).isAfter(clock.instant());
    }

    /** What is recorded of {@code camera} in [from, to), merged with the gap tolerance. */
    public Future<RecordingRuns> runs(CameraAddress camera, Instant from, Instant to) {
        return sequences(camera, from, to).map(seqs -> RecordingRuns.of(seqs, from, to, settings.gapTolerance()));
    }

    /** The sequences that overlap [from, to), from cached hour blocks. */
    public Future<List<XpSequence>> sequences(CameraAddress camera, Instant from, Instant to) {
        List<Key> keys = new ArrayList<>();
        for (Instant b = SequenceBlock.startOf(from); b.isBefore(to); b = b.plus(SequenceBlock.LENGTH)) {
            keys.add(new Key(camera, b));
        }
        if (keys.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Map<Key, SequenceBlock>> all = blocks.getAll(keys);
        return unwrapped(Future.fromCompletionStage(all, context)).map(found -> {
            refreshIfStale(keys.get(keys.size() - 1), found.get(keys.get(keys.size() - 1)));
            List<XpSequence> out = new ArrayList<>();
            SequenceBlock first = found.get(keys.get(0));
            if (first.carriedIn() != null && first.carriedIn().end().isAfter(from)) {
                out.add(first.carriedIn());
            }
            for (Key k : keys) {
                for (XpSequence s : found.get(k).beginning()) {
                    if (s.end().isAfter(from) && s.begin().isBefore(to)) {
                        out.add(s);
                    }
                }
            }
            return out;
        });
    }

    /**
     * Stale-while-revalidate for the block that was live when loaded: it is answered as it is, and
     * reloaded in the background once older than the live TTL (Caffeine runs one reload per key),
     * so a dashboard polling every second never waits for XProtect on a warm camera.
     */
    private void refreshIfStale(Key key, SequenceBlock b) {
        if (b.loadedAt().isBefore(b.end()) && !b.loadedAt().plus(settings.liveBlockTtl()).isAfter(clock.instant())) {
            blocks.synchronous().refresh(key);
        }
    }

    /**
     * When the camera's next recording after {@code t} begins, however far ahead (one
     * {@code SequencesGetAround}, not cached: asked when nothing is recorded in a playlist's window).
     */
    public Future<Optional<Instant>> nextRecordingAtOrAfter(CameraAddress camera, Instant t) {
        return source.firstBeginningAtOrAfter(camera, t).map(s -> s.map(XpSequence::begin));
    }

    /** How far back the camera's recordings reach (XProtect's GetRetentionTimeLimit), cached. */
    public Future<Instant> retentionLimit(CameraAddress camera) {
        Context context = vertx.getOrCreateContext();
        return unwrapped(Future.fromCompletionStage(retention.get(camera.cameraId(), (id, executor) ->
                source.retentionLimit(camera).toCompletionStage().toCompletableFuture()), context));
    }

    /** Caffeine's futures fail with a CompletionException around the loader's own failure. */
    private static <T> Future<T> unwrapped(Future<T> f) {
        return f.recover(e -> Future.failedFuture(e instanceof CompletionException && e.getCause() != null
                ? e.getCause() : e));
    }

    /** Loads missing blocks: stored ones first, then XProtect, whose sealed blocks are stored. */
    private CompletableFuture<Map<Key, SequenceBlock>> load(CameraAddress camera, Set<? extends Key> missing) {
        List<Instant> starts = missing.stream().map(Key::start).sorted().toList();
        Instant now = clock.instant();
        // Only sealed blocks are ever stored: the live one (reloaded every few seconds) goes straight to XProtect.
        List<Instant> storable = starts.stream().filter(this::sealed).toList();
        Future<Map<Instant, SequenceBlock>> lookup = storable.isEmpty() ? Future.succeededFuture(Map.of())
                : store.find(camera.cameraId(), storable, now, false);
        Future<Map<Key, SequenceBlock>> loaded = lookup.compose(stored -> {
            List<Instant> rest = starts.stream().filter(s -> !stored.containsKey(s)).toList();
            return fromXProtect(camera, rest).map(fetched -> {
                // Stored in the background: the answer does not wait for PostgreSQL.
                List<SequenceBlock> sealed = fetched.values().stream().filter(b -> sealed(b.start())).toList();
                store.save(camera.cameraId(), sealed, now, now.plus(settings.cacheTtl()))
                        .onFailure(e -> LOG.warning("Could not store sequence blocks: " + e.getMessage()));
                Map<Key, SequenceBlock> out = new HashMap<>();
                stored.forEach((s, b) -> out.put(new Key(camera, s), b));
                fetched.forEach((s, b) -> out.put(new Key(camera, s), b));
                return out;
            }).recover(e -> e instanceof XProtectUnavailableException ? staleOr(camera, starts, now, e)
                    : Future.failedFuture(e));
        });
        return loaded.toCompletionStage().toCompletableFuture();
    }

    /** Expired stored blocks while XProtect is down; the outage if any block is missing. */
    private Future<Map<Key, SequenceBlock>> staleOr(CameraAddress camera, List<Instant> starts, Instant now,
                                                   Throwable outage) {
        return store.find(camera.cameraId(), starts, now, true).compose(stale -> {
            if (stale.size() < starts.size()) {
                return Future.failedFuture(outage);
            }
            Map<Key, SequenceBlock> out = new HashMap<>();
            stale.forEach((s, b) -> out.put(new Key(camera, s), b));
            return Future.succeededFuture(out);
        });
    }

    /**
     * Reads each run of consecutive block starts with one paged SequencesGet and one SequencesGetAround,
     * or, for a run that reaches now, the source's single call for both.
     */
    private Future<Map<Instant, SequenceBlock>> fromXProtect(CameraAddress camera, List<Instant> starts) {
        List<List<Instant>> runs = new ArrayList<>();
        for (Instant s : starts) {
            List<Instant> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.get(last.size() - 1).plus(SequenceBlock.LENGTH).equals(s)) {
                last.add(s);
            } else {
                runs.add(new ArrayList<>(List.of(s)));
            }
        }
        List<Future<Map<Instant, SequenceBlock>>> parts = new ArrayList<>();
        for (List<Instant> run : runs) {
            Instant from = run.get(0);
            Instant to = run.get(run.size() - 1).plus(SequenceBlock.LENGTH);
            Instant loadedAt = clock.instant();
            Future<SequenceSource.Around> around = to.isAfter(loadedAt) ? source.aroundUpToNow(camera, from, to)
                    : source.around(camera, from, to);
            parts.add(around.map(a -> split(run, a.before().orElse(null), a.inside(), loadedAt)));
        }
        return Future.all(parts).map(v -> {
            Map<Instant, SequenceBlock> out = new HashMap<>();
            parts.forEach(p -> out.putAll(p.result()));
            return out;
        });
    }

    static Map<Instant, SequenceBlock> split(List<Instant> run, XpSequence before, List<XpSequence> inside,
                                             Instant loadedAt) {
        List<XpSequence> sorted = new ArrayList<>(inside);
        sorted.sort(Comparator.comparing(XpSequence::begin));
        Map<Instant, SequenceBlock> out = new HashMap<>();
        XpSequence carried = before;
        int i = 0;
        for (Instant start : run) {
            Instant end = start.plus(SequenceBlock.LENGTH);
            List<XpSequence> mine = new ArrayList<>();
            while (i < sorted.size() && sorted.get(i).begin().isBefore(end)) {
                mine.add(sorted.get(i++));
            }
            out.put(start, new SequenceBlock(start, List.copyOf(mine), carried, loadedAt));
            if (!mine.isEmpty()) {
                carried = mine.get(mine.size() - 1);
            }
        }
        return out;
    }
}
