package com.cns.gateway.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HlsPlaylistWriterTest {

    private static String fixture(String name) throws Exception {
        try (InputStream in = HlsPlaylistWriterTest.class.getResourceAsStream("/playlists/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void eventPlaylistWithAGapMatchesTheGoldenFile() throws Exception {
        String m3u8 = HlsPlaylistWriter.write(5, 1240, List.of(
                new PlaylistSegment("v1/1/1761559200000_4000.ts", 4000, Instant.parse("2025-10-27T10:00:00Z"), false),
                new PlaylistSegment("v1/1/1761559204000_4000.ts", 2520, Instant.parse("2025-10-27T10:00:04Z"), false),
                new PlaylistSegment("v1/1/1761559380000_4000.ts", 3960, Instant.parse("2025-10-27T10:03:00.040Z"),
                        true)), true, Rendition.NORMAL);
        assertEquals(fixture("event-with-gap.m3u8"), m3u8);
    }

    @Test
    void anOpenPlaylistHasNoEndList() {
        String m3u8 = HlsPlaylistWriter.write(5, 0, List.of(new PlaylistSegment("a.ts", 4000,
                Instant.parse("2025-10-27T10:00:00Z"), false)), false, Rendition.NORMAL);
        assertTrue(!m3u8.contains("#EXT-X-ENDLIST"));
        assertTrue(m3u8.contains("#EXT-X-PLAYLIST-TYPE:EVENT"));
    }

    @Test
    void aSegmentLongerThanTheTargetDurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HlsPlaylistWriter.write(4, 0, List.of(
                new PlaylistSegment("a.ts", 4600, Instant.EPOCH, false)), true, Rendition.NORMAL));
    }
}
