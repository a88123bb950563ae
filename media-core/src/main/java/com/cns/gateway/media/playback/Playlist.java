package com.cns.gateway.media.playback;

/** A planned media playlist: its text, whether it ended ({@code EXT-X-ENDLIST}), and how many segments it lists. */
public record Playlist(String text, boolean ended, int segments) {
}
