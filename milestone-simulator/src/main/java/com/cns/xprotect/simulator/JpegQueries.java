package com.cns.xprotect.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.function.Supplier;
import org.w3c.dom.Element;

/**
 * JpegQueries answers RecorderCommandService's {@code JPEGGetAt}, {@code JPEGGetAtOrBefore} and
 * {@code JPEGGetAtOrAfter}: {@code JPEGData{Time, Data}} with the recorded frame's time and its picture
 * as base64 JPEG. With no such frame, {@code Time} is the minimum dateTime and there is no
 * {@code Data} (research/milestone-protocols.md §4).
 */
final class JpegQueries {
    private static final DateTimeFormatter SEVEN_DIGITS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final RecordedFrames frames;
    private final Supplier<VideoClip> clip;

    JpegQueries(RecordedFrames frames, Supplier<VideoClip> clip) {
        this.frames = frames;
        this.clip = clip;
    }

    /** The SOAP body of the answer, or null if {@code op} is not one of these methods. */
    String answer(Element op, String deviceId) {
        String method = op.getLocalName();
        if (!method.equals("JPEGGetAt") && !method.equals("JPEGGetAtOrBefore") && !method.equals("JPEGGetAtOrAfter")) {
            return null;
        }
        long t = SequenceQueries.time(op, "time").toEpochMilli();
        RecordedFrames.Frame f = switch (method) {
            case "JPEGGetAtOrBefore" -> frames.atOrBefore(deviceId, t);
            case "JPEGGetAtOrAfter" -> frames.atOrAfter(deviceId, t);
            default -> {
                RecordedFrames.Frame b = frames.atOrBefore(deviceId, t);
                yield b != null && t - b.timeMs() < frames.profile(deviceId).slotMs ? b : null;
            }
        };
        VideoClip c = clip.get();
        String result = f == null || c == null ? "<Time>0001-01-01T00:00:00</Time>"
                : "<Time>" + SEVEN_DIGITS.format(Instant.ofEpochMilli(f.timeMs())) + "</Time><Data>"
                        + Base64.getEncoder().encodeToString(c.jpeg(frames.unitIndex(frames.profile(deviceId), f))) + "</Data>";
        return "<" + method + "Response xmlns=\"" + RecorderCommandService.NS + "\"><" + method + "Result>" + result
                + "</" + method + "Result></" + method + "Response>";
    }
}
