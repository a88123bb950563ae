package com.cns.gateway.media.playback;

import com.cns.gateway.config.PlaybackSettings;
import com.cns.gateway.media.hls.HlsPlaylistWriter;
import com.cns.gateway.media.hls.PlaylistSegment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import com.cns.gateway.recordingindex.RecordingIndex;
import com.cns.gateway.recordingindex.RecordingRuns;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * PlaybackService answers time-addressed HLS: EVENT playlists planned from learned keyframe bounds,
 * and segments from a byte-bounded cache where each is produced once however many ask (single
 * flight), at most {@code maxProductions} at a time, with the next few fetched ahead of a viewer.
 */
public final class PlaybackService {
    private static final Logger LOG = Logger.getLogger(PlaybackService.class.getName());
    /**
     * A playlist's first request produces this many grid windows at once, and lists at least this many
     * less one grid lengths of video after the asked time when the recording has them (across a gap
     * too), so a player that starts there has buffer to play while it reloads the playlist.
     */
    private static final int MIN_LISTED = 3;
    /** New segments one playlist request may produce. */
    private static final int MAX_NEW_PER_PLAYLIST = 6;
    private static final long SHORT_LIFE_NANOS = Duration.ofSeconds(2).toNanos();

    /** A playlist's text, and whether it ended ({@code EXT-X-ENDLIST}). */
    public record Playlist(String text, boolean ended, int segments) {
    }

    private record Key(UUID camera, long startMs, long lengthMs) {
    }

    private record Entry(SegmentName name, KeyframeIndex.Bounds bounds, boolean discontinuity) {
    }

    private final Vertx vertx;
    private final SegmentProducer producer;
    private final RecorderFrames frames;
    private final KeyframeIndex keyframes;
    private final RecordingIndex recordings;
    private final PlaybackSettings settings;
    private final long gridMs;
    private final Clock clock;
    private final AsyncCache<Key, Optional<Segment>> cache;
    private final ProductionLimiter limiter;
    private final Cache<Key, Boolean> requested;
    private final Timer production;
    private final Counter hits;
    private final Counter misses;
    private final Counter producedBytes;
    private final Counter brokenWindows;
    private final Counter remuxedFrames;
    /** Playlists asked or reloaded in the last 30 s (players reload an EVENT playlist every few seconds). */
    private final Cache<String, Boolean> viewers = Caffeine.newBuilder().maximumSize(1_000_000)
            .expireAfterWrite(Duration.ofSeconds(30)).build();

    public PlaybackService(Vertx vertx, RecorderFrames frames, KeyframeIndex keyframes, RecordingIndex recordings,
                           PlaybackSettings settings, Duration gapTolerance, Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.frames = frames;
        this.keyframes = keyframes;
        this.recordings = recordings;
        this.settings = settings;
        this.gridMs = settings.segment().toMillis();
        this.clock = clock;
        this.producer = new SegmentProducer(frames, Math.max(1, gapTolerance.toMillis()), settings.seal().toMillis(),
                clock);
        this.limiter = new ProductionLimiter(settings.maxProductions());
        this.cache = Caffeine.newBuilder()
                .maximumWeight(settings.cacheBytes())
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
                .recordStats()
                .buildAsync();
        this.requested = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(Duration.ofMinutes(10)).build();
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
        this.brokenWindows = Counter.builder("gateway_playback_broken_windows_total")
                .description("Segment windows skipped as gaps because the recorder could not give their frames intact")
                .register(registry);
        this.remuxedFrames = Counter.builder("gateway_transcoder_frames").tag("kind", "remux")
                .description("Frames put into segments by the transcoder (1x playback remuxes, never decodes)")
                .register(registry);
        Gauge.builder("gateway_transcoder_pipelines_active", limiter, ProductionLimiter::running).tag("kind", "remux")
                .description("Transcoder pipelines running (at 1x, each segment production is one remux)")
                .register(registry);
        Gauge.builder("gateway_playback_viewers_active", viewers, Cache::estimatedSize)
                .description("Playlists requested or reloaded in the last 30 s").register(registry);
        Gauge.builder("gateway_playback_productions_active", limiter, ProductionLimiter::running)
                .description("Segment productions running now").register(registry);
        Gauge.builder("gateway_playback_productions_waiting", limiter, ProductionLimiter::waiting)
                .description("Segment productions waiting for a slot").register(registry);
        Gauge.builder("gateway_playback_cache_bytes", cache, c -> c.synchronous().policy().eviction()
                .map(e -> e.weightedSize().orElse(0)).orElse(0L)).baseUnit("bytes")
                .description("Bytes of segments held in the cache").register(registry);
    }

