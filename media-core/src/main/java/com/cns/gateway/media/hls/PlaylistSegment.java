package com.cns.gateway.media.hls;

import java.time.Instant;

/**
 * PlaylistSegment is one entry of a media playlist: its URI, its real duration, the recording time of
 * its first frame, and whether a gap in the recording precedes it.
 */
public record PlaylistSegment(String uri, long durationMs, Instant programDateTime, boolean discontinuity) {
}
