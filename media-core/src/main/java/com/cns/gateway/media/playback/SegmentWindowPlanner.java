package com.cns.gateway.media.playback;

import com.cns.gateway.config.PlaybackSettings;
import com.cns.gateway.media.cache.ProductionPriority;
import com.cns.gateway.media.cache.ProductionsFullException;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import com.cns.gateway.recordingindex.RecordingRuns;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
    /**
     * How many windows past the listed ones a viewer's requests are looked for, and so how far one
     * playlist request catches up with a viewer further on (48 windows: 3.2 minutes at 1x).
     */
    static final int MAX_CATCH_UP = 48;
    /** Grid lines probed ahead of the one a catching-up playlist lists next (so its probes run side by side). */
    static final int CATCH_UP_PROBES_AHEAD = 3;

    /** What the planner needs of one camera's segments. */
    public interface Windows {
        /** A window's bounds if known without work (learned, or in a finished production). */
        Optional<KeyframeIndex.Bounds> known(SegmentName name);

        /** Produces the window (once, however often asked) and answers its bounds; empty when it holds no keyframe. */
        Future<Optional<KeyframeIndex.Bounds>> produce(SegmentName name);

        /** As {@link #produce(SegmentName)}, in {@code priority}'s turn when productions wait for a slot. */
        default Future<Optional<KeyframeIndex.Bounds>> produce(SegmentName name, ProductionPriority priority) {
            return produce(name);
        }

        /** Whether productions wait for a slot now (a new playlist then waits for fewer windows). */
        default boolean busy() {
            return false;
        }

        /** Whether a viewer asked for the segment lately. */
        boolean requested(SegmentName name);

        /**
         * The name a window of the asked rendition is listed and made as: itself, or when smooth and
         * transcoding capacity is used up, its keyframes-only twin (once chosen, kept while cached).
         */
        default SegmentName resolve(SegmentName name) {
            return name;
        }
    }

    /** Where recording runs come from ({@code RecordingIndex::runs}). */
    public interface RunSource {
        Future<RecordingRuns> runs(CameraAddress camera, Instant from, Instant to);
    }

    /** When the next recording begins, however far ahead ({@code RecordingIndex::nextRecordingAtOrAfter}). */
    public interface NextRecording {
        Future<Optional<Instant>> atOrAfter(CameraAddress camera, Instant time);
    }


    private final FrameSource frames;
    private final RunSource runs;
    private final NextRecording next;
    private final PlaybackSettings settings;
    private final SealingRule sealing;
    private final long gridMs;
    private final Clock clock;
    private final Counter brokenWindows;
    private final PlaylistComposer composer;
    private final VodPlaylistPlanner vod;
    /** Each camera's codec, as the last probe found it, so 1x of an H.265 or JPEG camera needs no probe to choose. */
    private final Cache<UUID, FrameSource.Codec> codecs = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    public SegmentWindowPlanner(FrameSource frames, RunSource runs, NextRecording next, PlaybackSettings settings,
                                Clock clock, MeterRegistry registry) {
        this.frames = frames;
        this.runs = runs;
        this.next = next;
        this.settings = settings;
        this.sealing = SealingRule.of(settings.seal());
        this.gridMs = settings.segment().toMillis();
        this.clock = clock;
        this.composer = new PlaylistComposer(settings);
        this.vod = new VodPlaylistPlanner(frames, runs, settings, composer, clock);
        this.brokenWindows = brokenWindows(registry);
    }

    /** Windows the recorder could not give intact: shown keyframes only (1x), or skipped as gaps when not even those. */
    static Counter brokenWindows(MeterRegistry registry) {
        return Counter.builder("gateway_playback_broken_windows_total")
                .description("Segment windows the recorder could not give intact: shown keyframes only at 1x, "
                        + "or skipped as gaps")
                .register(registry);
    }

    /**
     * The EVENT playlist from {@code time}: its first segment contains the last frame at or before
     * it, and it runs to {@code endTime} (null: the end of the recording run containing the time),
     * capped by the maximum window. Fails with {@link NothingRecordedException} when nothing is
     * recorded at or after the time within the window, {@link UnsupportedCodecException} for a
     * camera not recording H.264.
     */
    public Future<Playlist> playlist(CameraAddress camera, Windows w, Rendition asked, Instant time, Instant endTime) {
        return playlist(camera, w, asked, time, endTime, null);
    }

    /**
     * As {@link #playlist(CameraAddress, Windows, Rendition, Instant, Instant)}, for a player that began
     * this playlist at {@code since} (null: unknown): it lists at least as far as such a player can have
     * played by now, whichever instance it played from, so a player that comes to this instance when
     * another fails is not given a playlist ending behind its position.
     */
    public Future<Playlist> playlist(CameraAddress camera, Windows w, Rendition asked, Instant time, Instant endTime,
                                     Instant since) {
        FrameSource.Codec seen = codecs.getIfPresent(camera.cameraId());
        Rendition r = seen == null ? asked : renditionFor(asked, seen);
        if (r.speed().reverse()) {
            return backward(camera, w, r, time, endTime);
        }
        long win = r.windowMs(gridMs);
        Instant horizon = time.plus(settings.maxWindow());
        Instant now = clock.instant();
        Instant to = horizon.isAfter(now) ? now : horizon;
        if (!to.isAfter(time)) {
            return Future.failedFuture(new NothingRecordedException("Nothing is recorded at or after " + time
                    + ": that is now or in the future"));
        }
        long t = time.toEpochMilli();
        Optional<SegmentName> known = knownSegmentAt(w, r, t);
        // While productions wait for a slot, a new playlist waits for one window fewer (a grid length
        // after T, not two): its player starts sooner, and the burst costs less before anyone plays.
        int minListed = w.busy() ? MIN_LISTED - 1 : MIN_LISTED;
        Map<Long, Future<Optional<Long>>> lines = new HashMap<>();
        if (known.isEmpty()) {
            // A new playlist lists two windows after T: T's window and the next two, or from the
            // window before when T's keyframe lies there (or nothing, when T is in a gap). Produce them,
            // ahead of prefetch, while the recorder is probed for that keyframe.
            long g = SegmentName.gridStart(t, win);
            if (listsFromProbes(r)) {
                // At 1x (and forward smooth) only T's window is made before the answer: the windows after
                // it are listed from keyframe probes of their grid lines, taken now (see listFromProbe).
                // At 1x T's grid window is walked at once, and the next ones once it is done, so that it
                // has the recorder's connections to itself. Smooth windows are made as they are listed,
                // from T's keyframe window on, found by the probe first (a wrong guess costs a transcode,
                // see backward).
                long until = to.toEpochMilli();
                if (r.mode() == Rendition.Mode.REMUX) {
                    w.produce(w.resolve(SegmentName.window(r, g, gridMs)), ProductionPriority.FIRST).onComplete(ar -> {
                        for (long s = g + win; s < g + minListed * win && s < until; s += win) {
                            w.produce(w.resolve(SegmentName.window(r, s, gridMs)), ProductionPriority.WAITED_FOR);
                        }
                    });
                }
                for (long s = g + win; s <= g + minListed * win && s < until; s += win) {
                    lines.put(s, frames.firstKeyframeAtOrAfter(camera, s));
                }
            } else {
                for (long s = g; s < g + minListed * win && s < to.toEpochMilli(); s += win) {
                    w.produce(w.resolve(SegmentName.window(r, s, gridMs)),
                            s == g ? ProductionPriority.FIRST : ProductionPriority.WAITED_FOR);
                }
            }
        }
        Future<RecordingRuns> recorded = runs.runs(camera, time, to);
        Future<Optional<FrameSource.Keyframe>> probe = known.isPresent() ? Future.succeededFuture(Optional.empty())
                : frames.keyframeAtOrBefore(camera, t);
        return Future.all(recorded, probe).compose(v -> {
            RecordingRuns rr = recorded.result();
            if (rr.runs().isEmpty()) {
                // Nothing within the window: the playlist starts where the next recording does, however far.
                return next.atOrAfter(camera, time).compose(n -> {
                    if (n.isEmpty() || !n.get().isAfter(time) || !n.get().isBefore(now)
                            || endTime != null && !n.get().isBefore(endTime)) {
                        return Future.failedFuture(new NothingRecordedException("Nothing is recorded at or after "
                                + time + (endTime != null ? " and before " + endTime : "")));
                    }
                    return playlist(camera, w, r, n.get(), endTime, since);
                });
            }
            RecordingRuns.Run run = rr.runs().get(0);
            long from = Math.max(t, run.start().toEpochMilli());
            long end = endTime != null ? Math.min(endTime.toEpochMilli(), horizon.toEpochMilli())
                    : Math.min(run.end().toEpochMilli(), horizon.toEpochMilli());
            long reach = since == null ? -1
                    : t + (long) (Math.max(0, now.toEpochMilli() - since.toEpochMilli()) * r.speed().factor);
            Budget budget = new Budget(reach, minListed);
            budget.runEndMs = run.end().toEpochMilli();
            if (from == t && known.isPresent()) {
                // T's window is known, the next ones perhaps still walked: the request after a control
                // call that planned this playlist. Its player waits for this answer, so those windows
                // are listed from probes of their lines as the control call listed them (the recorder's
                // probes are kept, see RecorderFrames), not after their walks.
                budget.lines = listsFromProbes(r) ? lines : null;
                return plan(w, camera, known.get(), false, end, new ArrayList<>(), budget, from);
            }
            budget.lines = known.isEmpty() ? lines : null;
            return keyframeAtOrBefore(camera, from == t ? probe : frames.keyframeAtOrBefore(camera, from), from)
                    .compose(k -> {
                Rendition actual = renditionFor(r, k.codec());
                if (!actual.equals(r)) {
                    return playlist(camera, w, actual, time, endTime, since);
                }
                long kf = k.timeMs();
                long w0 = SegmentName.gridStart(kf, win);
                // The first windows are produced at once, not one after the other (listed from probes, see above).
                for (int i = 1; i < minListed && w0 + i * win < end && !listsFromProbes(r); i++) {
                    w.produce(w.resolve(SegmentName.window(r, w0 + i * win, gridMs)), ProductionPriority.WAITED_FOR);
                }
                return firstPlannedSegment(w, SegmentName.window(r, w0, gridMs), kf).compose(e -> plan(w, camera,
                        e.name(), e.discontinuity(), end, new ArrayList<>(), budget, from));
            });
        });
    }

    /**
     * Whether a new playlist of {@code r} lists the windows after its first from keyframe probes: 1x,
     * and forward smooth speeds, whose windows' bounds are the same as at 1x (keyframes-only windows
     * end at a run's end instead). A smooth window of large pictures takes seconds to transcode.
     */
    private static boolean listsFromProbes(Rendition r) {
        return r.mode() == Rendition.Mode.REMUX || r.mode() == Rendition.Mode.SMOOTH && !r.speed().reverse();
    }

    /**
     * Whether window {@code made}, not yet walked, may be listed from a probe of its end: in a
     * playlist that lists from probes, right after a listed window that ends at its first keyframe (no
     * gap between them).
     */
    private boolean probeListable(SegmentName made, List<PlannedSegment> listed, Budget budget) {
        if (budget.lines == null || listed.isEmpty() || !made.onGrid(gridMs) || !listsFromProbes(made.rendition())) {
            return false;
        }
        KeyframeIndex.Bounds before = listed.get(listed.size() - 1).bounds();
        return before.contiguous() && before.endMs() >= made.startMs()
                && before.endMs() < made.startMs() + made.rendition().windowMs(gridMs);
    }

    /**
     * Lists window {@code made} from the probe of the grid line that ends it, without waiting for its
     * walk (under way): it runs from the listed window's end, its first keyframe, to the first
     * keyframe at or after that line, when the recording run the playlist is in holds both (the
     * recording index has no gap between them). Its walk finds the same bounds, or, when the recorder
     * cannot give a frame of it intact, its keyframes show it over the same span (see
     * {@link PlaybackService}); only a window whose keyframes are damaged too then fails (a walked one
     * would have been skipped as a gap). When the probe finds no such keyframe, the walk is waited for.
     * {@code catchingUp}: the playlist already lists what a new player needs and catches up with a
     * viewer further on.
     */
    private Future<Playlist> listFromProbe(Windows w, CameraAddress camera, SegmentName name, SegmentName made,
                                           long end, List<PlannedSegment> listed, Budget budget, long from,
                                           boolean catchingUp) {
        long win = made.rendition().windowMs(gridMs);
        long line = made.startMs() + win;
        Future<Optional<Long>> probe = budget.lines.computeIfAbsent(line, l -> frames.firstKeyframeAtOrAfter(camera, l));
        if (catchingUp) {
            // Past what a new player needs: the next lines are probed meanwhile, and the walks go behind
            // those viewers wait for.
            long last = Math.min(line + CATCH_UP_PROBES_AHEAD * win, Math.min(end, budget.runEndMs) - 1);
            for (long l = line + win; l <= last; l += win) {
                budget.lines.computeIfAbsent(l, x -> frames.firstKeyframeAtOrAfter(camera, x));
            }
        }
        long first = listed.get(listed.size() - 1).bounds().endMs();
        w.produce(made, catchingUp ? ProductionPriority.BACKGROUND : ProductionPriority.WAITED_FOR);
        return probe.transform(ar -> {
            Optional<Long> k = ar.succeeded() ? ar.result() : Optional.empty();
            if (w.known(made).isPresent()) {
                return plan(w, camera, name, false, end, listed, budget, from); // walked meanwhile
            }
            if (k.isEmpty() || k.get() <= first || k.get() >= budget.runEndMs) {
                budget.lines = null; // a gap or the run's end may lie in it: wait for its walk
                return plan(w, camera, name, false, end, listed, budget, from);
            }
            KeyframeIndex.Bounds bounds = new KeyframeIndex.Bounds(first, k.get(), false, -1, 0);
            listed.add(new PlannedSegment(made, bounds, false));
            if (bounds.endMs() >= end) {
                return Future.succeededFuture(composer.write(name.rendition(), listed, from, true, false));
            }
            return plan(w, camera, SegmentName.window(name.rendition(), k.get(), gridMs), false, end, listed, budget, from);
        });
    }

    /**
     * The keyframe a probe found at or before {@code from} (its codec remembered for the camera):
     * nothing recorded is {@link NothingRecordedException}, and a damaged keyframe gives {@code from}
     * itself, of the codec last seen (planning skips what is damaged).
     */
    private Future<FrameSource.Keyframe> keyframeAtOrBefore(CameraAddress camera,
                                                            Future<Optional<FrameSource.Keyframe>> probe, long from) {
        FrameSource.Codec seen = codecs.getIfPresent(camera.cameraId());
        return probe.recover(e -> e instanceof XProtectUnavailableException ? Future.failedFuture(e)
                : Future.succeededFuture(Optional.of(new FrameSource.Keyframe(from,
                        seen == null ? FrameSource.Codec.H264 : seen))))
                .map(k -> {
                    FrameSource.Keyframe kf = k.orElseThrow(() -> new NothingRecordedException(
                            "Nothing is recorded at or before " + Instant.ofEpochMilli(from)));
                    codecs.put(camera.cameraId(), kf.codec());
                    return kf;
                });
    }

    /**
     * The rendition a camera recording {@code codec} plays {@code r} as: 1x of a camera that does not
     * record H.264 is transcoded ({@code 1s}); a codec nothing decodes fails with {@link UnsupportedCodecException}.
     */
    static Rendition renditionFor(Rendition r, FrameSource.Codec codec) {
        if (codec == FrameSource.Codec.OTHER) {
            throw new UnsupportedCodecException(codec);
        }
        return r.mode() == Rendition.Mode.REMUX && codec != FrameSource.Codec.H264
                ? new Rendition(Speed.NORMAL, Rendition.Mode.SMOOTH) : r;
    }

    /**
     * The whole VOD playlist of {@code asked} from {@code time} (see {@link VodPlaylistPlanner}): the
     * same segments, listed at once, for players that take an EVENT playlist for live.
     */
    public Future<Playlist> vodPlaylist(CameraAddress camera, Windows w, Rendition asked, Instant time,
                                        Instant endTime) {
        FrameSource.Codec seen = codecs.getIfPresent(camera.cameraId());
        return vod.playlist(camera, w, seen == null ? asked : renditionFor(asked, seen), time, endTime);
    }

    /** The window whose learned segment shows time {@code t}, if known (no need to ask the recorder). */
    private Optional<SegmentName> knownSegmentAt(Windows w, Rendition r, long t) {
        long win = r.windowMs(gridMs);
        long g = SegmentName.gridStart(t, win);
        for (long start : new long[] {g, g - win, g - 2 * win}) {
            SegmentName n = SegmentName.window(r, start, gridMs);
            Optional<KeyframeIndex.Bounds> b = w.known(w.resolve(n));
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
    private Future<PlannedSegment> firstPlannedSegment(Windows w, SegmentName window, long k) {
        return bounds(w, window).recover(e -> unplayable(e) ? Future.failedFuture(e)
                : Future.succeededFuture(Optional.empty())).map(b -> {
            if (b.isPresent() && b.get().gapAfter() && b.get().resumeMs() >= 0 && b.get().resumeMs() <= k) {
                long r = b.get().resumeMs();
                return new PlannedSegment(SegmentName.resumption(window.rendition(), r, gridMs), null, true);
            }
            return new PlannedSegment(window, null, false);
        });
    }

    /**
     * Whether a production failure stops the playlist (the recorder is unreachable, the codec cannot be
     * played, playback is at capacity) rather than marking a damaged window as a gap.
     */
    static boolean unplayable(Throwable e) {
        return e instanceof XProtectUnavailableException || e instanceof UnsupportedCodecException
                || e instanceof ProductionsFullException;
    }

    private static Future<Optional<KeyframeIndex.Bounds>> bounds(Windows w, SegmentName name) {
        SegmentName made = w.resolve(name);
        Optional<KeyframeIndex.Bounds> b = w.known(made);
        return b.isPresent() ? Future.succeededFuture(b) : w.produce(made, ProductionPriority.FIRST);
    }

    /**
     * Lists segments from {@code name} on while their bounds are known, producing unknown ones (with
     * the grid windows after them, in parallel) while the playlist is short or within the prefetch
     * distance of the furthest listed segment a viewer asked for. Completes with the playlist.
     */
    private Future<Playlist> plan(Windows w, CameraAddress camera, SegmentName name, boolean discontinuity, long end,
                                  List<PlannedSegment> listed, Budget budget, long from) {
        Rendition r = name.rendition();
        long win = r.windowMs(gridMs);
        while (true) {
            // Names stay in the asked rendition; each window is listed as what it is made as.
            SegmentName made = w.resolve(name);
            Optional<KeyframeIndex.Bounds> b = w.known(made);
            if (b.isEmpty()) {
                // A player that began the playlist long enough ago stands where it has got to by now:
                // within the listed segments, it counts as their furthest asked for; past them, below.
                int furthest = Math.max(furthestRequested(w, listed),
                        budget.reachMs < name.startMs() ? reached(listed, budget.reachMs) : -1);
                int ahead = furthest < 0 ? 0 : listed.size() - 1 - furthest;
                boolean enough = listedAfter(listed, from) >= (budget.minListed - 1) * win;
                if (enough && furthest < 0) {
                    // A player further on than this instance lists (one that played this playlist from
                    // another instance, now gone): catch up to it at once, or its reloaded playlist would
                    // end behind what it plays and it would stall. Known from its requests for windows
                    // past the listed ones or, as a shared cache in front answers those, from how long ago
                    // it began.
                    int behind = Math.max(viewerAhead(w, name, end), windowsBefore(budget.reachMs, name, win));
                    if (behind >= 0) {
                        if (!budget.raised) {
                            budget.raised = true;
                            budget.left += Math.min(MAX_CATCH_UP, behind + 1 + settings.prefetchSegments());
                        }
                        furthest = listed.size() + behind;
                        ahead = -behind - 1;
                    }
                }
                // A new playlist waits only for what a player needs to start; prefetch follows its requests.
                if (budget.left <= 0 || enough && (furthest < 0 || ahead >= settings.prefetchSegments())) {
                    return Future.succeededFuture(composer.write(r, listed, from, false, false));
                }
                // Catching up with a viewer further on lists the windows up to it from probes too: a player
                // that seeks back a little on a camera someone is watching, or one come from another
                // instance, does not wait for walks of windows it has not reached (or has played).
                if ((!enough || budget.raised) && probeListable(made, listed, budget)) {
                    return listFromProbe(w, camera, name, made, end, listed, budget, from, enough);
                }
                // Short: the windows up to the one holding the time the playlist must reach. Else: the
                // prefetch distance still missing. (A new playlist no longer starts windows it does not
                // list: the player's first segment request prefetches those.)
                long reach = SegmentName.gridStart(from + (budget.minListed - 1) * win, win);
                long windows = enough ? settings.prefetchSegments() - ahead
                        : (reach - SegmentName.gridStart(name.startMs(), win)) / win + 1;
                // The budget counts windows this request has not asked for yet (the batch repeats the
                // ones already under way, which cost nothing more).
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < Math.max(1, windows) && (i == 0 || name.onGrid(gridMs)); i++) {
                    long s = name.startMs() + i * win;
                    boolean fresh = s > budget.askedTo;
                    if (i > 0 && (s >= end || fresh && budget.left <= 0)) {
                        break;
                    }
                    // What the playlist must list before it answers goes ahead of prefetch, and so does the
                    // window a reload waits for (its player has played what it had; as prefetch, that
                    // window waited behind every other viewer's prefetch, and the player stalled).
                    work.add(w.produce(i == 0 ? made : w.resolve(SegmentName.window(r, s, gridMs)),
                            i == 0 && listed.isEmpty() ? ProductionPriority.FIRST
                                    : enough && i > 0 ? ProductionPriority.BACKGROUND : ProductionPriority.WAITED_FOR));
                    if (fresh) {
                        budget.left--;
                        budget.askedTo = s;
                    }
                }
                SegmentName n = name;
                boolean disc = discontinuity;
                // Wait for this window only: the ones after it are under way, and the loop comes back for
                // each (waiting for a whole batch made a playlist wait for a window it did not need).
                return work.get(0).transform(ar -> {
                    if (w.known(made).isEmpty()) {
                        Throwable failure = work.get(0).cause();
                        if (failure != null && !unplayable(failure)) {
                            // Frames the recorder cannot give intact: the window becomes a gap, playback goes on.
                            LOG.warning("segment " + n + " of camera " + camera.cameraId() + " is skipped as a gap: "
                                    + failure.getMessage());
                            brokenWindows.increment();
                            SegmentName next = n.nextWindow(gridMs);
                            if (next.startMs() >= end) {
                                return Future.succeededFuture(composer.write(r, listed, from, true, false));
                            }
                            return plan(w, camera, next, true, end, listed, budget, from);
                        }
                        if (failure != null && listed.isEmpty()) {
                            return Future.failedFuture(failure);
                        }
                        return Future.succeededFuture(composer.write(r, listed, from, false, false));
                    }
                    return plan(w, camera, n, disc, end, listed, budget, from);
                });
            }
            KeyframeIndex.Bounds bounds = b.get();
            if (!name.onGrid(gridMs) && bounds.firstFrameMs() != name.startMs()) {
                // The recording resumed mid-GOP: list the segment from its first keyframe.
                SegmentName renamed = canonical(bounds.firstFrameMs(), name);
                if (renamed.equals(name)) {
                    return Future.succeededFuture(composer.write(r, listed, from, false, false));
                }
                name = renamed;
                continue;
            }
            if (bounds.firstFrameMs() >= end && !listed.isEmpty()) {
                return Future.succeededFuture(composer.write(r, listed, from, true, false));
            }
            listed.add(new PlannedSegment(made, bounds, discontinuity));
            if (!bounds.gapAfter()) {
                if (bounds.endMs() >= end) {
                    return Future.succeededFuture(composer.write(r, listed, from, true, false));
                }
                name = SegmentName.window(r, bounds.endMs(), gridMs);
                discontinuity = false;
            } else if (bounds.resumeMs() < 0) {
                // The end of data: final once it is older than the sealing delay.
                return Future.succeededFuture(composer.write(r, listed, from,
                        sealing.passed(bounds.endMs(), clock.millis()), false));
            } else {
                long resume = bounds.resumeMs();
                if (resume >= end) {
                    return Future.succeededFuture(composer.write(r, listed, from, true, false));
                }
                name = canonical(resume, name);
                discontinuity = true;
            }
        }
    }

    /**
     * The playlist of a backward speed from {@code time}: its first segment shows the keyframe at or
     * before the time, and it runs back in recording time to {@code endTime} (null: the start of the
     * recording run containing the time), capped by the maximum window. Its segments are the same
     * windows a forward playlist has, listed newest first: each is found from the one after it.
     */
    private Future<Playlist> backward(CameraAddress camera, Windows w, Rendition r, Instant time, Instant endTime) {
        if (!time.isBefore(clock.instant())) {
            return Future.failedFuture(new NothingRecordedException("Nothing is recorded at or before " + time
                    + ": that is now or in the future"));
        }
        Instant limit = time.minus(settings.maxWindow());
        long t = time.toEpochMilli();
        long win = r.windowMs(gridMs);
        Future<Optional<FrameSource.Keyframe>> probe = frames.keyframeAtOrBefore(camera, t);
        long g = SegmentName.gridStart(t, win);
        // Smooth: none before the probe has found the window holding T's frame, whose transcode goes
        // first; the windows before it are listed from probes and made as they are (see
        // listBackwardFromProbe). Made at once, they took the transcode workers before T's, and in one
        // moment of four T's frame lies in the window before T's grid window (before its first
        // keyframe), whose guessed transcode came first: a new -1x moment of 1920×1080 waited 3.5 to
        // 4 s for its first segment, where one transcode takes about 2 s. A probe takes milliseconds.
        int atOnce = r.mode() == Rendition.Mode.SMOOTH ? 0 : MIN_LISTED;
        for (int i = 0; i < atOnce; i++) {
            w.produce(w.resolve(SegmentName.window(r, g - i * win, gridMs)),
                    i == 0 ? ProductionPriority.FIRST : ProductionPriority.WAITED_FOR);
        }
        Future<RecordingRuns> recorded = runs.runs(camera, limit, time.plusMillis(1));
        return Future.all(recorded, probe).compose(v -> {
            List<RecordingRuns.Run> rs = recorded.result().runs();
            if (rs.isEmpty()) {
                throw new NothingRecordedException("Nothing is recorded at or before " + time + " (looked "
                        + settings.maxWindow().toMinutes() + " minutes back)");
            }
            RecordingRuns.Run run = rs.get(rs.size() - 1);
            long from = Math.min(t, run.end().toEpochMilli() - 1);
            long floor = Math.max(limit.toEpochMilli(), endTime != null ? endTime.toEpochMilli()
                    : run.start().toEpochMilli());
            Future<Optional<FrameSource.Keyframe>> keyframe = from == t ? probe : frames.keyframeAtOrBefore(camera, from);
            // Backward renditions are keyframes or smooth, made from any codec that decodes (else this fails).
            return keyframeAtOrBefore(camera, keyframe, from).map(k -> {
                renditionFor(r, k.codec());
                return k.timeMs();
            }).compose(kf ->
                    firstPlannedSegment(w, SegmentName.window(r, kf, gridMs), kf).compose(e ->
                            planBackward(w, camera, e.name(), floor, rs, new ArrayList<>(), MAX_NEW_PER_PLAYLIST,
                                    from, true)));
        });
    }

    /**
     * Lists {@code name} and the segments before it in recording order while their bounds are known
     * or the budget allows producing them, as far as a new playlist needs or the prefetch distance past
     * the furthest segment a viewer asked for; ends at {@code floor} or the start of data.
     */
    private Future<Playlist> planBackward(Windows w, CameraAddress camera, SegmentName name, long floor,
                                          List<RecordingRuns.Run> rs, List<PlannedSegment> listed, int budget,
                                          long from, boolean probes) {
        Rendition r = name.rendition();
        long win = r.windowMs(gridMs);
        SegmentName made = w.resolve(name);
        Optional<KeyframeIndex.Bounds> b = w.known(made);
        if (b.isEmpty()) {
            int furthest = furthestRequested(w, listed);
            int ahead = furthest < 0 ? 0 : listed.size() - 1 - furthest;
            boolean enough = listedBefore(listed, from) >= (MIN_LISTED - 1) * win;
            if (budget <= 0 || enough && (furthest < 0 || ahead >= settings.prefetchSegments())) {
                return Future.succeededFuture(composer.write(r, listed, from, false, false));
            }
            if (probes && probeListableBackward(made, listed)) {
                return listBackwardFromProbe(w, camera, name, made, floor, rs, listed, budget, from);
            }
            // This request waits for this window (ahead of prefetch); the windows before it are produced
            // meanwhile, as prefetch: the next rounds list them.
            Future<Optional<KeyframeIndex.Bounds>> produced = w.produce(made, ProductionPriority.WAITED_FOR);
            for (int i = 1; i < settings.prefetchSegments() && name.onGrid(gridMs); i++) {
                long s = name.startMs() - i * win;
                if (s + win > floor) {
                    w.produce(w.resolve(SegmentName.window(r, s, gridMs)));
                }
            }
            return produced.transform(ar -> {
                if (ar.failed() && unplayable(ar.cause())) {
                    return listed.isEmpty() ? Future.failedFuture(ar.cause())
                            : Future.succeededFuture(composer.write(r, listed, from, false, false));
                }
                if (ar.failed() || ar.result().isEmpty()) {
                    // Damaged, or no keyframe in the window: go on from the window before it.
                    if (ar.failed()) {
                        LOG.warning("segment " + name + " of camera " + camera.cameraId() + " is skipped as a gap: "
                                + ar.cause().getMessage());
                        brokenWindows.increment();
                    }
                    SegmentName before = before(name, rs);
                    return before == null || before.startMs() + before.lengthMs() <= floor
                            ? Future.succeededFuture(composer.write(r, listed, from, true, false))
                            : planBackward(w, camera, before, floor, rs, listed, budget - 1, from, probes);
                }
                return planBackward(w, camera, name, floor, rs, listed, budget - 1, from, probes);
            });
        }
        KeyframeIndex.Bounds bounds = b.get();
        if (!name.onGrid(gridMs) && bounds.firstFrameMs() != name.startMs()) {
            SegmentName renamed = canonical(bounds.firstFrameMs(), name);
            return renamed.equals(name) ? Future.succeededFuture(composer.write(r, listed, from, false, false))
                    : planBackward(w, camera, renamed, floor, rs, listed, budget, from, probes);
        }
        if (!listed.isEmpty()) {
            PlannedSegment newer = listed.get(listed.size() - 1);
            if (bounds.gapAfter() && bounds.resumeMs() >= 0 && bounds.resumeMs() < newer.bounds().firstFrameMs()) {
                // Recording resumed inside this window before the newer segment: that resumption comes first.
                SegmentName next = canonical(bounds.resumeMs(), name);
                boolean same = next.startMs() == newer.name().startMs() && next.lengthMs() == newer.name().lengthMs();
                if (!same && next.startMs() < newer.name().startMs()) {
                    return planBackward(w, camera, next, floor, rs, listed, budget, from, probes);
                }
            }
        }
        return listBackward(w, camera, name, made, bounds, floor, rs, listed, budget, from, probes);
    }

    /** Lists {@code made} (window {@code name}) with {@code bounds}, and goes on with the window before it. */
    private Future<Playlist> listBackward(Windows w, CameraAddress camera, SegmentName name, SegmentName made,
                                          KeyframeIndex.Bounds bounds, long floor, List<RecordingRuns.Run> rs,
                                          List<PlannedSegment> listed, int budget, long from, boolean probes) {
        Rendition r = name.rendition();
        listed.add(new PlannedSegment(made, bounds, false));
        if (bounds.firstFrameMs() <= floor) {
            return Future.succeededFuture(composer.write(r, listed, from, true, false));
        }
        SegmentName before = name.onGrid(gridMs) ? before(name, rs) : SegmentName.window(r, name.startMs(), gridMs);
        if (before == null || before.startMs() + before.lengthMs() <= floor) {
            return Future.succeededFuture(composer.write(r, listed, from, true, false));
        }
        return planBackward(w, camera, before, floor, rs, listed, budget, from, probes);
    }

    /**
     * Whether window {@code made}, not yet made, may be listed from a probe of its start in a backward
     * smooth playlist: it is the grid window right before the grid window listed last (newer in
     * recording time), which starts at its first keyframe, so {@code made} runs from the first keyframe
     * at or after its start to that one.
     */
    private boolean probeListableBackward(SegmentName made, List<PlannedSegment> listed) {
        if (listed.isEmpty() || !made.onGrid(gridMs) || made.rendition().mode() != Rendition.Mode.SMOOTH) {
            return false;
        }
        SegmentName newer = listed.get(listed.size() - 1).name();
        long first = listed.get(listed.size() - 1).bounds().firstFrameMs();
        long win = made.rendition().windowMs(gridMs);
        return newer.onGrid(gridMs) && newer.startMs() == made.startMs() + win && first >= newer.startMs()
                && first < newer.startMs() + win;
    }

    /**
     * Lists smooth window {@code made} of a backward playlist from a probe of its first keyframe,
     * without waiting for its transcode (under way, a viewer will ask for it): it runs from that
     * keyframe to the first frame of the newer window listed last, when the recording run holding
     * that frame holds the keyframe too (the recording index has no gap between them). A transcode of a
     * large picture takes seconds (a 4 s window of 1920×1080 about 2 s of both cores here), so a new
     * backward playlist waiting for three of them kept its viewer waiting three times as long as its
     * first segment takes. When the probe finds no such keyframe, the transcode is waited for, and so
     * are the windows before it.
     */
    private Future<Playlist> listBackwardFromProbe(Windows w, CameraAddress camera, SegmentName name,
                                                   SegmentName made, long floor, List<RecordingRuns.Run> rs,
                                                   List<PlannedSegment> listed, int budget, long from) {
        long end = listed.get(listed.size() - 1).bounds().firstFrameMs();
        Future<Optional<Long>> probe = frames.firstKeyframeAtOrAfter(camera, made.startMs());
        w.produce(made, ProductionPriority.WAITED_FOR);
        return probe.transform(ar -> {
            Optional<Long> k = ar.succeeded() ? ar.result() : Optional.empty();
            if (w.known(made).isPresent()) {
                return planBackward(w, camera, name, floor, rs, listed, budget, from, true); // made meanwhile
            }
            boolean sameRun = k.isPresent() && rs.stream().anyMatch(run ->
                    run.whole().start().toEpochMilli() <= k.get() && end < run.whole().end().toEpochMilli());
            if (!sameRun || k.get() >= end) {
                return planBackward(w, camera, name, floor, rs, listed, budget, from, false);
            }
            // A window started counts against the budget, as when its transcode is waited for.
            return listBackward(w, camera, name, made, new KeyframeIndex.Bounds(k.get(), end, false, -1, 0), floor,
                    rs, listed, budget - 1, from, true);
        });
    }

    /**
     * The window before {@code name}'s in recording order: the previous window when recording was
     * going on there, else the window holding the end of the last run before it (null: none).
     */
    private SegmentName before(SegmentName name, List<RecordingRuns.Run> rs) {
        SegmentName previous = name.previousWindow(gridMs);
        long start = previous.startMs();
        for (int i = rs.size() - 1; i >= 0; i--) {
            RecordingRuns.Run run = rs.get(i);
            if (run.start().toEpochMilli() < start + previous.lengthMs()) {
                long end = Math.min(run.end().toEpochMilli(), start + previous.lengthMs());
                return SegmentName.window(name.rendition(), end - 1, gridMs);
            }
        }
        return null;
    }

    /** Milliseconds of listed recording before {@code from} (a backward playlist's asked time). */
    private static long listedBefore(List<PlannedSegment> listed, long from) {
        long total = 0;
        for (PlannedSegment e : listed) {
            total += Math.max(0, Math.min(from, e.bounds().endMs()) - e.bounds().firstFrameMs());
        }
        return total;
    }

    /**
     * The name of the segment that starts at {@code startMs}, where recording resumes after a gap that
     * followed segment {@code before}: its own resumption inside the same window, else its grid window.
     */
    private SegmentName canonical(long startMs, SegmentName before) {
        long win = before.rendition().windowMs(gridMs);
        long g = SegmentName.gridStart(startMs, win);
        return g == SegmentName.gridStart(before.startMs(), win) && startMs != g
                ? SegmentName.resumption(before.rendition(), startMs, gridMs)
                : SegmentName.window(before.rendition(), g, gridMs);
    }

    /** Milliseconds of listed video after {@code from} (the asked time). */
    private static long listedAfter(List<PlannedSegment> listed, long from) {
        long total = 0;
        for (PlannedSegment e : listed) {
            total += Math.max(0, e.bounds().endMs() - Math.max(from, e.bounds().firstFrameMs()));
        }
        return total;
    }

    /** What one playlist request may still produce, and how far its player has got. */
    private static final class Budget {
        /** New productions this request may still start. */
        int left = MAX_NEW_PER_PLAYLIST;
        /** Whether {@link #left} was raised once to catch up with a player further on. */
        boolean raised;
        /** The start of the furthest window this request asked to produce. */
        long askedTo = Long.MIN_VALUE;
        /** The recording time a player that began the playlist has reached by now; -1 when unknown. */
        final long reachMs;
        /** Windows a new playlist lists before it answers (see {@link #MIN_LISTED}). */
        final int minListed;
        /**
         * A 1x playlist's probes of grid lines (the first keyframe at or after each), by line, for
         * listing windows before their walks end (a new playlist, or the first request after the control
         * call that planned it); null when windows are listed only once walked.
         */
        Map<Long, Future<Optional<Long>>> lines;
        /** The end of the recording run the playlist is in (where probe-listed windows must end before). */
        long runEndMs = Long.MIN_VALUE;

        Budget(long reachMs, int minListed) {
            this.reachMs = reachMs;
            this.minListed = minListed;
        }
    }

    /** The last listed segment a player that got to {@code reachMs} has reached; -1 for none (or unknown). */
    private static int reached(List<PlannedSegment> listed, long reachMs) {
        for (int i = listed.size() - 1; reachMs >= 0 && i >= 0; i--) {
            if (listed.get(i).name().startMs() <= reachMs) {
                return i;
            }
        }
        return -1;
    }

    /** How many grid windows after {@code name} the recording time {@code reachMs} lies; -1 when not after it. */
    private static int windowsBefore(long reachMs, SegmentName name, long win) {
        return reachMs <= name.startMs() ? -1 : (int) Math.min(Integer.MAX_VALUE, (reachMs - name.startMs()) / win);
    }

    /**
     * How many grid windows after {@code name} (at most {@link #MAX_CATCH_UP}, and before {@code end})
     * the first one a viewer asked for lately lies, or -1 when none was asked for. Looked up by the asked
     * rendition's names, not {@link Windows#resolve}d: resolving decides a smooth window's mode for good
     * (and counts a fallback), which windows nobody lists must not do.
     */
    private int viewerAhead(Windows w, SegmentName name, long end) {
        if (!name.onGrid(gridMs)) {
            return -1;
        }
        long win = name.rendition().windowMs(gridMs);
        for (int i = 0; i < MAX_CATCH_UP && name.startMs() + i * win < end; i++) {
            if (w.requested(SegmentName.window(name.rendition(), name.startMs() + i * win, gridMs))) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the last listed segment a viewer asked for, or -1 if none was asked yet. */
    private static int furthestRequested(Windows w, List<PlannedSegment> listed) {
        for (int i = listed.size() - 1; i >= 0; i--) {
            SegmentName n = listed.get(i).name();
            if (w.requested(n)) {
                return i;
            }
        }
        return -1;
    }
}