    public long gridMs() {
        return gridMs;
    }

    /**
     * The segment {@code name} of a camera, from the cache or produced once; empty when its window
     * holds no keyframe (or, for a resumption name, when no recording resumes exactly there).
     */
    public Future<Optional<Segment>> segment(CameraAddress camera, SegmentName name) {
        Key key = new Key(camera.cameraId(), name.startMs(), name.lengthMs());
        requested.put(key, Boolean.TRUE);
        CompletableFuture<Optional<Segment>> cached = live(key);
        (cached != null ? hits : misses).increment();
        return Future.fromCompletionStage(cached != null ? cached : load(camera, name), vertx.getOrCreateContext())
                .map(found -> found.filter(seg -> valid(name, seg)));
    }

    /** The segment from the cache or produced once, for the playlist's own planning (not a viewer's request). */
    private Future<Optional<Segment>> obtain(CameraAddress camera, SegmentName name) {
        return Future.fromCompletionStage(load(camera, name), vertx.getOrCreateContext());
    }

    private CompletableFuture<Optional<Segment>> load(CameraAddress camera, SegmentName name) {
        Key key = new Key(camera.cameraId(), name.startMs(), name.lengthMs());
        live(key);
        return cache.get(key, (k, executor) -> produce(camera, name).toCompletionStage().toCompletableFuture());
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

    /** Produces, without waiting, the next few grid windows after {@code name}. */
    public void prefetch(CameraAddress camera, SegmentName name) {
        long next = SegmentName.gridStart(name.startMs(), gridMs) + gridMs;
        for (int i = 0; i < settings.prefetchSegments(); i++) {
            long start = next + i * gridMs;
            if (start > clock.millis()) {
                return;
            }
            Key key = new Key(camera.cameraId(), start, gridMs);
            if (keyframes.bounds(camera.cameraId(), start, gridMs).isEmpty() && live(key) == null) {
                load(camera, new SegmentName(1, name.speed(), start, gridMs));
            }
        }
    }

    private Future<Optional<Segment>> produce(CameraAddress camera, SegmentName name) {
        Timer.Sample sample = Timer.start();
        return limiter.run(() -> producer.produce(camera, name.startMs(), name.lengthMs())).map(found -> {
            sample.stop(production);
            found.ifPresent(s -> {
                producedBytes.increment(s.size());
                remuxedFrames.increment(s.bounds().frames());
                if (s.complete() && valid(name, s)) {
                    keyframes.learn(camera.cameraId(), name.startMs(), name.lengthMs(), s.bounds());
                }
            });
            return found;
        });
    }

    /**
     * Whether a produced segment answers its name: a grid window always; a resumption only if it starts
     * on its own keyframe (a recording that resumes mid-GOP is listed under its first keyframe instead,
     * which {@link #plan} finds from these bounds).
     */
    private boolean valid(SegmentName name, Segment s) {
        return name.onGrid(gridMs) || s.bounds().firstFrameMs() == name.startMs();
    }

    /** The bounds of a window if known (learned, or in a finished production), without producing it. */
    private Optional<KeyframeIndex.Bounds> known(CameraAddress camera, SegmentName name) {
        Optional<KeyframeIndex.Bounds> b = keyframes.bounds(camera.cameraId(), name.startMs(), name.lengthMs());
        if (b.isPresent()) {
            return b;
        }
        CompletableFuture<Optional<Segment>> f = cache.getIfPresent(new Key(camera.cameraId(), name.startMs(),
                name.lengthMs()));
        if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
            return f.join().map(Segment::bounds);
        }
        return Optional.empty();
    }

