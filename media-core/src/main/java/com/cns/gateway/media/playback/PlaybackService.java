package com.cns.gateway.media.playback;

import com.cns.gateway.config.PlaybackSettings;
import com.cns.gateway.media.cache.ProductionPriority;
import com.cns.gateway.media.cache.SegmentCache;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * PlaybackService answers time-addressed HLS: playlists from the {@link SegmentWindowPlanner}, and
 * segments from the {@link SegmentCache}, produced by the {@link SegmentProducer} once however many
 * ask, with the next few fetched ahead of a viewer. Windows whose bounds a production taught are
 * remembered in the {@link KeyframeIndex}, so playlists list them without walking them again.
 */
public final class PlaybackService {
    private static final Logger LOG = Logger.getLogger(PlaybackService.class.getName());
    private static final String FRAMES_HELP = "Source frames put into segments, by kind (remux: 1x as recorded; "
            + "keyframes: keyframes-only renditions; smooth: decoded and re-encoded)";
    private final Vertx vertx;
    private final SegmentProducer producer;
    private final KeyframeProducer keyframeProducer;
    private final SegmentEncoders encoders;
    private final SegmentWindowPlanner planner;
    private final KeyframeIndex keyframes;
    private final SegmentCache cache;
    private final PlaybackSettings settings;
    private final long gridMs;
    private final Clock clock;
    private final Counter remuxedFrames;
    private final Counter keyframesOnlyFrames;
    private final Counter smoothFrames;
    private final Counter fallbacks;
    private final Counter brokenWindows;
    private final MeterRegistry registry;
    /** How each smooth window was listed: smooth, or keyframes only when it was decided at capacity. */
    private final Cache<SegmentCache.Key, SegmentName> listedAs = Caffeine.newBuilder().maximumSize(1_000_000)
            .expireAfterAccess(Duration.ofMinutes(30)).build();
    /** Smooth productions under way. */
    private final AtomicInteger transcoding = new AtomicInteger();
    /**
     * Smooth productions under way that a viewer waited for when they started: past twice
     * {@code PLAYBACK_TRANSCODE_WORKERS}, new smooth windows play keyframes only. Prefetch does not
     * count: its transcodes wait behind a viewer's (see {@link SegmentEncoders}). Counting it made
     * most new moments' first windows keyframes only while the moments before were prefetched.
     */
    private final AtomicInteger waitedTranscodes = new AtomicInteger();
    /** Playlists asked or reloaded in the last 30 s (players reload an EVENT playlist every few seconds). */
    private final Cache<String, Boolean> viewers = Caffeine.newBuilder().maximumSize(1_000_000)
            .expireAfterWrite(Duration.ofSeconds(30)).build();

    /**
     * Playback from its parts; {@code cache} holds what the producers make ({@code producer} 1x remuxes,
     * {@code keyframeProducer} keyframes-only renditions), {@code planner} lists it.
     */
    /** {@code encoders}: the encoders both producers run on (a segment waited for moves up in their turns). */
    public PlaybackService(Vertx vertx, SegmentProducer producer, KeyframeProducer keyframeProducer,
                           SegmentEncoders encoders, SegmentWindowPlanner planner, SegmentCache cache, KeyframeIndex keyframes,
                           PlaybackSettings settings, Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.producer = producer;
        this.keyframeProducer = keyframeProducer;
        this.encoders = encoders;
        this.planner = planner;
        this.cache = cache;
        this.keyframes = keyframes;
        this.settings = settings;
        this.gridMs = settings.segment().toMillis();
        this.clock = clock;
        this.remuxedFrames = Counter.builder("gateway_transcoder_frames").tag("kind", "remux")
                .description(FRAMES_HELP)
                .register(registry);
        this.keyframesOnlyFrames = Counter.builder("gateway_transcoder_frames").tag("kind", "keyframes")
                .description(FRAMES_HELP)
                .register(registry);
        this.registry = registry;
        this.brokenWindows = SegmentWindowPlanner.brokenWindows(registry);
        this.fallbacks = Counter.builder("gateway_playback_fallbacks_total")
                .description("Smooth windows listed keyframes only because every transcode worker was busy")
                .register(registry);
        Gauge.builder("gateway_playback_transcodes_active", transcoding, AtomicInteger::get)
                .description("Smooth segment productions under way (their capacity is PLAYBACK_TRANSCODE_WORKERS)")
                .register(registry);
        this.smoothFrames = Counter.builder("gateway_transcoder_frames").tag("kind", "smooth")
                .description(FRAMES_HELP)
                .register(registry);
        Gauge.builder("gateway_transcoder_pipelines_active", cache, SegmentCache::productionsRunning)
                .tag("kind", "remux")
                .description("Transcoder pipelines running (at 1x, each segment production is one remux)")
                .register(registry);
        Gauge.builder("gateway_playback_viewers_active", viewers, Cache::estimatedSize)
                .description("Playlists requested or reloaded in the last 30 s").register(registry);
    }

