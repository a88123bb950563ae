package com.cns.gateway.media.playback;

import com.cns.gateway.config.PlaybackSettings;
import com.cns.gateway.media.cache.ProductionPriority;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import com.cns.gateway.recordingindex.RecordingRuns;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * VodPlaylistPlanner answers a recording as one whole VOD playlist ({@code EXT-X-ENDLIST} from the
 * first answer), for players that take an EVENT playlist without it for live (Shaka Player, video.js,
 * Safari: they start at the live edge and ignore {@code EXT-X-START}). It lists the same segments, by
 * the same names, as the EVENT planner, but finds their bounds from keyframe probes alone, not walks:
 * each window starts at the first keyframe at or after its grid line ({@code goto} with
 * {@code keyframesonly} and at most one {@code next}), all lines probed at once; gaps come from the
 * recording runs. A playlist covers at most ten minutes of output from the asked time, forward or
 * backward, so its probes stay bounded (about 150 at any speed).
 */
final class VodPlaylistPlanner {
    static final Duration OUTPUT = Duration.ofMinutes(10);

    private final FrameSource frames;
    private final SegmentWindowPlanner.RunSource runs;
    private final PlaybackSettings settings;
    private final PlaylistComposer composer;
    private final long gridMs;
    private final Clock clock;

    VodPlaylistPlanner(FrameSource frames, SegmentWindowPlanner.RunSource runs, PlaybackSettings settings,
                       PlaylistComposer composer, Clock clock) {
        this.frames = frames;
        this.runs = runs;
        this.settings = settings;
        this.composer = composer;
        this.gridMs = settings.segment().toMillis();
        this.clock = clock;
    }

    /** The whole playlist of rendition {@code asked} from {@code time} to {@code endTime} (null: the run's end or start). */
    Future<Playlist> playlist(CameraAddress camera, SegmentWindowPlanner.Windows w, Rendition asked, Instant time,
                              Instant endTime) {
        Instant now = clock.instant();
        if (!time.isBefore(now)) {
            return Future.failedFuture(new NothingRecordedException("Nothing is recorded at or after " + time
                    + ": that is now or in the future"));
        }
        boolean back = asked.speed().reverse();
        long span = Math.min(Math.round(OUTPUT.toMillis() * asked.speed().magnitude()), settings.maxWindow().toMillis());
        long t = time.toEpochMilli();
        long limit = back ? t - span : Math.min(t + span, now.toEpochMilli());
        Instant from = Instant.ofEpochMilli(back ? limit : t);
        Instant to = Instant.ofEpochMilli(back ? t + 1 : limit);
        return runs.runs(camera, from, to).compose(rr -> {
            List<RecordingRuns.Run> rs = rr.runs();
            if (rs.isEmpty()) {
                throw new NothingRecordedException("Nothing is recorded " + (back ? "before " : "after ") + time
                        + " within " + Duration.ofMillis(span).toMinutes() + " minutes");
            }
            RecordingRuns.Run run = back ? rs.get(rs.size() - 1) : rs.get(0);
            long at = back ? Math.min(t, run.end().toEpochMilli() - 1) : Math.max(t, run.start().toEpochMilli());
            long stop = back ? Math.max(limit, endTime != null ? endTime.toEpochMilli() : run.whole().start().toEpochMilli())
                    : Math.min(limit, endTime != null ? endTime.toEpochMilli() : run.whole().end().toEpochMilli());
            return frames.keyframeAtOrBefore(camera, at).compose(k -> {
                FrameSource.Keyframe kf = k.orElseThrow(() -> new NothingRecordedException(
                        "Nothing is recorded at or before " + Instant.ofEpochMilli(at)));
                Rendition r = SegmentWindowPlanner.renditionFor(asked, kf.codec());
                long first = back ? stop : kf.timeMs();
                long last = back ? kf.timeMs() : stop;
                return probe(camera, r, first, last, rs).compose(kmap -> {
                    List<PlannedSegment> listed = new ArrayList<>(segments(w, r, first, last, back, rs, kmap));
                    // Backward, a window holding the end asked may begin in an older run: not listed.
                    listed.removeIf(p -> back && p.bounds().endMs() <= stop);
                    if (listed.isEmpty()) {
                        throw new NothingRecordedException("Nothing is recorded at " + time);
                    }
                    if (back) {
                        Collections.reverse(listed);
                    }
                    // The player asks for these first: their production starts now.
                    for (int i = 0; i < Math.min(2, listed.size()); i++) {
                        w.produce(listed.get(i).name(), i == 0 ? ProductionPriority.FIRST : ProductionPriority.WAITED_FOR);
                    }
                    return Future.succeededFuture(composer.write(r, listed, at, true, true));
                });
            });
        });
    }

