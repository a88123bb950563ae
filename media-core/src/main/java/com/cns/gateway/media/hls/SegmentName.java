package com.cns.gateway.media.hls;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SegmentName is a time-addressed HLS segment's name: format version, rendition, and the start and
 * length of its recording-time window, as {@code v1/{rendition}/{startMs}_{lengthMs}.ts}. A name
 * carries everything needed to rebuild the segment, so no server session is needed. A rendition's
 * windows sit on its own grid, |speed| × the segment grid long ({@link Rendition#windowMs}). Valid
 * names have a known rendition and either are a whole window ({@link #window}), or (a recording that
 * resumes after a gap inside a window) start at the resuming keyframe and run to the next window line
 * ({@link #resumption}); anything else is not a segment of ours. Methods taking {@code gridMs} take
 * the segment grid and scale it by the name's rendition.
 */
public record SegmentName(int version, Rendition rendition, long startMs, long lengthMs) {
    /** The format version every name carries. */
    public static final int VERSION = 1;
    private static final Pattern NAME = Pattern.compile("v(\\d+)/([^/]{1,8})/(\\d{1,15})_(\\d{1,9})\\.ts");

    /** The window's start for a time: the grid line at or before it. */
    public static long gridStart(long timeMs, long gridMs) {
        return Math.floorDiv(timeMs, gridMs) * gridMs;
    }

    /** The rendition's window that holds {@code timeMs}. */
    public static SegmentName window(Rendition rendition, long timeMs, long gridMs) {
        long w = rendition.windowMs(gridMs);
        return new SegmentName(VERSION, rendition, gridStart(timeMs, w), w);
    }

    /** A recording's resumption at {@code startMs}, inside a window: up to the next window line. */
    public static SegmentName resumption(Rendition rendition, long startMs, long gridMs) {
        long w = rendition.windowMs(gridMs);
        return new SegmentName(VERSION, rendition, startMs, gridStart(startMs, w) + w - startMs);
    }

    /** Parses a name, answering empty unless it is canonical for {@code gridMs} (off the grid, another length). */
    public static Optional<SegmentName> parse(String path, long gridMs) {
        Matcher m = NAME.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<Rendition> r = Rendition.parse(m.group(2));
        if (r.isEmpty() || Integer.parseInt(m.group(1)) != VERSION || !m.group(3).equals(Long.toString(
                Long.parseLong(m.group(3))))) {
            return Optional.empty();
        }
        SegmentName n = new SegmentName(VERSION, r.get(), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
        // A keyframes-only window may also stand in for a smooth one of its speed (capacity used up, or
        // a damaged frame), over the smooth window's span.
        boolean twin = n.rendition.mode() == Rendition.Mode.KEYFRAMES
                && canonical(n, new Rendition(n.rendition.speed(), Rendition.Mode.SMOOTH).windowMs(gridMs));
        return canonical(n, n.rendition.windowMs(gridMs)) || twin ? Optional.of(n) : Optional.empty();
    }

    /** Whether the name is a whole window of length {@code w}, or a recording's resumption inside one. */
    private static boolean canonical(SegmentName n, long w) {
        return n.whole(w) || n.lengthMs > 0 && n.lengthMs < w && (n.startMs + n.lengthMs) % w == 0;
    }

    /**
     * Whether this is a whole window (not a recording's resumption inside one): of its rendition, or
     * for keyframes only, of the smooth rendition of its speed it stands in for.
     */
    public boolean onGrid(long gridMs) {
        return whole(rendition.windowMs(gridMs)) || rendition.mode() == Rendition.Mode.KEYFRAMES
                && whole(new Rendition(rendition.speed(), Rendition.Mode.SMOOTH).windowMs(gridMs));
    }

    private boolean whole(long w) {
        return lengthMs == w && startMs % w == 0;
    }

    /** The window after the one this name lies in. */
    public SegmentName nextWindow(long gridMs) {
        long w = rendition.windowMs(gridMs);
        return new SegmentName(version, rendition, gridStart(startMs, w) + w, w);
    }

    /** The window before the one this name lies in. */
    public SegmentName previousWindow(long gridMs) {
        long w = rendition.windowMs(gridMs);
        return new SegmentName(version, rendition, gridStart(startMs, w) - w, w);
    }

    @Override
    public String toString() {
        return "v" + version + "/" + rendition + "/" + startMs + "_" + lengthMs + ".ts";
    }
}
