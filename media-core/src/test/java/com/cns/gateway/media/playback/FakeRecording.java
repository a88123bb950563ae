package com.cns.gateway.media.playback;

import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.milestone.XpSequence;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.RecordingRuns;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FakeRecording is a recorder in memory for the media core's unit tests: runs of frames at a fixed
 * spacing with a keyframe every GOP, answered as a recorder answers {@code goto} and {@code next}
 * (a {@code goto} before the first frame lands on the first frame). Each frame's data is its
 * recording time (8 bytes), so a test encoder can tell exactly which frames a segment holds.
 */
final class FakeRecording implements FrameSource, SegmentWindowPlanner.RunSource, SegmentWindowPlanner.NextRecording {
    private final TreeMap<Long, Frame> frames = new TreeMap<>();
    private final List<XpSequence> sequences = new ArrayList<>();
    private final Set<Long> damaged = new HashSet<>();
    private final AtomicInteger walks = new AtomicInteger();
    /** The first frame of every walk, in the order the walks ran. */
    private final List<Long> walked = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicInteger asked = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean crowded;
    private volatile int spare = Integer.MAX_VALUE;
    private volatile Future<Void> held = Future.succeededFuture();
    /** Only walks from frames at or after this time wait for {@link #held}. */
    private volatile long heldFrom = Long.MIN_VALUE;
    private volatile long heldBefore = Long.MIN_VALUE;

    /** Adds a run [startMs, endMs) of frames every {@code frameMs}, a keyframe every {@code gopMs} from its start. */
    FakeRecording run(long startMs, long endMs, long frameMs, long gopMs, Codec codec) {
        for (long t = startMs; t < endMs; t += frameMs) {
            frames.put(t, new Frame(t, (t - startMs) % gopMs == 0, codec, ByteBuffer.allocate(8).putLong(t).array()));
        }
        sequences.add(new XpSequence(Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(startMs),
                Instant.ofEpochMilli(frames.lowerKey(endMs) + frameMs)));
        return this;
    }

    FakeRecording run(long startMs, long endMs) {
        return run(startMs, endMs, 40, 1000, Codec.H264);
    }

    /** Adds a run that resumes mid-GOP: its first frames, up to {@code firstKeyframeMs}, are not keyframes. */
    FakeRecording resumeMidGop(long startMs, long firstKeyframeMs, long endMs) {
        run(firstKeyframeMs, endMs);
        for (long t = startMs; t < firstKeyframeMs; t += 40) {
            frames.put(t, new Frame(t, false, Codec.H264, ByteBuffer.allocate(8).putLong(t).array()));
        }
        sequences.set(sequences.size() - 1, new XpSequence(Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(startMs),
                sequences.get(sequences.size() - 1).end()));
        return this;
    }

    /** The frame at {@code timeMs} cannot be read intact (a walk over it fails). */
    FakeRecording damage(long timeMs) {
        damaged.add(timeMs);
        return this;
    }

    /** Walks wait until the returned promise completes, as a slow recorder's would. */
    io.vertx.core.Promise<Void> hold() {
        io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
        held = gate.future();
        return gate;
    }

    /** As {@link #hold()}, for walks from frames at or after {@code fromMs} only. */
    io.vertx.core.Promise<Void> hold(long fromMs) {
        heldFrom = fromMs;
        return hold();
    }

    /** As {@link #hold()}, for walks from frames before {@code untilMs} only. */
    io.vertx.core.Promise<Void> holdBefore(long untilMs) {
        heldBefore = untilMs;
        return hold(Long.MAX_VALUE);
    }

    private Future<Void> gate(Frame start) {
        return start == null || start.timeMs() >= heldFrom || start.timeMs() < heldBefore ? held
                : Future.succeededFuture();
    }

    /** Every call fails as an unreachable recorder's would. */
    void down(boolean down) {
        this.down = down;
    }

    /** The recorder's connections are all in use (requests wait for one), or not. */
    void crowded(boolean crowded) {
        this.crowded = crowded;
    }

    @Override
    public boolean crowded(CameraAddress camera) {
        return crowded;
    }

    /** Connections to spare: {@code n} from now on (0 is crowded). */
    void spare(int n) {
        this.spare = n;
    }

    @Override
    public int spare(CameraAddress camera) {
        return crowded ? 0 : spare;
    }

    int walks() {
        return walks.get();
    }

    /** The first frame of every walk so far, in the order the walks ran. */
    List<Long> walked() {
        synchronized (walked) {
            return List.copyOf(walked);
        }
    }

    /** Walks asked for, counted when asked (before a {@link #hold} lets them run). */
    int walksAsked() {
        return asked.get();
    }

    int probes() {
        return probes.get();
    }

    @Override
    public Future<RecordingRuns> runs(CameraAddress camera, Instant from, Instant to) {
        if (down) {
            return unavailable();
        }
        return Future.succeededFuture(RecordingRuns.of(sequences, from, to, Duration.ofSeconds(1)));
    }

    @Override
    public Future<Optional<Instant>> atOrAfter(CameraAddress camera, Instant time) {
        if (down) {
            return unavailable();
        }
        return Future.succeededFuture(sequences.stream().map(XpSequence::begin).filter(b -> !b.isBefore(time))
                .sorted().findFirst());
    }