    /**
     * The EVENT playlist from {@code time}: its first segment contains the last frame at or before
     * it, and it runs to {@code endTime} (null: the end of the recording run containing the time),
     * capped by the maximum window. Fails with {@link NothingRecordedException} when nothing is
     * recorded at or after the time within the window, {@link UnsupportedCodecException} for a
     * camera not recording H.264.
     */
    public Future<Playlist> playlist(CameraAddress camera, Instant time, Instant endTime) {
        viewers.put(camera.cameraId() + "/" + time + "/" + endTime, Boolean.TRUE);
        Instant horizon = time.plus(settings.maxWindow());
        Instant now = clock.instant();
        Instant to = horizon.isAfter(now) ? now : horizon;
        if (!to.isAfter(time)) {
            return Future.failedFuture(new NothingRecordedException("Nothing is recorded at or after " + time
                    + ": that is now or in the future"));
        }
        long t = time.toEpochMilli();
        Optional<SegmentName> known = knownSegmentAt(camera, t);
        if (known.isEmpty()) {
            // A new playlist lists two grid lengths after T: T's window and the next two, or from the
            // window before when T's keyframe lies there (or nothing, when T is in a gap). Produce them
            // while the recorder is probed for that keyframe.
            long w = SegmentName.gridStart(t, gridMs);
            for (long s = w; s < w + MIN_LISTED * gridMs && s < to.toEpochMilli(); s += gridMs) {
                obtain(camera, new SegmentName(1, 1, s, gridMs));
            }
        }
        Future<RecordingRuns> runs = recordings.runs(camera, time, to);
        Future<Optional<RecorderFrames.Keyframe>> probe = known.isPresent() ? Future.succeededFuture(Optional.empty())
                : frames.keyframeAtOrBefore(camera, t);
        return Future.all(runs, probe).compose(v -> {
            RecordingRuns rr = runs.result();
            if (rr.runs().isEmpty()) {
                throw new NothingRecordedException("Nothing is recorded at or after " + time + " (looked "
                        + settings.maxWindow().toMinutes() + " minutes ahead)");
            }
            RecordingRuns.Run run = rr.runs().get(0);
            long from = Math.max(t, run.start().toEpochMilli());
            long end = endTime != null ? Math.min(endTime.toEpochMilli(), horizon.toEpochMilli())
                    : Math.min(run.end().toEpochMilli(), horizon.toEpochMilli());
            if (from == t && known.isPresent()) {
                return plan(camera, known.get(), false, end, new ArrayList<>(), MAX_NEW_PER_PLAYLIST, from);
            }
            Future<Optional<RecorderFrames.Keyframe>> keyframe = (from == t ? probe
                    : frames.keyframeAtOrBefore(camera, from)).recover(e -> e instanceof XProtectUnavailableException
                    ? Future.failedFuture(e)
                    // A damaged keyframe: start from the window of the time; planning skips what is damaged.
                    : Future.succeededFuture(Optional.of(new RecorderFrames.Keyframe(from, RecorderFrames.Codec.H264))));
            return keyframe.compose(k -> {
                RecorderFrames.Keyframe kf = k.orElseThrow(() -> new NothingRecordedException(
                        "Nothing is recorded at or after " + time));
                if (kf.codec() != RecorderFrames.Codec.H264) {
                    throw new UnsupportedCodecException(kf.codec());
                }
                long w0 = SegmentName.gridStart(kf.timeMs(), gridMs);
                // The first windows are produced at once, not one after the other.
                for (int i = 1; i < MIN_LISTED && w0 + i * gridMs < end; i++) {
                    obtain(camera, new SegmentName(1, 1, w0 + i * gridMs, gridMs));
                }
                return firstEntry(camera, new SegmentName(1, 1, w0, gridMs), kf.timeMs()).compose(e ->
                        plan(camera, e.name(), e.discontinuity(), end, new ArrayList<>(), MAX_NEW_PER_PLAYLIST, from));
            });
        });
    }

