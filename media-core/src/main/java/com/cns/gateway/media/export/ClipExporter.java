package com.cns.gateway.media.export;

import com.cns.gateway.media.playback.FrameSource;
import com.cns.gateway.media.playback.NothingRecordedException;
import com.cns.gateway.media.playback.SegmentWindowPlanner;
import com.cns.gateway.media.playback.UnsupportedCodecException;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.RecordingRuns;
import com.cns.gateway.transcoder.mp4.Mp4CreationTime;
import com.cns.gateway.transcoder.mp4.Mp4Writer;
import com.cns.gateway.transcoder.mux.AccessUnit;
import com.cns.gateway.transcoder.transcode.PictureTranscoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Logger;

/**
 * ClipExporter writes what a camera recorded over a range to one MP4 file: the recording runs from
 * the index, every frame of each run walked from the recorder in stretches of about ten seconds,
 * keyframe to keyframe (whole GOPs in decode order, so B-frames come with their references), several
 * stretches at once on connections of their own (eight by default) and written in order; H.264 remuxed as recorded,
 * H.265 and JPEG transcoded to H.264 with the recording-time SEI on every picture (and, when asked,
 * the recording time burned into each picture, which transcodes H.264 too). The file starts at the
 * keyframe at or before the range's start, so the first moment asked for decodes; every sample's time is its recording time
 * less the first frame's, a gap is the last frame before it held until recording resumes, and the
 * file's creation time is the first frame's. A failed read (the recorder down) is retried after a
 * pause, a cancelled export stops walking at once; either way the caller deletes the partial file.
 */
public final class ClipExporter {
    private static final Logger LOG = Logger.getLogger(ClipExporter.class.getName());

    /** What an export reports as it goes and is asked between stretches. */
    public interface Watcher {
        /** Recording time done so far, of {@code totalMs} (the recorded time of the range). */
        void progress(long processedMs, long totalMs);

        /** True once the export should stop (cancelled, or its lease lost). */
        boolean cancelled();

        /** A read failed and is retried after a pause: why. */
        default void paused(String reason) {
        }
    }

    /** The export was cancelled. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("the export was cancelled");
        }
    }

    /** What was written: frames, their recording times, the runs and gaps, how, and the file's digest. */
    public record Clip(long frames, Instant firstFrame, Instant lastFrame, List<RecordingRuns.Run> runs,
                       List<RecordingRuns.Span> gaps, FrameSource.Codec sourceCodec, boolean transcoded,
                       long presentationOffsetMs, long sizeBytes, String sha256) {
    }

