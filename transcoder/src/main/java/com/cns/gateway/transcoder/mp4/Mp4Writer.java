package com.cns.gateway.transcoder.mp4;

import com.cns.gateway.transcoder.GStreamerRuntime;
import com.cns.gateway.transcoder.transcode.TranscodeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.elements.AppSrc;

/**
 * Mp4Writer writes H.264 access units (Annex-B) to an MP4 file with GStreamer
 * ({@code appsrc ! h264parse ! mp4mux faststart=true ! filesink}): the index (moov) at the front, so
 * a player starts before it has the whole file, and a millisecond timescale, so each sample's time is
 * the millisecond it was given. Times are the caller's, never the pipeline's: a sample's duration is
 * the step to the next sample's decode time, so a stretch with no frames (a recording gap) is the
 * frame before it held, not squeezed out. Blocking: call it on a worker thread.
 */
public final class Mp4Writer implements AutoCloseable {
    /** Elements this writer's pipeline is built from. */
    public static final List<String> ELEMENTS = List.of("appsrc", "h264parse", "mp4mux", "filesink");
    private static final long FINISH_TIMEOUT_S = 120;

    private final Pipeline pipeline;
    private final AppSrc src;
    private final AtomicReference<String> error = new AtomicReference<>();
    private final CountDownLatch eos = new CountDownLatch(1);
    private final Bus.ERROR onError;
    private final Bus.EOS onEos;
    private Pending pending;
    private long lastDtsMs = Long.MIN_VALUE;
    private long samples;
    private boolean closed;

    private record Pending(byte[] data, long ptsMs, long dtsMs, boolean keyframe) {
    }

    /** Opens a pipeline that writes {@code file}; {@code scratch} holds the media data until the index is written in front of it. */
    public Mp4Writer(Path file, Path scratch) {
        GStreamerRuntime.Status gst = GStreamerRuntime.init(ELEMENTS);
        if (!gst.ready()) {
            throw new TranscodeException(gst.error());
        }
        String description = "appsrc name=src format=time block=true max-bytes=8000000"
                + " caps=video/x-h264,stream-format=byte-stream,alignment=au ! h264parse"
                + " ! mp4mux faststart=true faststart-file=" + quoted(scratch) + " trak-timescale=1000"
                + " movie-timescale=1000 ! filesink location=" + quoted(file);
        pipeline = GStreamerRuntime.launch(description);
        src = (AppSrc) pipeline.getElementByName("src");
        onError = (source, code, message) -> {
            error.compareAndSet(null, source.getName() + ": " + message);
            eos.countDown();
        };
        onEos = source -> eos.countDown();
        pipeline.getBus().connect(onError);
        pipeline.getBus().connect(onEos);
        pipeline.play();
    }

    /**
     * Adds one access unit, in decode order: {@code ptsMs} its presentation time and {@code dtsMs} its
     * decode time in ms from the file's start (DTS rises strictly and never passes PTS).
     */
    public void write(byte[] annexB, long ptsMs, long dtsMs, boolean keyframe) {
        check();
        if (dtsMs <= lastDtsMs) {
            throw new IllegalArgumentException("decode times must rise: " + dtsMs + " after " + lastDtsMs);
        }
        if (dtsMs > ptsMs || dtsMs < 0) {
            throw new IllegalArgumentException("a decode time must lie in [0, its presentation time]: dts " + dtsMs
                    + ", pts " + ptsMs);
        }
        lastDtsMs = dtsMs;
        if (pending != null) {
            push(pending, dtsMs - pending.dtsMs());
        }
        pending = new Pending(annexB, ptsMs, dtsMs, keyframe);
    }

    /** Access units written so far (the last one is pushed by {@link #finish}). */
    public long samples() {
        return samples + (pending == null ? 0 : 1);
    }

    /**
     * Writes the last access unit, shown for {@code lastDurationMs}, and the index, and waits for the
     * file to be complete. Fails with {@link TranscodeException} when the pipeline reported an error.
     */
    public void finish(long lastDurationMs) {
        check();
        if (pending != null) {
            push(pending, Math.max(1, lastDurationMs));
            pending = null;
        }
        src.endOfStream();
        try {
            if (!eos.await(FINISH_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new TranscodeException("mp4mux did not finish the file within " + FINISH_TIMEOUT_S + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TranscodeException("interrupted while mp4mux finished the file");
        }
        check();
    }

    private void push(Pending p, long durationMs) {
        Buffer b = new Buffer(p.data().length);
        b.map(true).put(p.data());
        b.unmap();
        b.setPresentationTimestamp(TimeUnit.MILLISECONDS.toNanos(p.ptsMs()));
        b.setDecodeTimestamp(TimeUnit.MILLISECONDS.toNanos(p.dtsMs()));
        b.setDuration(TimeUnit.MILLISECONDS.toNanos(durationMs));
        if (!p.keyframe()) {
            b.setFlags(java.util.EnumSet.of(org.freedesktop.gstreamer.BufferFlags.DELTA_UNIT));
        }
        src.pushBuffer(b);
        samples++;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("the MP4 writer is closed");
        }
        if (error.get() != null) {
            throw new TranscodeException(error.get());
        }
    }

    private static String quoted(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.contains("\"")) {
            throw new IllegalArgumentException("an MP4 path may not hold a double quote: " + s);
        }
        return "\"" + s + "\"";
    }

    /** Stops the pipeline (a file not finished is left incomplete: the caller deletes it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pipeline.getBus().disconnect(onError);
        pipeline.getBus().disconnect(onEos);
        pipeline.stop();
        src.dispose();
        pipeline.dispose();
    }
}