    public long gridMs() {
        return gridMs;
    }

    /**
     * What a speed is built as: 1x as recorded; up to {@code PLAYBACK_SMOOTH_MAX_SPEED} smooth (every
     * frame decoded and re-encoded at the output rate); faster, keyframes only.
     */
    public Rendition rendition(Speed speed) {
        if (speed == Speed.NORMAL) {
            return Rendition.NORMAL;
        }
        return new Rendition(speed, speed.magnitude() <= settings.smoothMaxSpeed() ? Rendition.Mode.SMOOTH
                : Rendition.Mode.KEYFRAMES);
    }

    /**
     * The segment {@code name} of a camera, from the cache or produced once; empty when its window
     * holds no keyframe (or, for a resumption name, when no recording resumes exactly there).
     */
    public Future<Optional<Segment>> segment(CameraAddress camera, SegmentName name) {
        SegmentCache.Key key = new SegmentCache.Key(camera.cameraId(), name);
        // A viewer waits for it: if it is made now, it is read with every connection to spare.
        Future<Optional<Segment>> served = onContext(cache.serve(key,
                () -> produce(camera, name, ProductionPriority.FIRST)));
        promote(key, ProductionPriority.WAITED_FOR);
        return served.map(found -> found.filter(s -> valid(name, s)));
    }

    /**
     * Produces, without waiting, the next few windows after {@code name} in playing order: later ones
     * forward, earlier ones backward; nothing while productions wait for a slot.
     */
    public void prefetch(CameraAddress camera, SegmentName name) {
        if (cache.productionsWaiting() > 0) {
            // Busy: the slots go to segments players ask for, not to guesses (a viewer gone meanwhile
            // would leave its prefetch queued ahead of everyone's next request).
            return;
        }
        boolean back = name.rendition().speed().reverse();
        SegmentName next = back ? name.previousWindow(gridMs) : name.nextWindow(gridMs);
        for (int i = 0; i < settings.prefetchSegments() && next.startMs() <= clock.millis(); i++) {
            if (learned(camera, next).isEmpty()
                    && !cache.present(new SegmentCache.Key(camera.cameraId(), next))) {
                obtain(camera, next);
            }
            next = back ? next.previousWindow(gridMs) : next.nextWindow(gridMs);
        }
    }

    /**
     * The EVENT playlist of rendition {@code r} from {@code time}: its first segment contains the
     * last frame at or before it, and it runs (forward, or back in recording time for a backward
     * speed) to {@code endTime} (null: the end or start of the recording run containing the time),
     * capped by the maximum window. Fails with {@link NothingRecordedException} when nothing is
     * recorded there within the window, {@link UnsupportedCodecException} for a camera not recording
     * H.264.
     */
    public Future<Playlist> playlist(CameraAddress camera, Rendition r, Instant time, Instant endTime) {
        return playlist(camera, r, time, endTime, null);
    }

    /**
     * As {@link #playlist(CameraAddress, Rendition, Instant, Instant)} for a player that began it at
     * {@code since} (null: unknown), listed at least as far as that player can have played by now.
     */
    public Future<Playlist> playlist(CameraAddress camera, Rendition r, Instant time, Instant endTime, Instant since) {
        viewers.put(camera.cameraId() + "/" + r + "/" + time + "/" + endTime, Boolean.TRUE);
        return planner.playlist(camera, windows(camera), r, time, endTime, since);
    }

