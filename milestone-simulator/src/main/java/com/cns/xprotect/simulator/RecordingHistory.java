package com.cns.xprotect.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * RecordingHistory is each camera's deterministic past: recording sequences per UTC day, generated
 * from the site seed, the camera and the day, so any instant can be asked about without storing
 * weeks of history for thousands of cameras. Days mix long runs with gaps from under a second
 * (which the gateway merges) to hours, and some days have no recording at all. Cameras with
 * recording disabled have none. Manual recordings come on top, and nothing is recorded before the
 * camera's retention limit or after now.
 */
public final class RecordingHistory {
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private final long seed;
    private final Clock clock;
    private final SimulatedSite site;
    private final ManualRecordings manual;

    RecordingHistory(long seed, Clock clock, SimulatedSite site, ManualRecordings manual) {
        this.seed = seed;
        this.clock = clock;
        this.site = site;
        this.manual = manual;
    }

    /** Days of video a camera keeps: 30 for most, 14 for some. */
    public int retentionDays(String cameraId) {
        return Math.floorMod(cameraId.hashCode(), 4) == 0 ? 14 : 30;
    }

    public Instant retentionLimit(String cameraId) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(retentionDays(cameraId)));
    }

    /**
     * The recorded spans of a camera that overlap [from, to), sorted and non-overlapping (manual
     * recordings merged in), clipped to the retention limit and to now.
     */
    public List<RecordedSpan> spans(String cameraId, Instant from, Instant to) {
        SimulatedSite.Camera c = site.camera(cameraId);
        if (c == null) {
            return List.of();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant limit = retentionLimit(cameraId);
        Instant lo = from.isBefore(limit) ? limit : from;
        Instant hi = to.isAfter(now) ? now : to;
        List<RecordedSpan> raw = new ArrayList<>();
        if (lo.isBefore(hi)) {
            if (c.recordingEnabled()) {
                // Spans that began a day earlier may reach into the range.
                for (long day = Math.floorDiv(lo.toEpochMilli(), DAY_MS) - 1;
                     day <= Math.floorDiv(hi.toEpochMilli(), DAY_MS); day++) {
                    raw.addAll(day(cameraId, day));
                }
            }
            raw.addAll(manual.spans(cameraId));
        }
        raw.sort((a, b) -> a.begin().compareTo(b.begin()));
        List<RecordedSpan> merged = new ArrayList<>();
        for (RecordedSpan s : raw) {
            Instant b = s.begin().isBefore(limit) ? limit : s.begin();
            Instant e = s.end().isAfter(now) ? now : s.end();
            if (!b.isBefore(e)) {
                continue;
            }
            RecordedSpan last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !b.isAfter(last.end())) {
                if (e.isAfter(last.end())) {
                    merged.set(merged.size() - 1, new RecordedSpan(last.begin(), e));
                }
            } else {
                merged.add(new RecordedSpan(b, e));
            }
        }
        return merged.stream().filter(s -> s.end().isAfter(from) && s.begin().isBefore(to)).toList();
    }

    /**
     * Days already drawn (they never change: a function of the seed, the camera and the day), so that
     * a frame walk, which asks for the spans around every frame, does not draw them again each time.
     */
    private final Map<String, List<RecordedSpan>> days = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<RecordedSpan>> eldest) {
                    return size() > 20_000;
                }
            });

    /** The continuous-recording sequences of one UTC day; the last may run to the day's end. */
    private List<RecordedSpan> day(String cameraId, long day) {
        String key = cameraId + "/" + day;
        List<RecordedSpan> known = days.get(key);
        if (known == null) {
            known = List.copyOf(drawDay(cameraId, day));
            days.put(key, known);
        }
        return known;
    }

    private List<RecordedSpan> drawDay(String cameraId, long day) {
        Random r = new Random(seed * 31 + cameraId.hashCode() * 1_000_003L + day);
        List<RecordedSpan> out = new ArrayList<>();
        if (r.nextInt(10) == 0) {
            return out; // a day without recording
        }
        long start = day * DAY_MS;
        long end = start + DAY_MS;
        long t = start + (r.nextInt(3) == 0 ? r.nextInt(3_600_000) : 0);
        while (t < end) {
            long length = switch (r.nextInt(4)) {
                case 0 -> 60_000L + r.nextInt(600_000);              // 1 to 11 minutes
                case 1 -> 600_000L + r.nextInt(3_000_000);           // 10 to 60 minutes
                default -> 3_600_000L + r.nextInt(3 * 3_600_000);    // 1 to 4 hours
            };
            long e = Math.min(end, t + length);
            out.add(new RecordedSpan(Instant.ofEpochMilli(t), Instant.ofEpochMilli(e)));
            long gap = switch (r.nextInt(8)) {
                case 0, 1, 2 -> 1 + r.nextInt(900);                  // under a second: merged by the gateway
                case 3, 4 -> 2_000L + r.nextInt(60_000);             // seconds
                case 5, 6 -> 60_000L + r.nextInt(1_200_000);         // minutes
                default -> 3_600_000L + r.nextInt(3 * 3_600_000);    // hours
            };
            t = e + gap;
        }
        return out;
    }
}
