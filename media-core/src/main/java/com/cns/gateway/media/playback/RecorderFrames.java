package com.cns.gateway.media.playback;

import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.imageserver.GenericByteData;
import com.cns.gateway.milestone.imageserver.ImageResponse;
import com.cns.gateway.milestone.imageserver.ImageServerConnection;
import com.cns.gateway.milestone.imageserver.ImageServerPool;
import com.cns.gateway.recordingindex.CameraAddress;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * RecorderFrames is the {@link FrameSource} over ImageServer, one pooled connection per call: where
 * the keyframe at or before a time is ({@code goto} with {@code keyframesonly}), and every frame (or
 * every keyframe) from a keyframe on ({@code goto}, then {@code next}) until a later keyframe, a gap
 * or the end of data. The protocol has no keyframe index and no range request, so these calls are all
 * a segment needs.
 *
 * <p>Where the first keyframe at or after a time lies is asked of the same grid lines again and again:
 * a new playlist probes the lines after its first window, the playlist request that follows its
 * control call lists those windows from the same probes, and each window's walk probes its own two
 * lines. So found keyframes are kept a short while for those callers (under load each probe waits
 * for a pooled connection like any walk). What is recorded before a found keyframe does not change
 * while recording goes on; only retention deleting it could, and the expiry bounds that. An answer of
 * nothing (the end of data, which moves on) and a failure are not kept, and a probe under way is not
 * shared: one sent during a recorder outage fails, and a caller after the outage must not join it.
 */
public final class RecorderFrames implements FrameSource {
    /** How long a found keyframe is kept for probes of the same time. */
    static final Duration PROBES_KEPT = Duration.ofMinutes(2);

    private record Probe(URI recorder, String deviceId, long timeMs) {
    }

    private final ImageServerPool pool;
    private final Cache<Probe, Long> probes = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(PROBES_KEPT).build();

    public RecorderFrames(ImageServerPool pool) {
        this.pool = pool;
    }

    @Override
    public boolean crowded(CameraAddress camera) {
        return camera.recorder() != null && pool.waiting(camera.recorder()) > 0;
    }

    @Override
    public int spare(CameraAddress camera) {
        return camera.recorder() == null ? 0 : pool.spare(camera.recorder());
    }

    @Override
    public void prepare(CameraAddress camera, int n) {
        if (camera.recorder() != null) {
            pool.prepare(camera.recorder(), camera.deviceId(), n);
        }
    }

    @Override
    public Future<Optional<Keyframe>> keyframeAtOrBefore(CameraAddress camera, long timeMs) {
        return withConnection(camera, c -> c.goTo(timeMs, true).map(r -> {
            try {
                if (r.empty()) {
                    return Optional.<Keyframe>empty();
                }
                Frame f = frame(r, false);
                return Optional.of(new Keyframe(f.timeMs(), f.codec()));
            } finally {
                r.release();
            }
        }));
    }

    @Override
    public Future<Optional<Long>> firstKeyframeAtOrAfter(CameraAddress camera, long timeMs) {
        if (camera.recorder() == null) {
            return probeFirstKeyframeAtOrAfter(camera, timeMs);
        }
        Probe key = new Probe(camera.recorder(), camera.deviceId(), timeMs);
        Long kept = probes.getIfPresent(key);
        if (kept != null) {
            return Future.succeededFuture(Optional.of(kept));
        }
        return probeFirstKeyframeAtOrAfter(camera, timeMs).onSuccess(found -> found.ifPresent(k -> probes.put(key, k)));
    }

    private Future<Optional<Long>> probeFirstKeyframeAtOrAfter(CameraAddress camera, long timeMs) {
        return withConnection(camera, c -> c.goTo(timeMs, true).compose(r -> {
            boolean empty = r.empty();
            long current = r.current();
            r.release();
            if (empty) {
                return Future.succeededFuture(Optional.<Long>empty());
            }
            if (current >= timeMs) {
                return Future.succeededFuture(Optional.of(current));
            }
            return c.nextKeyframe().map(n -> {
                long next = n.current();
                n.release();
                return next > current ? Optional.of(next) : Optional.<Long>empty();
            });
        }));
    }

    @Override
    public Future<Walk> walk(CameraAddress camera, long fromMs, long untilKeyframeMs, long gapMs) {
        return withConnection(camera, c -> new Walker(c, untilKeyframeMs, Long.MAX_VALUE, gapMs, false)
                .start(fromMs, true));
    }

    @Override
    public Future<Walk> walkFromFrame(CameraAddress camera, long fromMs, long untilKeyframeMs, long gapMs) {
        return withConnection(camera, c -> new Walker(c, untilKeyframeMs, Long.MAX_VALUE, gapMs, false)
                .start(fromMs, false));
    }

    @Override
    public Future<Walk> walkSpan(CameraAddress camera, long fromMs, long untilMs, long gapMs) {
        return withConnection(camera, c -> new Walker(c, Long.MAX_VALUE, untilMs, gapMs, false).start(fromMs, false));
    }

