package com.cns.gateway.media.playback;

import com.cns.gateway.config.PlaybackSettings;
import com.cns.gateway.media.hls.HlsPlaylistWriter;
import com.cns.gateway.media.hls.PlaylistSegment;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import com.cns.gateway.recordingindex.RecordingRuns;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * SegmentWindowPlanner turns (camera, time, end) into the EVENT playlist a player loads: the grid
 * windows from the one holding the asked time on, listed once their keyframe bounds are known,
 * resumptions after gaps under their first keyframe with a discontinuity, damaged windows skipped as
 * gaps, and kept a few segments ahead of the furthest one a viewer asked for. It owns no state: what
 * is known of each window, and producing it, come from the caller's {@link Windows}.
 */
public final class SegmentWindowPlanner {
    private static final Logger LOG = Logger.getLogger(SegmentWindowPlanner.class.getName());
    /**
     * A playlist's first request produces this many grid windows at once, and lists at least this many
     * less one grid lengths of video after the asked time when the recording has them (across a gap
     * too), so a player that starts there has buffer to play while it reloads the playlist.
     */
    static final int MIN_LISTED = 3;
    /** New segments one playlist request may produce. */
    static final int MAX_NEW_PER_PLAYLIST = 6;

    /** What the planner needs of one camera's segments. */
    public interface Windows {
        /** A window's bounds if known without work (learned, or in a finished production). */
        Optional<KeyframeIndex.Bounds> known(SegmentName name);

        /** Produces the window (once, however often asked) and answers its bounds; empty when it holds no keyframe. */
        Future<Optional<KeyframeIndex.Bounds>> produce(SegmentName name);

        /** Whether a viewer asked for the segment lately. */
        boolean requested(SegmentName name);
    }

    /** Where recording runs come from ({@code RecordingIndex::runs}). */
    public interface RunSource {
        Future<RecordingRuns> runs(CameraAddress camera, Instant from, Instant to);
    }

    /** A listed segment: its name, bounds, and whether a gap precedes it. */
    private record Entry(SegmentName name, KeyframeIndex.Bounds bounds, boolean discontinuity) {
    }

    private final FrameSource frames;
    private final RunSource runs;
    private final PlaybackSettings settings;
    private final SealingRule sealing;
    private final long gridMs;
    private final Clock clock;
    private final Counter brokenWindows;

    public SegmentWindowPlanner(FrameSource frames, RunSource runs, PlaybackSettings settings, Clock clock,
                                MeterRegistry registry) {
        this.frames = frames;
        this.runs = runs;
        this.settings = settings;
        this.sealing = SealingRule.of(settings.seal());
        this.gridMs = settings.segment().toMillis();
        this.clock = clock;
        this.brokenWindows = Counter.builder("gateway_playback_broken_windows_total")
                .description("Segment windows skipped as gaps because the recorder could not give their frames intact")
                .register(registry);
    }

    /**
     * The EVENT playlist from {@code time}: its first segment contains the last frame at or before
     * it, and it runs to {@code endTime} (null: the end of the recording run containing the time),
     * capped by the maximum window. Fails with {@link NothingRecordedException} when nothing is
     * recorded at or after the time within the window, {@link UnsupportedCodecException} for a
     * camera not recording H.264.
     */
    public Future<Playlist> playlist(CameraAddress camera, Windows w, Instant time, Instant endTime) {
        Instant horizon = time.plus(settings.maxWindow());
        Instant now = clock.instant();
        Instant to = horizon.isAfter(now) ? now : horizon;
        if (!to.isAfter(time)) {
            return Future.failedFuture(new NothingRecordedException("Nothing is recorded at or after " + time
                    + ": that is now or in the future"));
        }
        long t = time.toEpochMilli();
        Optional<SegmentName> known = knownSegmentAt(w, t);
        if (known.isEmpty()) {
            // A new playlist lists two grid lengths after T: T's window and the next two, or from the
            // window before when T's keyframe lies there (or nothing, when T is in a gap). Produce them
            // while the recorder is probed for that keyframe.
            long g = SegmentName.gridStart(t, gridMs);
            for (long s = g; s < g + MIN_LISTED * gridMs && s < to.toEpochMilli(); s += gridMs) {
                w.produce(SegmentName.window(Rendition.NORMAL, s, gridMs));
            }
        }
        Future<RecordingRuns> recorded = runs.runs(camera, time, to);
        Future<Optional<FrameSource.Keyframe>> probe = known.isPresent() ? Future.succeededFuture(Optional.empty())
                : frames.keyframeAtOrBefore(camera, t);
        return Future.all(recorded, probe).compose(v -> {
            RecordingRuns rr = recorded.result();
            if (rr.runs().isEmpty()) {
                throw new NothingRecordedException("Nothing is recorded at or after " + time + " (looked "
                        + settings.maxWindow().toMinutes() + " minutes ahead)");
            }
            RecordingRuns.Run run = rr.runs().get(0);
            long from = Math.max(t, run.start().toEpochMilli());
            long end = endTime != null ? Math.min(endTime.toEpochMilli(), horizon.toEpochMilli())
                    : Math.min(run.end().toEpochMilli(), horizon.toEpochMilli());
            if (from == t && known.isPresent()) {
                return plan(w, camera, known.get(), false, end, new ArrayList<>(), MAX_NEW_PER_PLAYLIST, from);
            }
            Future<Optional<FrameSource.Keyframe>> keyframe = (from == t ? probe
                    : frames.keyframeAtOrBefore(camera, from)).recover(e -> e instanceof XProtectUnavailableException
                    ? Future.failedFuture(e)
                    // A damaged keyframe: start from the window of the time; planning skips what is damaged.
                    : Future.succeededFuture(Optional.of(new FrameSource.Keyframe(from, FrameSource.Codec.H264))));
            return keyframe.compose(k -> {
                FrameSource.Keyframe kf = k.orElseThrow(() -> new NothingRecordedException(
                        "Nothing is recorded at or after " + time));
                if (kf.codec() != FrameSource.Codec.H264) {
                    throw new UnsupportedCodecException(kf.codec());
                }
                long w0 = SegmentName.gridStart(kf.timeMs(), gridMs);
                // The first windows are produced at once, not one after the other.
                for (int i = 1; i < MIN_LISTED && w0 + i * gridMs < end; i++) {
                    w.produce(SegmentName.window(Rendition.NORMAL, w0 + i * gridMs, gridMs));
                }
                return firstEntry(w, SegmentName.window(Rendition.NORMAL, w0, gridMs), kf.timeMs()).compose(e ->
                        plan(w, camera, e.name(), e.discontinuity(), end, new ArrayList<>(), MAX_NEW_PER_PLAYLIST, from));
            });
        });
    }