    @Override
    public Future<Optional<Keyframe>> keyframeAtOrBefore(CameraAddress camera, long timeMs) {
        probes.incrementAndGet();
        if (down) {
            return unavailable();
        }
        Frame f = keyframeAt(timeMs);
        return Future.succeededFuture(Optional.ofNullable(f).map(k -> new Keyframe(k.timeMs(), k.codec())));
    }

    @Override
    public Future<Optional<Long>> firstKeyframeAtOrAfter(CameraAddress camera, long timeMs) {
        probes.incrementAndGet();
        if (down) {
            return unavailable();
        }
        return Future.succeededFuture(frames.tailMap(timeMs, true).values().stream().filter(Frame::keyframe)
                .map(Frame::timeMs).findFirst());
    }

    @Override
    public Future<Walk> walk(CameraAddress camera, long fromMs, long untilKeyframeMs, long gapMs) {
        return walkFrom(keyframeAt(fromMs), untilKeyframeMs, gapMs, false);
    }

    @Override
    public Future<Walk> walkFromFrame(CameraAddress camera, long fromMs, long untilKeyframeMs, long gapMs) {
        var e = frames.floorEntry(fromMs);
        return walkFrom(e != null ? e.getValue() : first(), untilKeyframeMs, gapMs, false);
    }

    @Override
    public Future<Walk> walkSpan(CameraAddress camera, long fromMs, long untilMs, long gapMs) {
        var e = frames.floorEntry(fromMs);
        Frame start = e != null ? e.getValue() : first();
        asked.incrementAndGet();
        return gate(start).compose(v -> walkNow(start, Long.MAX_VALUE, untilMs, gapMs, false));
    }

    @Override
    public Future<Walk> walkKeyframes(CameraAddress camera, long fromMs, long untilKeyframeMs) {
        return walkFrom(keyframeAt(fromMs), untilKeyframeMs, Long.MAX_VALUE, true);
    }

    private Future<Walk> walkFrom(Frame start, long until, long gapMs, boolean keyframesOnly) {
        asked.incrementAndGet();
        return gate(start).compose(v -> walkNow(start, until, Long.MAX_VALUE, gapMs, keyframesOnly));
    }

    private Future<Walk> walkNow(Frame start, long until, long limit, long gapMs, boolean keyframesOnly) {
        walks.incrementAndGet();
        if (start != null) {
            walked.add(start.timeMs());
        }
        if (down) {
            return unavailable();
        }
        List<Frame> out = new ArrayList<>();
        for (Frame f = start; f != null; ) {
            if (f.timeMs() >= limit) {
                return Future.succeededFuture(new Walk(out, Stop.LIMIT, f.timeMs()));
            }
            if (!out.isEmpty() && f.keyframe() && f.timeMs() >= until) {
                return Future.succeededFuture(new Walk(out, Stop.KEYFRAME, f.timeMs()));
            }
            if (damaged.contains(f.timeMs())) {
                return Future.failedFuture(new XProtectException("ImageServer sent a damaged frame at " + f.timeMs()));
            }
            out.add(f);
            var next = frames.higherEntry(f.timeMs());
            if (next == null) {
                return Future.succeededFuture(new Walk(out, Stop.END, -1));
            }
            if (next.getKey() - f.timeMs() > gapMs) {
                return Future.succeededFuture(new Walk(out, Stop.GAP, next.getKey()));
            }
            f = next.getValue();
            while (keyframesOnly && f != null && !f.keyframe()) {
                var n = frames.higherEntry(f.timeMs());
                f = n == null ? null : n.getValue();
            }
        }
        return Future.succeededFuture(new Walk(out, Stop.END, -1));
    }

    /** The keyframe at or before the time, else (before the first) the first keyframe. */
    private Frame keyframeAt(long timeMs) {
        for (var e = frames.floorEntry(timeMs); e != null; e = frames.lowerEntry(e.getKey())) {
            if (e.getValue().keyframe()) {
                return e.getValue();
            }
        }
        for (Frame f : frames.values()) {
            if (f.keyframe()) {
                return f;
            }
        }
        return null;
    }

    private Frame first() {
        return frames.isEmpty() ? null : frames.firstEntry().getValue();
    }

    private static <T> Future<T> unavailable() {
        return Future.failedFuture(new XProtectUnavailableException("recording server is unreachable",
                Duration.ofSeconds(5), null));
    }

    /** The recording times an encoder's output of {@link TimesEncoder} holds. */
    static List<Long> times(byte[] encoded) {
        ByteBuffer b = ByteBuffer.wrap(encoded);
        List<Long> out = new ArrayList<>();
        while (b.remaining() >= 8) {
            out.add(b.getLong());
        }
        return out;
    }

    /** An encoder whose bytes are the frames' recording times in order, and which notes the thread it ran on. */
    static final class TimesEncoder implements SegmentEncoder {
        final List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public byte[] encode(List<Frame> frames, long endMs) {
            threads.add(Thread.currentThread().getName());
            ByteBuffer b = ByteBuffer.allocate(frames.size() * 8);
            frames.forEach(f -> b.put(f.data()));
            return b.array();
        }
    }
}
