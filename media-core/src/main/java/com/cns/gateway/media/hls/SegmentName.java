package com.cns.gateway.media.hls;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SegmentName is a time-addressed HLS segment's name: format version, speed, and the start and
 * length of its recording-time window, as {@code v1/{speed}/{startMs}_{lengthMs}.ts}. A name carries
 * everything needed to rebuild the segment, so no server session is needed. Valid names have a
 * canonical speed and either sit on the grid with the grid's length, or (a recording that resumes
 * after a gap inside a window) start at the resuming keyframe and run to the next grid line;
 * anything else is not a segment of ours.
 */
public record SegmentName(int version, int speed, long startMs, long lengthMs) {
    private static final Pattern NAME = Pattern.compile("v(\\d+)/(-?[1-9]\\d*)/(\\d{1,15})_(\\d{1,9})\\.ts");

    /** The window's start for a time: the grid line at or before it. */
    public static long gridStart(long timeMs, long gridMs) {
        return Math.floorDiv(timeMs, gridMs) * gridMs;
    }

    /** Parses a name, answering empty unless it is canonical for {@code gridMs} (off the grid, another length). */
    public static Optional<SegmentName> parse(String path, long gridMs) {
        Matcher m = NAME.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        SegmentName n = new SegmentName(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
        boolean window = n.lengthMs == gridMs && n.startMs % gridMs == 0;
        boolean resumption = n.lengthMs > 0 && n.lengthMs < gridMs && (n.startMs + n.lengthMs) % gridMs == 0;
        if (n.version != 1 || !window && !resumption || Math.abs(n.speed) > 8
                || Integer.bitCount(Math.abs(n.speed)) != 1 || !m.group(3).equals(Long.toString(n.startMs))) {
            return Optional.empty();
        }
        return Optional.of(n);
    }

    /** Whether this is a whole grid window (not a recording's resumption inside one). */
    public boolean onGrid(long gridMs) {
        return lengthMs == gridMs && startMs % gridMs == 0;
    }

    @Override
    public String toString() {
        return "v" + version + "/" + speed + "/" + startMs + "_" + lengthMs + ".ts";
    }
}
