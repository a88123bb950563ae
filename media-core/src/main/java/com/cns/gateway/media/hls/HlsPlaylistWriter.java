package com.cns.gateway.media.hls;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * HlsPlaylistWriter writes a recording's EVENT media playlist (RFC 8216): a target duration fixed for
 * the playlist's life, {@code EXT-X-PROGRAM-DATE-TIME} on every segment (players misplace time across
 * discontinuities otherwise: shaka #9039, ExoPlayer #8312), {@code EXT-X-DISCONTINUITY} at every gap
 * with its sequence counted, {@code EXT-X-START} placing the playhead at the asked time, and
 * {@code EXT-X-ENDLIST} once the requested end is listed. Two tags of the gateway's own say what the
 * playlist is made as: {@code EXT-X-CNS-SPEED} (the recording milliseconds one output millisecond
 * shows, negative backward) and {@code EXT-X-CNS-MODE} ({@code remux} or {@code keyframes}); with the
 * dates, recording time at position p of a segment = its date + speed × p. Players ignore tags they
 * do not know (RFC 8216 §4.1).
 */
public final class HlsPlaylistWriter {
    private HlsPlaylistWriter() {
    }

    /**
     * @param targetDurationS {@code EXT-X-TARGETDURATION}: no EXTINF may exceed it (RFC 8216 §4.3.3.1)
     * @param startOffsetMs   where the playhead starts, from the first segment's start
     */
    public static String write(int targetDurationS, long startOffsetMs, List<PlaylistSegment> segments,
                               boolean ended, Rendition rendition) {
        return write(targetDurationS, startOffsetMs, segments, ended, rendition, false);
    }

    /** As above; {@code vod}: a whole playlist that never changes ({@code VOD}, always ended). */
    public static String write(int targetDurationS, long startOffsetMs, List<PlaylistSegment> segments,
                               boolean ended, Rendition rendition, boolean vod) {
        StringBuilder sb = new StringBuilder(256 + segments.size() * 120);
        sb.append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:").append(targetDurationS)
                .append("\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:")
                .append(vod ? "VOD" : "EVENT").append('\n')
                .append("#EXT-X-INDEPENDENT-SEGMENTS\n")
                .append("#EXT-X-CNS-SPEED:").append(rendition.speed().token()).append('\n')
                .append("#EXT-X-CNS-MODE:").append(rendition.mode().name().toLowerCase(Locale.ROOT)).append('\n')
                .append("#EXT-X-START:TIME-OFFSET=").append(seconds(startOffsetMs)).append(",PRECISE=YES\n");
        for (PlaylistSegment s : segments) {
            if (Math.round(s.durationMs() / 1000.0) > targetDurationS) {
                throw new IllegalArgumentException("segment " + s.uri() + " lasts " + s.durationMs()
                        + " ms, more than the target duration of " + targetDurationS + " s");
            }
            if (s.discontinuity()) {
                sb.append("#EXT-X-DISCONTINUITY\n");
            }
            sb.append("#EXT-X-PROGRAM-DATE-TIME:").append(time(s.programDateTime())).append('\n')
                    .append("#EXTINF:").append(seconds(s.durationMs())).append(",\n")
                    .append(s.uri()).append('\n');
        }
        if (ended || vod) {
            sb.append("#EXT-X-ENDLIST\n");
        }
        return sb.toString();
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }

    /** ISO 8601 with milliseconds always written, as the Apple authoring spec's examples do. */
    private static String time(Instant t) {
        String s = t.truncatedTo(ChronoUnit.MILLIS).toString();
        return s.length() == 20 ? s.substring(0, 19) + ".000Z" : s;
    }
}