    /**
     * The same recording as one whole VOD playlist, listed at once from keyframe probes, for players
     * that take an EVENT playlist for live; at most ten minutes of output.
     */
    public Future<Playlist> vodPlaylist(CameraAddress camera, Rendition r, Instant time, Instant endTime) {
        viewers.put(camera.cameraId() + "/vod/" + r + "/" + time + "/" + endTime, Boolean.TRUE);
        return planner.vodPlaylist(camera, windows(camera), r, time, endTime);
    }

    /** The planner's view of one camera's windows: the keyframe index, then the cache. */
    private SegmentWindowPlanner.Windows windows(CameraAddress camera) {
        return new SegmentWindowPlanner.Windows() {
            @Override
            public Optional<KeyframeIndex.Bounds> known(SegmentName name) {
                Optional<KeyframeIndex.Bounds> b = learned(camera, name);
                return b.isPresent() ? b
                        : cache.finished(new SegmentCache.Key(camera.cameraId(), name)).map(Segment::bounds);
            }

            @Override
            public Future<Optional<KeyframeIndex.Bounds>> produce(SegmentName name) {
                return produce(name, ProductionPriority.BACKGROUND);
            }

            @Override
            public Future<Optional<KeyframeIndex.Bounds>> produce(SegmentName name, ProductionPriority priority) {
                SegmentCache.Key key = key(name);
                Future<Optional<Segment>> made = onContext(cache.obtain(key,
                        () -> PlaybackService.this.produce(camera, name, priority), priority));
                promote(key, priority);
                return made.map(s -> s.map(Segment::bounds));
            }

            @Override
            public boolean busy() {
                return cache.productionsWaiting() > 0;
            }

            @Override
            public boolean requested(SegmentName name) {
                return cache.requested(new SegmentCache.Key(camera.cameraId(), name));
            }

            @Override
            public SegmentName resolve(SegmentName name) {
                if (name.rendition().mode() != Rendition.Mode.SMOOTH || name.rendition().speed() == Speed.NORMAL) {
                    return name;
                }
                // Decided once per window, so that a playlist lists a window the same way on every reload.
                return listedAs.get(key(name), k -> {
                    // Full: every worker busy and one more waiting for each.
                    if (waitedTranscodes.get() < 2 * settings.transcodeWorkers() || cache.present(k)
                            || learned(camera, name).isPresent()) {
                        return name;
                    }
                    fallbacks.increment();
                    return new SegmentName(name.version(), new Rendition(name.rendition().speed(),
                            Rendition.Mode.KEYFRAMES), name.startMs(), name.lengthMs());
                });
            }

            private SegmentCache.Key key(SegmentName name) {
                return new SegmentCache.Key(camera.cameraId(), name);
            }
        };
    }

    /**
     * A window's bounds from the keyframe index, which keeps the bounds of windows walked frame by frame
     * (remux and smooth, alike for one window); keyframes-only bounds end at a run's end instead, so
     * those renditions rely on the cache.
     */
    private Optional<KeyframeIndex.Bounds> learned(CameraAddress camera, SegmentName name) {
        return name.rendition().mode() == Rendition.Mode.KEYFRAMES ? Optional.empty()
                : keyframes.bounds(camera.cameraId(), name.startMs(), name.lengthMs());
    }

    /** The segment from the cache or produced once, for planning or prefetch (not a viewer's request). */
    private Future<Optional<Segment>> obtain(CameraAddress camera, SegmentName name) {
        return onContext(cache.obtain(new SegmentCache.Key(camera.cameraId(), name),
                () -> produce(camera, name, ProductionPriority.BACKGROUND)));
    }

