package com.cns.gateway.media.hls;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rendition is what a camera's segments are made as: a speed and a mode. It is part of every
 * segment's name, so caches never mix renditions, and a rendition's window of recording per segment
 * is |speed| × the grid, so each output segment lasts about one grid length at every speed (half of
 * one when smooth, see {@link #windowMs}).
 *
 * <ul>
 *   <li>{@link Mode#REMUX}: the recording at 1x, frames remuxed as recorded; named {@code 1}.</li>
 *   <li>{@link Mode#KEYFRAMES}: keyframes alone, each shown for its GOP's length / |speed| (remuxed
 *       without decoding from H.264; transcoded from H.265 and JPEG); named {@code 8k}, {@code -1k}.</li>
 *   <li>{@link Mode#SMOOTH}: every frame decoded, dropped or repeated to 25 output frames a second
 *       and re-encoded as H.264; named {@code 2s}, {@code -1s}, {@code 1s} (1x of a camera that does
 *       not record H.264).</li>
 * </ul>
 */
public record Rendition(Speed speed, Mode mode) {
    /** How a rendition's frames are made. */
    public enum Mode {
        REMUX(""), KEYFRAMES("k"), SMOOTH("s");

        public final String suffix;

        Mode(String suffix) {
            this.suffix = suffix;
        }
    }

    /** The recording at its own speed, remuxed: the token {@code 1} of {@code v1/1/…} names. */
    public static final Rendition NORMAL = new Rendition(Speed.NORMAL, Mode.REMUX);
    private static final Pattern TOKEN = Pattern.compile("(-?[0-9.]{1,4})([ks]?)");

    public Rendition {
        if (mode == Mode.REMUX && speed != Speed.NORMAL) {
            throw new IllegalArgumentException("a remux plays at 1x only, not " + speed.token());
        }
    }

    /** The rendition a name's token stands for, or empty when it names none. */
    static Optional<Rendition> parse(String token) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        Mode mode = switch (m.group(2)) {
            case "k" -> Mode.KEYFRAMES;
            case "s" -> Mode.SMOOTH;
            default -> Mode.REMUX;
        };
        return Speed.parse(m.group(1)).filter(s -> mode != Mode.REMUX || s == Speed.NORMAL)
                .map(s -> new Rendition(s, mode));
    }

    /**
     * A smooth segment lasts half a grid length: its viewer waits for its whole transcode before the
     * first picture. With whole-grid windows, new -1x moments of 1920×1080 waited 1.25-1.55 s for
     * their first segment one every 20 s, and p95 4.4 s one after the other; with half ones 1.0-1.4 s
     * and 2.7 s (speed bench, 2 cores). A keyframes-only window standing in for a smooth one keeps
     * the smooth window's span ({@link SegmentName#onGrid}).
     */
    static final int SMOOTH_SPLIT = 2;

    /** Milliseconds of recording one segment's window covers: |speed| × the grid (smooth: half of that). */
    public long windowMs(long gridMs) {
        return Math.round(gridMs * speed.magnitude() / (mode == Mode.SMOOTH ? SMOOTH_SPLIT : 1));
    }

    /** Output milliseconds that {@code recordingMs} of recording last at this speed. */
    public long outputMs(long recordingMs) {
        return Math.round(recordingMs / speed.magnitude());
    }

    @Override
    public String toString() {
        return speed.token() + mode.suffix;
    }
}
