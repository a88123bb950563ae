package com.cns.gateway.api.query;

import com.cns.gateway.recordingindex.RecordingRuns;
import com.cns.gateway.recordingindex.Timeline;
import io.vertx.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * TimelineJson writes a timeline answer straight into text: a 24-hour minute timeline has 1441
 * buckets, and building a JSON tree for each before encoding it cost more than the rest of the
 * request. The output is the same JSON {@link RecordingQueryJson} would give.
 */
final class TimelineJson {
    private TimelineJson() {
    }

    static String write(String cameraId, Timeline.Resolution res, String zone, RecordingRuns runs,
                        List<Timeline.Bucket> buckets) {
        StringBuilder sb = new StringBuilder(256 + buckets.size() * 120);
        IsoTimes times = new IsoTimes();
        sb.append("{\"cameraId\":\"").append(cameraId).append("\",\"resolution\":\"").append(res.label())
                .append("\",\"timezone\":").append(Json.encode(zone))
                .append(",\"queryRange\":").append(RecordingQueryJson.range(runs).encode())
                .append(",\"totalRecordingSeconds\":");
        seconds(sb, runs.recorded());
        sb.append(",\"coverage\":").append(RecordingQueryJson.ratio(runs.coverage())).append(",\"timeline\":[");
        for (int i = 0; i < buckets.size(); i++) {
            Timeline.Bucket b = buckets.get(i);
            boolean has = b.recorded().compareTo(Duration.ZERO) > 0;
            sb.append(i == 0 ? "{" : ",{").append("\"timestamp\":\"");
            times.append(sb, b.timestamp().toEpochMilli());
            sb.append("\",\"hasRecording\":").append(has).append(",\"segmentCount\":").append(b.runCount())
                    .append(",\"coverage\":").append(RecordingQueryJson.ratio(b.coverage()))
                    .append(",\"recordedSeconds\":");
            seconds(sb, b.recorded());
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    /**
     * IsoTimes writes instants as {@link Instant#toString()} does at millisecond precision
     * ({@code 2025-10-27T10:01:00Z}, {@code …:00.250Z}), reusing the date of the previous one: the
     * JDK's formatter was most of a timeline answer's cost.
     */
    static final class IsoTimes {
        private long day = Long.MIN_VALUE;
        private String date;

        void append(StringBuilder sb, long epochMs) {
            long d = Math.floorDiv(epochMs, 86_400_000L);
            if (d != day) {
                day = d;
                date = LocalDate.ofEpochDay(d).toString();
            }
            int msOfDay = (int) Math.floorMod(epochMs, 86_400_000L);
            int h = msOfDay / 3_600_000;
            int m = msOfDay / 60_000 % 60;
            int sec = msOfDay / 1000 % 60;
            int ms = msOfDay % 1000;
            sb.append(date).append('T');
            two(sb, h).append(':');
            two(sb, m).append(':');
            two(sb, sec);
            if (ms != 0) {
                sb.append('.').append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
                        .append((char) ('0' + ms % 10));
            }
            sb.append('Z');
        }

        private static StringBuilder two(StringBuilder sb, int v) {
            return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
        }
    }

    /** Seconds with at most three decimals, as {@link RecordingQueryJson#seconds} writes them. */
    static void seconds(StringBuilder sb, Duration d) {
        long ms = d.toMillis();
        sb.append(ms / 1000);
        long frac = ms % 1000;
        if (frac != 0) {
            String f = String.format("%03d", frac);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
    }
}
