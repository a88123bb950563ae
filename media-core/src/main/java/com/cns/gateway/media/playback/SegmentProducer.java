package com.cns.gateway.media.playback;

import com.cns.gateway.media.cache.ProductionPriority;
import com.cns.gateway.media.cache.SegmentCache;
import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import io.vertx.core.Future;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * SegmentProducer makes the segment of one recording-time window from recorded frames: the frames
 * from the first keyframe at or after the window's start up to, not including, the first keyframe
 * at or after its end, or up to a gap, whichever comes first; its encoder turns them into bytes on a
 * worker thread (with the ETag's hash), never on the event loop that gathered them.
 *
 * <p>ImageServer answers one frame per round trip, so a window is read in parallel: two keyframe
 * probes ({@code goto} keyframes only, at most one {@code next}) find the first keyframe at or after
 * the window's start and the first at or after its end, then the stretch between them is cut by time
 * into pieces walked each on its own connection at once ({@code goto} to the piece's start, which
 * lands on any kind of frame, then {@code next} up to the next piece's start). A window of
 * {@code n} frames thus costs about {@code n / pieces} round trips instead of one GOP's; the pieces
 * read one frame each more than the stretch holds (the frame before their start), far less than the
 * whole GOP before the window that a walk from keyframes had to read.
 */
public final class SegmentProducer {
    /**
     * A window is cut into this many pieces (more when its tail past the end is long) when a viewer
     * waits for it (a new playlist's first window, a segment asked for before it was made): a 4 s
     * window at 25 fps is then about 8 round trips to the recorder; ...
     */
    static final int URGENT_PIECES = 16;
    /** ... into this many when a playlist lists it and its player will ask for it next, ... */
    static final int PIECES_PER_WINDOW = 8;
    /**
     * ... and into this many when made ahead of its viewer (prefetch): ready seconds before it is
     * played, leaving the recorder's connections to windows viewers wait for. Never more pieces than
     * the recorder has connections to spare at the time.
     */
    static final int AHEAD_PIECES = 2;
    /** Each piece is at least this long, so a piece is worth the connection it takes. */
    static final long MIN_PIECE_MS = 200;
    /** Pieces a window is read in at least, even while the recorder's connections are all in use. */
    static final int CROWDED_PIECES = 2;
    private static final long PROBE_STEP_MS = 1000;
    private static final FrameSource.Walk NOTHING = new FrameSource.Walk(List.of(), FrameSource.Stop.END, -1);
    /** Cameras found recording frames out of time order are remembered (up to this many). */
    private static final int MAX_REMEMBERED = 100_000;

    private final FrameSource frames;
    private final EncoderChoice encoders;
    private final SegmentEncoders workers;
    private final long gapMs;
    private final SealingRule sealing;
    private final Clock clock;
    private final java.util.Set<String> reordering = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public SegmentProducer(FrameSource frames, EncoderChoice encoders, SegmentEncoders workers, long gapMs,
                           SealingRule sealing, Clock clock) {
        this.frames = frames;
        this.encoders = encoders;
        this.workers = workers;
        this.gapMs = gapMs;
        this.sealing = sealing;
        this.clock = clock;
    }

    /**
     * The segment {@code name} names (its window, encoded as its rendition says); empty when no
     * keyframe lies in the window. Fails with {@link UnsupportedCodecException} for a camera whose
     * codec the rendition cannot be made from.
     */
    public Future<Optional<Segment>> produce(CameraAddress camera, SegmentName name) {
        return produce(camera, name, ProductionPriority.WAITED_FOR);
    }

    /**
     * As {@link #produce(CameraAddress, SegmentName)}, read in as many pieces at once as {@code priority}
     * deserves while the recorder has connections to spare (see {@link #URGENT_PIECES}).
     */
    public Future<Optional<Segment>> produce(CameraAddress camera, SegmentName name, ProductionPriority priority) {
        if (reordering.contains(camera.deviceId())) {
            return walkByGops(camera, name).compose(walk -> finish(camera, name, priority, walk));
        }
        long start = name.startMs();
        long end = start + name.lengthMs();
        Future<Optional<Long>> first = frames.firstKeyframeAtOrAfter(camera, start);
        int pieces = switch (priority) {
            case FIRST -> URGENT_PIECES;
            case WAITED_FOR -> PIECES_PER_WINDOW;
            case BACKGROUND -> AHEAD_PIECES;
        };
        if (!frames.crowded(camera)) {
            // The pieces' connections open while the probes run (the two probes' own are lent back to them).
            frames.prepare(camera, pieces - 2);
        }
        Future<Optional<Long>> after = frames.firstKeyframeAtOrAfter(camera, end);
        return Future.all(first, after).compose(v -> {
            Optional<Long> k0 = first.result();
            if (k0.isEmpty() || k0.get() >= end) {
                return Future.succeededFuture(Optional.<Segment>empty());
            }
            // Past a gap the next keyframe can be far off: the pieces stop a window's length past the end,
            // and the last piece walks on from there to the keyframe (or the gap) wherever it is.
            long stretchEnd = Math.min(after.result().orElse(end), end + name.lengthMs());
            // Many pieces read a window fast while the recorder has connections to spare; when
            // requests already wait for one, two (each piece costs a connection and a goto).
            // (no more than the recorder's spare connections: past those, pieces wait for each other).
            long piece = Math.max(MIN_PIECE_MS, name.lengthMs() / Math.max(CROWDED_PIECES,
                    Math.min(pieces, frames.spare(camera))));
            return walkInPieces(camera, k0.get(), Math.max(stretchEnd, k0.get() + 1), end, piece).compose(walk -> {
                if (walk == null) {
                    // Frames out of time order (B-frames): cut by time, a piece could lose pictures that
                    // others reference. This camera's windows are walked a GOP per connection from now on.
                    if (reordering.size() < MAX_REMEMBERED) {
                        reordering.add(camera.deviceId());
                    }
                    return walkByGops(camera, name);
                }
                return Future.succeededFuture(walk);
            }).compose(walk -> finish(camera, name, priority, walk));
        });
    }

    /**
     * The walk from keyframe {@code k0} to the first keyframe at or after {@code end} (or a gap, or the
     * end of data) as one walk would answer it, read in pieces of {@code pieceMs} over [k0, stretchEnd)
     * at once; the last piece goes on as far as needed. Null when a piece's frames are out of time
     * order (a camera with B-frames), which pieces cut by time cannot be put together from.
     */
    private Future<FrameSource.Walk> walkInPieces(CameraAddress camera, long k0, long stretchEnd, long end,
                                                  long pieceMs) {
        List<Long> bounds = new ArrayList<>();
        for (long b = k0; b < stretchEnd; b += pieceMs) {
            bounds.add(b);
        }
        List<Future<FrameSource.Walk>> pieces = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i++) {
            boolean last = i + 1 == bounds.size();
            long from = bounds.get(i);
            pieces.add(i == 0 && last ? frames.walk(camera, from, end, gapMs)
                    : last ? frames.walkFromFrame(camera, from, end, gapMs)
                    : frames.walkSpan(camera, from, bounds.get(i + 1), gapMs));
        }
        return Future.all(pieces).map(v -> {
            List<FrameSource.Frame> out = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) {
                FrameSource.Walk w = pieces.get(i).result();
                long from = bounds.get(i);
                for (int j = 1; j < w.frames().size(); j++) {
                    if (w.frames().get(j).timeMs() < w.frames().get(j - 1).timeMs()) {
                        return null;
                    }
                }
                for (FrameSource.Frame f : w.frames()) {
                    if (i > 0 && f.timeMs() < from) {
                        continue; // the frame before the piece's start: the piece before holds it
                    }
                    if (!out.isEmpty() && f.keyframe() && f.timeMs() >= end) {
                        return new FrameSource.Walk(out, FrameSource.Stop.KEYFRAME, f.timeMs());
                    }
                    out.add(f);
                }
                if (w.stop() != FrameSource.Stop.LIMIT) {
                    return new FrameSource.Walk(out, w.stop(), w.stopMs());
                }
            }
            // Only the last piece has no time limit, so this is not reached; end of data, to be safe.
            return new FrameSource.Walk(out, FrameSource.Stop.END, -1);
        });
    }

    /**
     * The window's walk a GOP per connection, for cameras whose frames come out of time order:
     * keyframes probed once a second across the window ({@code goto} keyframes only), then each
     * stretch between probed keyframes walked on its own connection. A stretch starting before the
     * window is walked too, since keyframes the probes skipped lie in it; its frames before the
     * window's first keyframe are dropped.
     */
    private Future<FrameSource.Walk> walkByGops(CameraAddress camera, SegmentName name) {
        long startMs = name.startMs();
        long end = startMs + name.lengthMs();
        List<Future<Optional<FrameSource.Keyframe>>> probes = new ArrayList<>();
        for (long p = startMs; p < end; p += PROBE_STEP_MS) {
            probes.add(frames.keyframeAtOrBefore(camera, p));
        }
        probes.add(frames.keyframeAtOrBefore(camera, end));
        return Future.all(probes).compose(all -> {
            TreeSet<Long> found = new TreeSet<>();
            Assembly a = new Assembly();
            for (Future<Optional<FrameSource.Keyframe>> f : probes) {
                f.result().ifPresent(k -> {
                    if (k.timeMs() < end) {
                        found.add(k.timeMs());
                    }
                });
            }
            Long before = found.lower(startMs);
            List<Long> starts = new ArrayList<>(found.tailSet(startMs, true));
            if (before != null) {
                starts.add(0, before);
            }
            if (starts.isEmpty()) {
                return Future.succeededFuture(NOTHING);
            }
            List<Future<FrameSource.Walk>> walks = new ArrayList<>();
            for (int i = 0; i < starts.size(); i++) {
                long until = i + 1 < starts.size() ? starts.get(i + 1) : end;
                walks.add(frames.walk(camera, starts.get(i), until, gapMs));
            }
            return Future.all(walks).compose(v -> assemble(camera, startMs, end, starts, walks, 0, a));
        });
    }

    /** Frames kept so far, in decode order, and whether the window's first keyframe was reached. */
    private static final class Assembly {
        final List<FrameSource.Frame> kept = new ArrayList<>();
        boolean started;
    }

    private Future<FrameSource.Walk> assemble(CameraAddress camera, long start, long end, List<Long> starts,
                                               List<Future<FrameSource.Walk>> walks, int i, Assembly a) {
        FrameSource.Walk w = walks.get(i).result();
        for (FrameSource.Frame f : w.frames()) {
            if (!a.started && f.keyframe() && f.timeMs() >= start) {
                a.started = true;
            }
            if (a.started) {
                if (f.keyframe() && f.timeMs() >= end) {
                    return done(a, FrameSource.Stop.KEYFRAME, f.timeMs());
                }
                a.kept.add(f);
            }
        }
        boolean last = i + 1 == walks.size();
        switch (w.stop()) {
            case KEYFRAME -> {
                if (last || w.stopMs() >= end) {
                    return done(a, FrameSource.Stop.KEYFRAME, w.stopMs());
                }
                return assemble(camera, start, end, starts, walks, i + 1, a);
            }
            case GAP -> {
                if (a.started) {
                    return done(a, FrameSource.Stop.GAP, w.stopMs());
                }
                // The gap came before the window's first keyframe: that keyframe opens the next run.
                long resume = w.stopMs();
                if (resume >= end) {
                    return Future.succeededFuture(NOTHING);
                }
                if (!last && starts.get(i + 1) <= resume) {
                    return assemble(camera, start, end, starts, walks, i + 1, a);
                }
                long until = last ? end : starts.get(i + 1);
                List<Future<FrameSource.Walk>> more = new ArrayList<>(walks);
                List<Long> moreStarts = new ArrayList<>(starts);
                return frames.walkFromFrame(camera, resume, until, gapMs).compose(extra -> {
                    if (extra.frames().isEmpty() || extra.frames().get(0).timeMs() < resume) {
                        return Future.succeededFuture(NOTHING); // the recorder moved back
                    }
                    more.add(i + 1, Future.succeededFuture(extra));
                    moreStarts.add(i + 1, resume);
                    return assemble(camera, start, end, moreStarts, more, i + 1, a);
                });
            }
            default -> {
                return a.started ? done(a, FrameSource.Stop.END, -1) : Future.succeededFuture(NOTHING);
            }
        }
    }

    private static Future<FrameSource.Walk> done(Assembly a, FrameSource.Stop stop, long stopMs) {
        return Future.succeededFuture(new FrameSource.Walk(a.kept, stop, stopMs));
    }

    /**
     * The segment of a window's walk: it ends at the keyframe the walk stopped at, or after a gap or
     * at the end of data one frame interval after its last frame (and is then a gap's end). A transcode
     * waits for a worker in {@code priority}'s turn.
     */
    private Future<Optional<Segment>> finish(CameraAddress camera, SegmentName name, ProductionPriority priority,
                                             FrameSource.Walk walk) {
        List<FrameSource.Frame> kept = walk.frames();
        if (kept.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        SegmentEncoder encoder = encoders.encoder(name.rendition(), kept.get(0).codec());
        if (encoder == null) {
            throw new UnsupportedCodecException(kept.get(0).codec());
        }
        long nextKeyframeMs = walk.stop() == FrameSource.Stop.KEYFRAME ? walk.stopMs() : -1;
        long resumeMs = walk.stop() == FrameSource.Stop.GAP ? walk.stopMs() : -1;
        boolean gap = nextKeyframeMs < 0;
        long[] sorted = kept.stream().mapToLong(FrameSource.Frame::timeMs).sorted().toArray();
        long first = kept.get(0).timeMs();
        long endMs = nextKeyframeMs >= 0 ? nextKeyframeMs : sorted[sorted.length - 1] + frameInterval(sorted);
        boolean complete = nextKeyframeMs >= 0 || resumeMs >= 0 || sealing.passed(endMs, clock.millis());
        KeyframeIndex.Bounds bounds = new KeyframeIndex.Bounds(first, endMs, gap, resumeMs, kept.size());
        return workers.run(encoder, new SegmentCache.Key(camera.cameraId(), name), priority, () -> {
            byte[] bytes = encoder.encode(kept, endMs);
            return Optional.of(Segment.of(bytes, etag(bytes), bounds, complete, sealing));
        });
    }

    /** The camera's frame interval: the smallest step between pictures (one frame at 25 fps if alone). */
    static long frameInterval(long[] sortedTimes) {
        long min = Long.MAX_VALUE;
        for (int i = 1; i < sortedTimes.length; i++) {
            long d = sortedTimes[i] - sortedTimes[i - 1];
            if (d > 0 && d < min) {
                min = d;
            }
        }
        return min == Long.MAX_VALUE ? 40 : min;
    }

    static String etag(byte[] bytes) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 18)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
