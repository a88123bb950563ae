package com.cns.gateway.media.playback;

import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.imageserver.GenericByteData;
import com.cns.gateway.milestone.imageserver.ImageResponse;
import com.cns.gateway.milestone.imageserver.ImageServerConnection;
import com.cns.gateway.milestone.imageserver.ImageServerPool;
import com.cns.gateway.recordingindex.CameraAddress;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * RecorderFrames reads recorded frames over ImageServer, one pooled connection per call: where the
 * keyframe at or before a time is ({@code goto} with {@code keyframesonly}), and every frame from a
 * keyframe on ({@code goto}, then {@code next}) until a later keyframe, a gap or the end of data. The
 * protocol has no keyframe index and no range request, so these two calls are all a segment needs.
 */
public final class RecorderFrames {
    /** The codec of a camera's recording, from the GenericByteData header (or a JPEG body). */
    public enum Codec {
        H264("H.264"), H265("H.265 (HEVC)"), JPEG("JPEG"), OTHER("an unsupported codec");

        public final String label;

        Codec(String label) {
            this.label = label;
        }
    }

    /** One frame: its recording time, whether it is a keyframe, and its Annex-B bytes (JPEG: the picture). */
    public record Frame(long timeMs, boolean keyframe, Codec codec, byte[] data) {
    }

    /** A keyframe found by {@link #keyframeAtOrBefore}. */
    public record Keyframe(long timeMs, Codec codec) {
    }

    /** Why a walk stopped: at a keyframe at or after its limit (not taken), at a gap, or at the end of data. */
    public enum Stop { KEYFRAME, GAP, END }

    /**
     * The frames of a walk, in decode order, and why and where it stopped: {@code stopMs} is the
     * keyframe's time, or after a gap the time recording resumes (-1 at the end of data).
     */
    public record Walk(List<Frame> frames, Stop stop, long stopMs) {
    }

    private final ImageServerPool pool;

    public RecorderFrames(ImageServerPool pool) {
        this.pool = pool;
    }

    /** The keyframe at or before {@code timeMs}; empty when nothing is recorded there or earlier. */
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

    /**
     * Every frame from the keyframe at {@code fromMs} (the keyframe at or before it, strictly) to the
     * first later keyframe at or after {@code untilKeyframeMs}, stopping early after a frame whose
     * successor is more than {@code gapMs} later (a gap) or that is the last recorded.
     */
    public Future<Walk> walk(CameraAddress camera, long fromMs, long untilKeyframeMs, long gapMs) {
        return withConnection(camera, c -> new Walker(c, untilKeyframeMs, gapMs).start(fromMs, true));
    }

    /**
     * As {@link #walk}, but from the frame at or before {@code fromMs} whatever its kind: where recording
     * resumes after a gap, which need not be a keyframe.
     */
    public Future<Walk> walkFromFrame(CameraAddress camera, long fromMs, long untilKeyframeMs, long gapMs) {
        return withConnection(camera, c -> new Walker(c, untilKeyframeMs, gapMs).start(fromMs, false));
    }

    /**
     * One walk on one connection: {@code goto}, then {@code next} after {@code next}, keeping as many
     * requests in flight as the connection allows (answers come in order); once the walk has its
     * end, answers still on the way are drained, so the connection goes back to the pool clean.
     */
    private static final class Walker {
        private final ImageServerConnection c;
        private final long until;
        private final long gapMs;
        private final java.util.ArrayDeque<Future<ImageResponse>> inFlight = new java.util.ArrayDeque<>();
        private final List<Frame> frames = new ArrayList<>();
        private final Promise<Walk> done = Promise.promise();
        private Walk result;
        private Throwable failure;

        Walker(ImageServerConnection c, long until, long gapMs) {
            this.c = c;
            this.until = until;
            this.gapMs = gapMs;
        }

        Future<Walk> start(long fromMs, boolean keyframe) {
            inFlight.add(c.goTo(fromMs, keyframe));
            fill();
            next();
            return done.future();
        }

        private void fill() {
            while (result == null && failure == null && inFlight.size() < c.maxInFlight()) {
                inFlight.add(c.next());
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
