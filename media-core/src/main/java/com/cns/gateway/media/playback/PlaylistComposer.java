package com.cns.gateway.media.playback;

import com.cns.gateway.config.PlaybackSettings;
import com.cns.gateway.media.hls.HlsPlaylistWriter;
import com.cns.gateway.media.hls.PlaylistSegment;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.recordingindex.KeyframeIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * PlaylistComposer writes planned segments as a media playlist of a rendition: output durations,
 * dates, discontinuities (gaps, changes of mode) and the start offset, the same for every planner.
 */
final class PlaylistComposer {
    private static final Logger LOG = Logger.getLogger(PlaylistComposer.class.getName());

    private final PlaybackSettings settings;
    private final long gridMs;

    PlaylistComposer(PlaybackSettings settings) {
        this.settings = settings;
        this.gridMs = settings.segment().toMillis();
    }

    /**
     * The playlist of {@code listed}, in playing order. Forward, each segment's date is its first
     * frame's recording time; backward, the recording time its backward run starts from (the end of
     * its span), so that date + speed × position is the recording time at every position, at every
     * speed. EXTINF is each segment's output length: its span / |speed|.
     */
    Playlist write(Rendition r, List<PlannedSegment> listed, long from, boolean ended, boolean vod) {
        boolean back = r.speed().reverse();
        int target = (int) Math.ceil(r.outputMs(r.windowMs(gridMs) + settings.maxGop().toMillis()) / 1000.0);
        List<PlaylistSegment> out = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            PlannedSegment e = listed.get(i);
            long duration = r.outputMs(e.bounds().durationMs());
            if (Math.round(duration / 1000.0) > target) {
                LOG.warning("segment " + e.name() + " lasts " + duration + " ms, above the target "
                        + "duration of " + target + " s (a GOP longer than PLAYBACK_MAX_GOP_MS): the playlist stops "
                        + "before it");
                ended = false;
                break;
            }
            // Backward, a gap lies between a segment and the newer one listed before it when the segment ends at one.
            boolean gapBefore = back ? i > 0 && e.bounds().gapAfter() : e.discontinuity() && !out.isEmpty();
            // A change of mode changes the encoding (RFC 8216 §4.3.2.3: SHOULD be marked).
            boolean modeChange = i > 0 && listed.get(i - 1).name().rendition().mode() != e.name().rendition().mode();
            out.add(new PlaylistSegment("hls/" + e.name(), duration,
                    Instant.ofEpochMilli(back ? e.bounds().endMs() : e.bounds().firstFrameMs()), gapBefore || modeChange));
        }
        long offset = 0;
        if (!listed.isEmpty()) {
            KeyframeIndex.Bounds first = listed.get(0).bounds();
            offset = r.outputMs(Math.max(0, back ? first.endMs() - from : from - first.firstFrameMs()));
        }
        return new Playlist(HlsPlaylistWriter.write(target, offset, out, ended, r, vod), ended || vod, out.size());
    }
}