    /** The grid window whose learned segment shows time {@code t}, if known (no need to ask the recorder). */
    private Optional<SegmentName> knownSegmentAt(Windows w, long t) {
        long g = SegmentName.gridStart(t, gridMs);
        for (long start : new long[] {g, g - gridMs, g - 2 * gridMs}) {
            SegmentName n = SegmentName.window(Rendition.NORMAL, start, gridMs);
            Optional<KeyframeIndex.Bounds> b = w.known(n);
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
    private Future<Entry> firstEntry(Windows w, SegmentName window, long k) {
        return bounds(w, window).recover(e -> e instanceof XProtectUnavailableException
                || e instanceof UnsupportedCodecException ? Future.failedFuture(e)
                : Future.succeededFuture(Optional.empty())).map(b -> {
            if (b.isPresent() && b.get().gapAfter() && b.get().resumeMs() >= 0 && b.get().resumeMs() <= k) {
                long r = b.get().resumeMs();
                return new Entry(SegmentName.resumption(window.rendition(), r, gridMs), null, true);
            }
            return new Entry(window, null, false);
        });
    }

    private static Future<Optional<KeyframeIndex.Bounds>> bounds(Windows w, SegmentName name) {
        Optional<KeyframeIndex.Bounds> b = w.known(name);
        return b.isPresent() ? Future.succeededFuture(b) : w.produce(name);
    }

    /**
     * Lists segments from {@code name} on while their bounds are known, producing unknown ones (with
     * the grid windows after them, in parallel) while the playlist is short or within the prefetch
     * distance of the furthest listed segment a viewer asked for. Completes with the playlist.
     */
    private Future<Playlist> plan(Windows w, CameraAddress camera, SegmentName name, boolean discontinuity, long end,
                                  List<Entry> listed, int budget, long from) {
        while (true) {
            Optional<KeyframeIndex.Bounds> b = w.known(name);
            if (b.isEmpty()) {
                int furthest = furthestRequested(w, listed);
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
                work.add(w.produce(name));
                for (int i = 1; i < batch && name.onGrid(gridMs); i++) {
                    long s = name.startMs() + i * gridMs;
                    if (s < end) {
                        work.add(w.produce(SegmentName.window(name.rendition(), s, gridMs)));
                    }
                }
                SegmentName n = name;
                boolean disc = discontinuity;
                int left = budget - work.size();
                // Wait for this window only: the ones after it are under way, and the loop comes back for
                // each (waiting for a whole batch made a playlist wait for a window it did not need).
                return work.get(0).transform(ar -> {
                    if (w.known(n).isEmpty()) {
                        Throwable failure = work.get(0).cause();
                        if (failure != null && !(failure instanceof XProtectUnavailableException)
                                && !(failure instanceof UnsupportedCodecException)) {
                            // Frames the recorder cannot give intact: the window becomes a gap, playback goes on.
                            LOG.warning("segment " + n + " of camera " + camera.cameraId() + " is skipped as a gap: "
                                    + failure.getMessage());
                            brokenWindows.increment();
                            SegmentName next = n.nextWindow(gridMs);
                            if (next.startMs() >= end) {
                                return Future.succeededFuture(write(listed, from, true));
                            }
                            return plan(w, camera, next, true, end, listed, left, from);
                        }
                        if (failure != null && listed.isEmpty()) {
                            return Future.failedFuture(failure);
                        }
                        return Future.succeededFuture(write(listed, from, false));
                    }
                    return plan(w, camera, n, disc, end, listed, left, from);
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
                name = SegmentName.window(name.rendition(), bounds.endMs(), gridMs);
                discontinuity = false;
            } else if (bounds.resumeMs() < 0) {
                // The end of data: final once it is older than the sealing delay.
                return Future.succeededFuture(write(listed, from,
                        sealing.passed(bounds.endMs(), clock.millis())));
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
                ? SegmentName.resumption(before.rendition(), startMs, gridMs)
                : SegmentName.window(before.rendition(), g, gridMs);
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
    private static int furthestRequested(Windows w, List<Entry> listed) {
        for (int i = listed.size() - 1; i >= 0; i--) {
            SegmentName n = listed.get(i).name();
            if (w.requested(n)) {
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