    /** {@code priority}: how many wait for it, which sets how many connections it is read on (see {@link SegmentProducer}). */
    private Future<Optional<Segment>> produce(CameraAddress camera, SegmentName name, ProductionPriority priority) {
        Rendition r = name.rendition();
        if (r.mode() == Rendition.Mode.KEYFRAMES) {
            return keyframeProducer.produce(camera, name, priority).andThen(ar -> {
                if (ar.succeeded()) {
                    ar.result().ifPresent(s -> {
                        keyframesOnlyFrames.increment(s.bounds().frames());
                        countFrames(r, s.bounds().frames(), s.bounds().frames());
                    });
                }
            });
        }
        boolean transcode = r.mode() == Rendition.Mode.SMOOTH;
        boolean waited = transcode && priority != ProductionPriority.BACKGROUND;
        if (transcode) {
            transcoding.incrementAndGet();
        }
        if (waited) {
            waitedTranscodes.incrementAndGet();
        }
        Future<Optional<Segment>> made = producer.produce(camera, name, priority);
        if (transcode) {
            made = made.andThen(ar -> {
                transcoding.decrementAndGet();
                if (waited) {
                    waitedTranscodes.decrementAndGet();
                }
            });
        }
        made = made.recover(e -> SegmentWindowPlanner.unplayable(e) ? Future.failedFuture(e)
                : keyframesInstead(camera, name, e));
        return made.map(found -> {
            found.ifPresent(s -> {
                (transcode ? smoothFrames : remuxedFrames).increment(s.bounds().frames());
                countFrames(r, s.bounds().frames(), transcode
                        ? Math.max(1, r.outputMs(s.bounds().durationMs()) / 40) : s.bounds().frames());
                if (s.complete() && valid(name, s)) {
                    keyframes.learn(camera.cameraId(), name.startMs(), name.lengthMs(), s.bounds());
                }
            });
            return found;
        });
    }

    /** Someone waits for {@code key} with {@code priority}: a transcode of it queued lower moves up. */
    private void promote(SegmentCache.Key key, ProductionPriority priority) {
        if (priority == ProductionPriority.BACKGROUND || key.name().rendition().mode() == Rendition.Mode.REMUX) {
            return; // prefetch moves nothing up, and a 1x remux never waits for a transcode worker
        }
        encoders.promote(key, priority);
    }

    /**
     * The keyframes of a 1x or smooth window whose frames the recorder could not give intact (a damaged
     * frame), shown each up to the next: the same bounds and presentation times as the remux or the
     * transcode (the keyframes rendition of the same speed), so a playlist that listed the window from
     * probes stays true. Fails with the first failure when they cannot be read either.
     */
    private Future<Optional<Segment>> keyframesInstead(CameraAddress camera, SegmentName name, Throwable failure) {
        SegmentName twin = new SegmentName(name.version(), new Rendition(name.rendition().speed(),
                Rendition.Mode.KEYFRAMES), name.startMs(), name.lengthMs());
        return keyframeProducer.produce(camera, twin).transform(ar -> {
            if (ar.failed() || ar.result().isEmpty()) {
                return Future.failedFuture(failure);
            }
            LOG.warning("segment " + name + " of camera " + camera.cameraId() + " is shown keyframes only: "
                    + failure.getMessage());
            brokenWindows.increment();
            return Future.succeededFuture(ar.result());
        });
    }

    /** Counts a segment's source frames in and output frames out, by mode and speed (20 series at most). */
    private void countFrames(Rendition r, long in, long out) {
        String mode = r.mode().name().toLowerCase(Locale.ROOT);
        Counter.builder("gateway_playback_frames_total").tags("mode", mode, "speed", r.speed().token(),
                "direction", "in").description("Frames read from recordings into segments (in) and frames the "
                        + "segments show (out), by mode and speed").register(registry).increment(in);
        Counter.builder("gateway_playback_frames_total").tags("mode", mode, "speed", r.speed().token(),
                "direction", "out").description("Frames read from recordings into segments (in) and frames the "
                        + "segments show (out), by mode and speed").register(registry).increment(out);
    }

    /**
     * Whether a produced segment answers its name: a grid window always; a resumption only if it starts
     * on its own keyframe (a recording that resumes mid-GOP is listed under its first keyframe instead,
     * which the planner finds from these bounds).
     */
    private boolean valid(SegmentName name, Segment s) {
        return name.onGrid(gridMs) || s.bounds().firstFrameMs() == name.startMs();
    }

    private <T> Future<T> onContext(CompletableFuture<T> f) {
        return Future.fromCompletionStage(f, vertx.getOrCreateContext());
    }
}
