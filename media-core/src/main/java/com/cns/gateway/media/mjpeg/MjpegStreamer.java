package com.cns.gateway.media.mjpeg;

import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.media.playback.CameraNotSyncedException;
import com.cns.gateway.media.playback.NothingRecordedException;
import com.cns.gateway.milestone.imageserver.ImageResponse;
import com.cns.gateway.milestone.imageserver.ImageServerConnection;
import com.cns.gateway.milestone.imageserver.ImageServerPool;
import com.cns.gateway.recordingindex.CameraAddress;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;

/**
 * MjpegStreamer plays a recording as JPEG pictures paced in real time at a speed, backward too: it
 * walks the recorder's frames from a time on one ImageServer connection that asks for every frame as
 * a JPEG ({@code alwaysstdjpeg}: the recorder encodes them), keyframes only above the smooth speeds,
 * and hands each picture to the sink when its moment comes: |recording time − start| / |speed| after
 * the first. A picture that comes later than one frame past its moment is skipped, so the stream
 * keeps to real time when the recorder is slower than the speed asks. It ends at the end of the
 * recording run (a gap), at the asked end, or when the sink closes, which stops the walk at once and
 * closes the connection.
 */
public final class MjpegStreamer {
    /** Where pictures go: an HTTP response, for the routes. */
    public interface Sink {
        /** Whether the client went away. */
        boolean closed();

        /** Writes one picture; the future completes when the sink can take the next. */
        Future<Void> write(long recordingTimeMs, byte[] jpeg);
    }

    private static final long LATE_MS = 40;

    private final Vertx vertx;
    private final ImageServerPool jpegs;
    private final long gapMs;
    private final long maxGopMs;

    /** {@code jpegs}: a pool whose connections ask for JPEG frames. */
    public MjpegStreamer(Vertx vertx, ImageServerPool jpegs, long gapMs, long maxGopMs) {
        this.vertx = vertx;
        this.jpegs = jpegs;
        this.gapMs = gapMs;
        this.maxGopMs = maxGopMs;
    }

    /**
     * Streams from {@code time} at {@code speed} until {@code end} (null: the end of the run, or its
     * start backward). The returned future fails before any picture is written when nothing is
     * recorded there ({@link NothingRecordedException}), and completes when the stream ended.
     * {@code started} completes before the first picture is written, so the caller can send headers.
     */
    public Future<Void> stream(CameraAddress camera, Speed speed, boolean keyframesOnly, Instant time, Instant end,
                               Sink sink, Promise<Void> started) {
        if (camera.recorder() == null) {
            return Future.failedFuture(new CameraNotSyncedException(camera.cameraId()));
        }
        return jpegs.acquire(camera.recorder(), camera.deviceId()).compose(c -> {
            Walk w = new Walk(c, speed, keyframesOnly, time.toEpochMilli(), end == null ? -1 : end.toEpochMilli(),
                    sink, started);
            return w.start().andThen(ar -> jpegs.release(c, ar.succeeded() && !sink.closed()));
        });
    }

    /** One walk: its connection, pacing and end. */
    private final class Walk {
        private final ImageServerConnection c;
        private final Speed speed;
        private final boolean keyframes;
        private final long from;
        private final long until;
        private final Sink sink;
        private final Promise<Void> started;
        private final Promise<Void> done = Promise.promise();
        private long startNanos;
        /** The recording time of the first picture: pacing counts from it. */
        private long originMs;

        Walk(ImageServerConnection c, Speed speed, boolean keyframes, long from, long until, Sink sink,
             Promise<Void> started) {
            this.c = c;
            this.speed = speed;
            this.keyframes = keyframes;
            this.from = from;
            this.until = until;
            this.sink = sink;
            this.started = started;
        }

        Future<Void> start() {
            c.goTo(from, keyframes).onComplete(ar -> {
                if (ar.failed()) {
                    done.tryFail(ar.cause());
                    return;
                }
                ImageResponse r = ar.result();
                if (r.empty()) {
                    r.release();
                    done.tryFail(new NothingRecordedException("Nothing is recorded at or before "
                            + Instant.ofEpochMilli(from)));
                } else if (speed.reverse() && r.current() > from) {
                    // Nothing before the time: the recorder answered the first frame after it.
                    r.release();
                    done.tryFail(new NothingRecordedException("Nothing is recorded at or before "
                            + Instant.ofEpochMilli(from)));
                } else if (!speed.reverse() && r.current() < from && r.next() == r.current()) {
                    r.release();
                    done.tryFail(new NothingRecordedException("Nothing is recorded at or after "
                            + Instant.ofEpochMilli(from)));
                } else if (!speed.reverse() && r.current() < from && r.next() - r.current() > gapMs) {
                    // The time lies in a gap: forward, play from where recording resumes.
                    long resume = r.next();
                    r.release();
                    c.goTo(resume, keyframes).onComplete(this::first);
                } else {
                    first(ar);
                }
            });
            return done.future();
        }

        private void first(AsyncResult<ImageResponse> ar) {
            startNanos = System.nanoTime();
            originMs = ar.succeeded() ? ar.result().current() : from;
            started.tryComplete();
            take(ar);
        }

        /** Handles one answer: writes it when due (or skips it when late), then asks for the next. */
        private void take(AsyncResult<ImageResponse> ar) {
            if (ar.failed()) {
                done.tryFail(ar.cause());
                return;
            }
            ImageResponse r = ar.result();
            long t = r.current();
            long neighbour = speed.reverse() ? r.prev() : r.next();
            byte[] jpeg = r.isJpeg() ? ByteBufUtil.getBytes(r.body()) : null;
            r.release();
            // Keyframes only, the neighbour is the next frame of any kind: a gap is then a jump past a GOP.
            boolean last = neighbour == t || Math.abs(neighbour - t) > (keyframes ? Math.max(gapMs, maxGopMs) : gapMs)
                    || until >= 0 && (speed.reverse() ? neighbour <= until : neighbour >= until);
            long dueNanos = startNanos + (long) (Math.abs(t - originMs) / speed.magnitude() * 1_000_000);
            long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
            Runnable next = () -> {
                if (sink.closed() || last) {
                    done.tryComplete();
                    return;
                }
                Future<ImageResponse> f = speed.reverse() ? (keyframes ? c.previousKeyframe() : c.previous())
                        : (keyframes ? c.nextKeyframe() : c.next());
                f.onComplete(this::take);
            };
            boolean past = until >= 0 && t != originMs && (speed.reverse() ? t <= until : t >= until);
            if (sink.closed() || past) {
                done.tryComplete();
            } else if (jpeg == null || waitMs < -LATE_MS && !last) {
                next.run(); // late: skipped, so the stream keeps to real time
            } else if (waitMs > 0) {
                vertx.setTimer(waitMs, id -> write(t, jpeg, next));
            } else {
                write(t, jpeg, next);
            }
        }

        private void write(long t, byte[] jpeg, Runnable next) {
            if (sink.closed()) {
                done.tryComplete();
                return;
            }
            sink.write(t, jpeg).onComplete(w -> {
                if (w.failed()) {
                    done.tryComplete();
                } else {
                    next.run();
                }
            });
        }
    }
}
