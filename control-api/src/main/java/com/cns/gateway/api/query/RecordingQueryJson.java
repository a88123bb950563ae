package com.cns.gateway.api.query;

import com.cns.gateway.recordingindex.RecordingRuns;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/**
 * RecordingQueryJson writes the answers of plan 8.3 and appendix B. Durations are seconds with
 * millisecond precision, so recording plus gap seconds add up to the range exactly. What XProtect
 * cannot tell (sizes, bitrate, fps, resolution, quality, gap reasons, storage location) is
 * {@code null}, never estimated.
 */
final class RecordingQueryJson {
    private RecordingQueryJson() {
    }

    /** Seconds with at most three decimals, written plainly (5400, 12.5, 0.125). */
    static BigDecimal seconds(Duration d) {
        return new BigDecimal(BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString());
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static double ratio(double r) {
        return Math.round(r * 1_000_000d) / 1_000_000d;
    }

    /** A stable id for a merged run: its camera and the run's real start, whatever range it is seen through. */
    static String sequenceId(UUID cameraId, Instant wholeStart) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((cameraId + ":" + wholeStart.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
            return "seq_" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject range(RecordingRuns r) {
        return new JsonObject().put("start", time(r.from())).put("end", time(r.to()));
    }

    static JsonArray sequences(UUID cameraId, RecordingRuns r) {
        JsonArray a = new JsonArray();
        for (RecordingRuns.Run run : r.runs()) {
            a.add(new JsonObject()
                    .put("sequenceId", sequenceId(cameraId, run.whole().start()))
                    .put("startTime", time(run.start()))
                    .put("endTime", time(run.end()))
                    .put("durationSeconds", seconds(run.length()))
                    .put("available", true)
                    .put("sizeBytes", null).put("quality", null).put("fps", null).put("resolution", null));
        }
        return a;
    }

    static JsonArray gaps(RecordingRuns r) {
        JsonArray a = new JsonArray();
        for (RecordingRuns.Span g : r.gaps()) {
            a.add(new JsonObject().put("startTime", time(g.start())).put("endTime", time(g.end()))
                    .put("durationSeconds", seconds(g.length())).put("reason", null));
        }
        return a;
    }

}