    /** The first keyframe at or after every window line of [first, last] and every run start in it. */
    private Future<Map<Long, Optional<Long>>> probe(CameraAddress camera, Rendition r, long first, long last,
                                                    List<RecordingRuns.Run> rs) {
        long win = r.windowMs(gridMs);
        TreeSet<Long> points = new TreeSet<>();
        for (long g = SegmentName.gridStart(first, win); g <= last + win; g += win) {
            points.add(g);
        }
        for (RecordingRuns.Run run : rs) {
            long a = run.whole().start().toEpochMilli();
            if (a > first && a <= last) {
                points.add(a);
            }
        }
        List<Long> order = new ArrayList<>(points);
        List<Future<Optional<Long>>> probes = new ArrayList<>();
        for (long p : order) {
            probes.add(frames.firstKeyframeAtOrAfter(camera, p));
        }
        return Future.all(probes).map(v -> {
            Map<Long, Optional<Long>> out = new HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                out.put(order.get(i), probes.get(i).result());
            }
            return out;
        });
    }

    /**
     * The segments, in recording order, from the one holding {@code first} (forward: the asked
     * keyframe; backward: the earliest time) to the one holding {@code last}; each window runs from
     * its first keyframe to the next window's, or to the end of its recording run.
     */
    private List<PlannedSegment> segments(SegmentWindowPlanner.Windows w, Rendition r, long first, long last,
                                          boolean back, List<RecordingRuns.Run> rs, Map<Long, Optional<Long>> k) {
        long win = r.windowMs(gridMs);
        List<PlannedSegment> out = new ArrayList<>();
        SegmentName name = SegmentName.window(r, first, gridMs);
        Optional<Long> s = k.getOrDefault(name.startMs(), Optional.empty());
        boolean gapBefore = false;
        while (s.isPresent() && (back ? s.get() <= last : s.get() < last || out.isEmpty())) {
            long start = s.get();
            Optional<RecordingRuns.Run> run = rs.stream().filter(x -> x.whole().start().toEpochMilli() <= start
                    && start < x.whole().end().toEpochMilli()).findFirst();
            if (run.isEmpty()) {
                break; // a keyframe past the runs the index knows (the live edge)
            }
            long runEnd = run.get().whole().end().toEpochMilli();
            Optional<Long> e = k.getOrDefault(SegmentName.gridStart(name.startMs(), win) + win, Optional.empty());
            if (e.isPresent() && e.get() <= runEnd) {
                out.add(new PlannedSegment(w.resolve(name), new KeyframeIndex.Bounds(start, e.get(), false, -1, 0),
                        gapBefore));
                name = SegmentName.window(r, e.get(), gridMs);
                s = e;
                gapBefore = false;
                continue;
            }
            Optional<RecordingRuns.Run> nextRun = rs.stream().filter(x -> x.whole().start().toEpochMilli() >= runEnd)
                    .findFirst();
            long resume = nextRun.map(x -> x.whole().start().toEpochMilli()).orElse(-1L);
            out.add(new PlannedSegment(w.resolve(name), new KeyframeIndex.Bounds(start, runEnd, true, resume, 0),
                    gapBefore));
            if (resume < 0) {
                break;
            }
            s = k.getOrDefault(resume, Optional.empty());
            if (s.isEmpty()) {
                break;
            }
            long g = SegmentName.gridStart(s.get(), win);
            name = g == SegmentName.gridStart(name.startMs(), win) && s.get() != g
                    ? SegmentName.resumption(r, s.get(), gridMs) : SegmentName.window(r, s.get(), gridMs);
            gapBefore = true;
        }
        return out;
    }
}
