package com.cns.gateway.media.hls;

/**
 * Rendition is what a camera's segments are made as: today the recording at 1x, remuxed without
 * decoding. It is part of every segment's name, so caches never mix renditions.
 */
public record Rendition(String token) {
    /** The recording at its own speed, remuxed: the token {@code 1} of {@code v1/1/…} names. */
    public static final Rendition NORMAL = new Rendition("1");

    /** The rendition a name's token stands for, or null when it names none. */
    static Rendition parse(String token) {
        return NORMAL.token.equals(token) ? NORMAL : null;
    }

    /** Milliseconds of recording one segment's window covers: the grid, at 1x. */
    public long windowMs(long gridMs) {
        return gridMs;
    }

    @Override
    public String toString() {
        return token;
    }
}