    @Override
    public Future<Walk> walkKeyframes(CameraAddress camera, long fromMs, long untilKeyframeMs) {
        return withConnection(camera, c -> new Walker(c, untilKeyframeMs, Long.MAX_VALUE, Long.MAX_VALUE, true)
                .start(fromMs, true));
    }

    /**
     * One walk on one connection: {@code goto}, then {@code next} after {@code next}, keeping as many
     * requests in flight as the connection allows (answers come in order); once the walk has its
     * end, answers still on the way are drained, so the connection goes back to the pool clean.
     */
    private static final class Walker {
        private final ImageServerConnection c;
        private final long until;
        private final long limit;
        private final long gapMs;
        private final boolean keyframesOnly;
        private final ArrayDeque<Future<ImageResponse>> inFlight = new ArrayDeque<>();
        private final List<Frame> frames = new ArrayList<>();
        private final Promise<Walk> done = Promise.promise();
        private Walk result;
        private Throwable failure;

        /** Stops at a keyframe at or after {@code until} (not the first frame) or any frame at or after {@code limit}. */
        Walker(ImageServerConnection c, long until, long limit, long gapMs, boolean keyframesOnly) {
            this.c = c;
            this.until = until;
            this.limit = limit;
            this.gapMs = gapMs;
            this.keyframesOnly = keyframesOnly;
        }

        Future<Walk> start(long fromMs, boolean keyframe) {
            inFlight.add(c.goTo(fromMs, keyframe));
            fill();
            next();
            return done.future();
        }

        private void fill() {
            while (result == null && failure == null && inFlight.size() < c.maxInFlight()) {
                inFlight.add(keyframesOnly ? c.nextKeyframe() : c.next());
            }
        }

        private void next() {
            Future<ImageResponse> head = inFlight.poll();
            if (head == null) {
                if (failure != null) {
                    done.tryFail(failure);
                } else {
                    done.tryComplete(result);
                }
                return;
            }
            head.onComplete(ar -> {
                if (ar.failed()) {
                    failure = failure == null ? ar.cause() : failure;
                } else {
                    ImageResponse r = ar.result();
                    try {
                        if (result == null && failure == null) {
                            take(r);
                        }
                    } catch (RuntimeException e) {
                        failure = e;
                    } finally {
                        r.release();
                    }
                }
                fill();
                next();
            });
        }

        private void take(ImageResponse r) {
            if (r.empty()) {
                result = new Walk(frames, Stop.END, -1);
                return;
            }
            Frame f = frame(r, true);
            if (!frames.isEmpty() && f.timeMs() <= frames.get(frames.size() - 1).timeMs() && keyframesOnly) {
                // The last keyframe answered again: nothing is recorded after it.
                result = new Walk(frames, Stop.END, -1);
                return;
            }
            if (f.timeMs() >= limit) {
                result = new Walk(frames, Stop.LIMIT, f.timeMs());
                return;
            }
            if (!frames.isEmpty() && f.keyframe() && f.timeMs() >= until) {
                result = new Walk(frames, Stop.KEYFRAME, f.timeMs());
                return;
            }
            frames.add(f);
            if (r.next() == r.current()) {
                result = new Walk(frames, Stop.END, -1);
            } else if (r.next() - r.current() > gapMs) {
                result = new Walk(frames, Stop.GAP, r.next());
            }
        }
    }

    private static Frame frame(ImageResponse r, boolean withData) {
        if (r.isJpeg()) {
            return new Frame(r.current(), true, Codec.JPEG, withData ? ByteBufUtil.getBytes(r.body()) : null);
        }
        GenericByteData g;
        try {
            g = GenericByteData.parse(r.body());
        } catch (IllegalArgumentException e) {
            throw new XProtectException("ImageServer sent a damaged frame at " + r.current() + ": " + e.getMessage());
        }
        Codec codec = switch (g.codec()) {
            case GenericByteData.CODEC_H264 -> Codec.H264;
            case GenericByteData.CODEC_H265 -> Codec.H265;
            case GenericByteData.CODEC_JPEG -> Codec.JPEG;
            default -> Codec.OTHER;
        };
        return new Frame(g.pictureTimestamp(), g.keyframe(), codec, withData ? ByteBufUtil.getBytes(g.payload()) : null);
    }

    private <T> Future<T> withConnection(CameraAddress camera, Function<ImageServerConnection, Future<T>> work) {
        if (camera.recorder() == null) {
            return Future.failedFuture(new IllegalStateException("camera " + camera.cameraId()
                    + " has no recording server address yet; sync the cameras first"));
        }
        return pool.acquire(camera.recorder(), camera.deviceId()).compose(c -> {
            Future<T> f;
            try {
                f = work.apply(c);
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            return f.andThen(ar -> pool.release(c, ar.succeeded()));
        });
    }
}