    /** The grid window whose learned segment shows time {@code t}, if known (no need to ask the recorder). */
    private Optional<SegmentName> knownSegmentAt(CameraAddress camera, long t) {
        long w = SegmentName.gridStart(t, gridMs);
        for (long start : new long[] {w, w - gridMs, w - 2 * gridMs}) {
            SegmentName n = new SegmentName(1, 1, start, gridMs);
            Optional<KeyframeIndex.Bounds> b = known(camera, n);
            if (b.isPresent() && b.get().firstFrameMs() <= t && t < b.get().endMs()) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /**
     * The segment holding keyframe {@code k}: its grid window's, unless that window's segment ends at
     * a gap before {@code k}, when the recording's resumption inside the window holds it.
     */
    private Future<Entry> firstEntry(CameraAddress camera, SegmentName window, long k) {
        return bounds(camera, window).recover(e -> e instanceof XProtectUnavailableException
                || e instanceof UnsupportedCodecException ? Future.failedFuture(e)
                : Future.succeededFuture(Optional.empty())).map(b -> {
            if (b.isPresent() && b.get().gapAfter() && b.get().resumeMs() >= 0 && b.get().resumeMs() <= k) {
                long r = b.get().resumeMs();
                return new Entry(new SegmentName(1, 1, r, window.startMs() + gridMs - r), null, true);
            }
            return new Entry(window, null, false);
        });
    }

    private Future<Optional<KeyframeIndex.Bounds>> bounds(CameraAddress camera, SegmentName name) {
        Optional<KeyframeIndex.Bounds> b = known(camera, name);
        return b.isPresent() ? Future.succeededFuture(b) : obtain(camera, name).map(s -> s.map(Segment::bounds));
    }

    /**
     * Lists segments from {@code name} on while their bounds are known, producing unknown ones (with
     * the grid windows after them, in parallel) while the playlist is short or within the prefetch
     * distance of the furthest listed segment a viewer asked for. Completes with the playlist.
     */
    private Future<Playlist> plan(CameraAddress camera, SegmentName name, boolean discontinuity, long end,
                                  List<Entry> listed, int budget, long from) {
        while (true) {
            Optional<KeyframeIndex.Bounds> b = known(camera, name);
            if (b.isEmpty()) {
                int furthest = furthestRequested(camera, listed);
                int ahead = furthest < 0 ? 0 : listed.size() - 1 - furthest;
                boolean enough = listedAfter(listed, from) >= (MIN_LISTED - 1) * (long) gridMs;
                // A new playlist waits only for what a player needs to start; prefetch follows its requests.
                if (budget <= 0 || enough && (furthest < 0 || ahead >= settings.prefetchSegments())) {
                    return Future.succeededFuture(write(listed, from, false));
                }
                // Short: the windows up to the one holding the time the playlist must reach. Else: the
                // prefetch distance still missing. (A new playlist no longer starts windows it does not
                // list: the player's first segment request prefetches those.)
                long reach = SegmentName.gridStart(from + (MIN_LISTED - 1) * (long) gridMs, gridMs);
                long windows = enough ? settings.prefetchSegments() - ahead
                        : (reach - SegmentName.gridStart(name.startMs(), gridMs)) / gridMs + 1;
                int batch = (int) Math.max(1, Math.min(budget, windows));
                List<Future<?>> work = new ArrayList<>();
                work.add(obtain(camera, name));
                for (int i = 1; i < batch && name.onGrid(gridMs); i++) {
                    long s = name.startMs() + i * gridMs;
                    if (s < end) {
                        work.add(obtain(camera, new SegmentName(1, 1, s, gridMs)));
                    }
                }
                SegmentName n = name;
                boolean disc = discontinuity;
                int left = budget - work.size();
                // Wait for this window only: the ones after it are under way, and the loop comes back for
                // each (waiting for a whole batch made a playlist wait for a window it did not need).
                return work.get(0).transform(ar -> {
                    if (known(camera, n).isEmpty()) {
                        Throwable failure = work.get(0).cause();
                        if (failure != null && !(failure instanceof XProtectUnavailableException)
                                && !(failure instanceof UnsupportedCodecException)) {
                            // Frames the recorder cannot give intact: the window becomes a gap, playback goes on.
                            LOG.warning("segment " + n + " of camera " + camera.cameraId() + " is skipped as a gap: "
                                    + failure.getMessage());
                            brokenWindows.increment();
                            long next = SegmentName.gridStart(n.startMs(), gridMs) + gridMs;
                            if (next >= end) {
                                return Future.succeededFuture(write(listed, from, true));
                            }
                            return plan(camera, new SegmentName(1, 1, next, gridMs), true, end, listed, left, from);
                        }
                        if (failure != null && listed.isEmpty()) {
                            return Future.failedFuture(failure);
                        }
                        return Future.succeededFuture(write(listed, from, false));
                    }
                    return plan(camera, n, disc, end, listed, left, from);
                });
            }
            KeyframeIndex.Bounds bounds = b.get();
            if (!name.onGrid(gridMs) && bounds.firstFrameMs() != name.startMs()) {
                // The recording resumed mid-GOP: list the segment from its first keyframe.
                SegmentName renamed = canonical(bounds.firstFrameMs(), name);
                if (renamed.equals(name)) {
                    return Future.succeededFuture(write(listed, from, false));
                }
                name = renamed;
                continue;
            }
            if (bounds.firstFrameMs() >= end && !listed.isEmpty()) {
                return Future.succeededFuture(write(listed, from, true));
            }
            listed.add(new Entry(name, bounds, discontinuity));
            if (!bounds.gapAfter()) {
                if (bounds.endMs() >= end) {
                    return Future.succeededFuture(write(listed, from, true));
                }
                name = new SegmentName(1, 1, SegmentName.gridStart(bounds.endMs(), gridMs), gridMs);
                discontinuity = false;
            } else if (bounds.resumeMs() < 0) {
                // The end of data: final once it is older than the sealing delay.
                return Future.succeededFuture(write(listed, from,
                        bounds.endMs() + settings.seal().toMillis() < clock.millis()));
            } else {
                long r = bounds.resumeMs();
                if (r >= end) {
                    return Future.succeededFuture(write(listed, from, true));
                }
                name = canonical(r, name);
                discontinuity = true;
            }
        }
    }

    /**
     * The name of the segment that starts at {@code startMs}, where recording resumes after a gap that
     * followed segment {@code before}: its own resumption inside the same window, else its grid window.
     */
    private SegmentName canonical(long startMs, SegmentName before) {
        long g = SegmentName.gridStart(startMs, gridMs);
        return g == SegmentName.gridStart(before.startMs(), gridMs) && startMs != g
                ? new SegmentName(1, 1, startMs, g + gridMs - startMs) : new SegmentName(1, 1, g, gridMs);
    }

    /** Milliseconds of listed video after {@code from} (the asked time). */
    private static long listedAfter(List<Entry> listed, long from) {
        long total = 0;
        for (Entry e : listed) {
            total += Math.max(0, e.bounds().endMs() - Math.max(from, e.bounds().firstFrameMs()));
        }
        return total;
    }

    /** The index of the last listed segment a viewer asked for, or -1 if none was asked yet. */
    private int furthestRequested(CameraAddress camera, List<Entry> listed) {
        for (int i = listed.size() - 1; i >= 0; i--) {
            SegmentName n = listed.get(i).name();
            if (requested.getIfPresent(new Key(camera.cameraId(), n.startMs(), n.lengthMs())) != null) {
                return i;
            }
        }
        return -1;
    }

    private Playlist write(List<Entry> listed, long from, boolean ended) {
        int target = settings.targetDurationSeconds();
        List<PlaylistSegment> out = new ArrayList<>();
        for (Entry e : listed) {
            if (Math.round(e.bounds().durationMs() / 1000.0) > target) {
                LOG.warning("segment " + e.name() + " lasts " + e.bounds().durationMs() + " ms, above the target "
                        + "duration of " + target + " s (a GOP longer than PLAYBACK_MAX_GOP_MS): the playlist stops "
                        + "before it");
                ended = false;
                break;
            }
            out.add(new PlaylistSegment("hls/" + e.name(), e.bounds().durationMs(),
                    Instant.ofEpochMilli(e.bounds().firstFrameMs()), e.discontinuity() && !out.isEmpty()));
        }
        long offset = listed.isEmpty() ? 0 : Math.max(0, from - listed.get(0).bounds().firstFrameMs());
        return new Playlist(HlsPlaylistWriter.write(target, offset, out, ended), ended, out.size());
    }
}