    /**
     * How stretches are read (their length, how many walks at once) and retried, and how transcoded
     * pictures are encoded.
     */
    public record Settings(Duration stretch, int parallelWalks, int retries, Duration retryDelay,
                           PictureTranscoder.Settings encoding) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), 8, 30, Duration.ofSeconds(2),
                PictureTranscoder.Settings.EVIDENCE);

        public Settings withParallelWalks(int n) {
            return new Settings(stretch, n, retries, retryDelay, encoding);
        }
    }

    private final Vertx vertx;
    private final FrameSource frames;
    private final SegmentWindowPlanner.RunSource runs;
    private final WorkerExecutor workers;
    private final Settings settings;

    public ClipExporter(Vertx vertx, FrameSource frames, SegmentWindowPlanner.RunSource runs, WorkerExecutor workers,
                        Settings settings) {
        this.vertx = vertx;
        this.frames = frames;
        this.runs = runs;
        this.workers = workers;
        this.settings = settings;
    }

    /** Writes [from, to) of {@code camera} to {@code file} ({@code scratch}: mp4mux's temporary media data). */
    public Future<Clip> export(CameraAddress camera, Instant from, Instant to, boolean burnTime, Path file, Path scratch,
                               Watcher watcher) {
        return retried(() -> runs.runs(camera, from, to), watcher, 0).compose(rr -> {
            if (rr.runs().isEmpty()) {
                return Future.failedFuture(new NothingRecordedException("nothing is recorded from " + from + " to " + to));
            }
            Job job = new Job(camera, rr, burnTime, file, scratch, watcher);
            return job.walkAll()
                    .compose(v -> workers.executeBlocking(job::finish, true))
                    .eventually(() -> workers.executeBlocking(() -> {
                        job.close();
                        return null;
                    }, true));
        });
    }

    private <T> Future<T> retried(java.util.function.Supplier<Future<T>> call, Watcher watcher, int attempt) {
        if (watcher.cancelled()) {
            return Future.failedFuture(new CancelledException());
        }
        return call.get().recover(e -> {
            if (e instanceof UnsupportedCodecException || e instanceof CancelledException
                    || attempt >= settings.retries()) {
                return Future.failedFuture(e);
            }
            watcher.paused(String.valueOf(e.getMessage()));
            Promise<T> later = Promise.promise();
            vertx.setTimer(settings.retryDelay().toMillis(), t -> retried(call, watcher, attempt + 1).onComplete(later));
            return later.future();
        });
    }

    /** One export's state: the frames not yet written (an incomplete GOP), the writer, the counts. */
    private final class Job {
        private final CameraAddress camera;
        private final boolean burnTime;
        private final RecordingRuns rr;
        private final Path file;
        private final Path scratch;
        private final Watcher watcher;
        private final long totalMs;
        private final List<FrameSource.Frame> pending = new ArrayList<>();
        /** The times of the last stretch's frames, which the next stretch's walk repeats in part. */
        private java.util.Set<Long> lastTaken = java.util.Set.of();
        private long doneMs;
        // Worker-side state (written on the export's ordered worker only).
        private Mp4Writer writer;
        private FrameSource.Codec codec;
        private boolean transcode;
        private long t0 = Long.MIN_VALUE;
        private long offsetMs = -1;
        private long lastDts = -1;
        private long lastTime = Long.MIN_VALUE;
        private long previousTime = Long.MIN_VALUE;
        private long written;

        Job(CameraAddress camera, RecordingRuns rr, boolean burnTime, Path file, Path scratch, Watcher watcher) {
            this.camera = camera;
            this.burnTime = burnTime;
            this.rr = rr;
            this.file = file;
            this.scratch = scratch;
            this.watcher = watcher;
            this.totalMs = rr.recorded().toMillis();
        }

        /** A piece of a run walked by one call: [from, until) of recording, rounded out to keyframes. */
        private record Stretch(long from, long until) {
        }

        private final java.util.ArrayDeque<Future<FrameSource.Walk>> ahead = new java.util.ArrayDeque<>();
        private List<Stretch> stretches;
        private int launched;
        private boolean ended;

        /**
         * Walks every stretch, {@code settings.parallelWalks()} at a time on connections of their own (a
         * recorder answers one frame per round trip, so one connection alone is bound by the latency), and
         * writes them in order, one stretch's write overlapping the next stretches' walks.
         */
        Future<Void> walkAll() {
            stretches = new ArrayList<>();
            long step = settings.stretch().toMillis();
            for (RecordingRuns.Run r : rr.runs()) {
                for (long t = r.start().toEpochMilli(); t < r.end().toEpochMilli(); t += step) {
                    stretches.add(new Stretch(t, Math.min(t + step, r.end().toEpochMilli())));
                }
            }
            launch();
            return next(0, Future.succeededFuture());
        }

        private void launch() {
            while (!ended && launched < stretches.size() && ahead.size() < settings.parallelWalks()
                    && !watcher.cancelled()) {
                Stretch st = stretches.get(launched++);
                // Keyframe to keyframe: whole GOPs in decode order, whatever order their pictures are shown in.
                ahead.add(retried(() -> frames.walk(camera, st.from(), st.until(), Long.MAX_VALUE), watcher, 0));
            }
        }

        /** Takes stretch {@code i}'s frames once its walk and the write before it are done. */
        private Future<Void> next(int i, Future<Void> writing) {
            if (watcher.cancelled()) {
                return writing.compose(v -> Future.failedFuture(new CancelledException()));
            }
            Future<FrameSource.Walk> walk = ahead.poll();
            if (walk == null) {
                return writing;
            }
            return Future.all(walk, writing).compose(cf -> {
                FrameSource.Walk w = walk.result();
                // Stretches overlap by the GOP around their boundary: what the last one took is not taken again.
                java.util.Set<Long> taken = new java.util.HashSet<>();
                for (FrameSource.Frame f : w.frames()) {
                    if (!lastTaken.contains(f.timeMs()) && f.timeMs() < rr.to().toEpochMilli()) {
                        pending.add(f);
                    }
                    taken.add(f.timeMs());
                }
                lastTaken = taken;
                List<FrameSource.Frame> complete = completeGops(false);
                Future<Void> write = complete.isEmpty() ? Future.succeededFuture()
                        : workers.executeBlocking(() -> {
                            write(complete);
                            return null;
                        }, true);
                Stretch st = stretches.get(i);
                doneMs += st.until() - st.from();
                watcher.progress(doneMs, totalMs);
                if (w.stop() == FrameSource.Stop.END) {
                    ended = true; // nothing is recorded after this: the walks still on their way are not needed
                    return write;
                }
                launch();
                return next(i + 1, write);
            });
        }

        /** The frames of every GOP known to be complete (a later keyframe has come), or with {@code all} every frame. */
        private List<FrameSource.Frame> completeGops(boolean all) {
            int cut = pending.size();
            if (!all) {
                cut = 0;
                for (int i = pending.size() - 1; i > 0; i--) {
                    if (pending.get(i).keyframe()) {
                        cut = i;
                        break;
                    }
                }
            }
            List<FrameSource.Frame> out = new ArrayList<>(pending.subList(0, cut));
            pending.subList(0, cut).clear();
            return out;
        }

        /** Worker: writes whole GOPs, in decode order. */
        private void write(List<FrameSource.Frame> gops) {
            if (writer == null) {
                FrameSource.Frame first = gops.get(0);
                codec = first.codec();
                if (codec == FrameSource.Codec.OTHER) {
                    throw new UnsupportedCodecException(codec);
                }
                transcode = codec != FrameSource.Codec.H264 || burnTime;
                t0 = first.timeMs();
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                writer = new Mp4Writer(file, scratch);
            }
            int from = 0;
            for (int i = 1; i <= gops.size(); i++) {
                if (i == gops.size() || gops.get(i).keyframe()) {
                    List<FrameSource.Frame> gop = gops.subList(from, i);
                    if (transcode) {
                        transcoded(gop);
                    } else {
                        remuxed(gop);
                    }
                    from = i;
                }
            }
        }

        /**
         * A GOP as recorded: PTS its recording times, DTS the same times in rising order; with B-frames the
         * presentation times are shifted by the first GOP's reordering delay so that DTS never passes PTS.
         */
        private void remuxed(List<FrameSource.Frame> gop) {
            long[] times = gop.stream().mapToLong(FrameSource.Frame::timeMs).toArray();
            long[] sorted = times.clone();
            Arrays.sort(sorted);
            if (offsetMs < 0) {
                offsetMs = 0;
                for (int i = 0; i < times.length; i++) {
                    offsetMs = Math.max(offsetMs, sorted[i] - times[i]);
                }
            }
            for (int i = 0; i < gop.size(); i++) {
                FrameSource.Frame f = gop.get(i);
                long dts = Math.max(lastDts + 1, sorted[i] - t0);
                writer.write(f.data(), times[i] - t0 + offsetMs, dts, f.keyframe());
                lastDts = dts;
                seen(times[i]);
            }
        }

        /** A GOP decoded and re-encoded: one H.264 picture per source picture, in presentation order. */
        private void transcoded(List<FrameSource.Frame> gop) {
            if (offsetMs < 0) {
                offsetMs = 0;
            }
            List<PictureTranscoder.Source> sources = new ArrayList<>(gop.size());
            List<PictureTranscoder.Slot> slots = new ArrayList<>(gop.size());
            Integer[] order = new Integer[gop.size()];
            for (int i = 0; i < gop.size(); i++) {
                FrameSource.Frame f = gop.get(i);
                sources.add(new PictureTranscoder.Source(f.timeMs(), f.keyframe(), f.data()));
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(gop.get(a).timeMs(), gop.get(b).timeMs()));
            for (int i : order) {
                slots.add(new PictureTranscoder.Slot(i, AccessUnit.clock90k(gop.get(i).timeMs())));
            }
            PictureTranscoder.Codec c = switch (codec) {
                case H265 -> PictureTranscoder.Codec.H265;
                case JPEG -> PictureTranscoder.Codec.JPEG;
                default -> PictureTranscoder.Codec.H264;
            };
            List<AccessUnit> units = PictureTranscoder.transcode(c, sources, slots,
                    burnTime ? settings.encoding().withBurnedTime() : settings.encoding());
            for (int i = 0; i < units.size(); i++) {
                long t = gop.get(order[i]).timeMs();
                long at = Math.max(lastDts + 1, t - t0);
                writer.write(units.get(i).annexB(), at, at, units.get(i).keyframe());
                lastDts = at;
                seen(t);
            }
        }

        private void seen(long timeMs) {
            written++;
            if (timeMs > lastTime) {
                previousTime = lastTime;
                lastTime = timeMs;
            }
        }

        /** Worker: writes what is left, closes the file, stamps its creation time and hashes it. */
        Clip finish() throws IOException {
            List<FrameSource.Frame> rest = completeGops(true);
            if (!rest.isEmpty()) {
                write(rest);
            }
            if (writer == null) {
                throw new NothingRecordedException("no frame is recorded from " + rr.from() + " to " + rr.to());
            }
            long step = previousTime == Long.MIN_VALUE ? 40 : Math.min(1000, lastTime - previousTime);
            writer.finish(step);
            writer.close();
            Mp4CreationTime.set(file, Instant.ofEpochMilli(t0));
            Files.deleteIfExists(scratch);
            return new Clip(written, Instant.ofEpochMilli(t0), Instant.ofEpochMilli(lastTime), rr.runs(), rr.gaps(),
                    codec, transcode, offsetMs, Files.size(file), sha256(file));
        }

        void close() {
            if (writer != null) {
                writer.close();
            }
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException e) {
                LOG.fine("scratch file " + scratch + " not deleted: " + e.getMessage());
            }
        }
    }

    /** The SHA-256 of a file, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
