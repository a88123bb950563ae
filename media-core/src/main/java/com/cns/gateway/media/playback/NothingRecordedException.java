package com.cns.gateway.media.playback;

/** Nothing is recorded at or after the asked time (within the playlist window), or in the asked segment. */
public final class NothingRecordedException extends RuntimeException {
    public NothingRecordedException(String message) {
        super(message);
    }
}
