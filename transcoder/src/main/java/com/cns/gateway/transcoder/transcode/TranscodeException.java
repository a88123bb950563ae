package com.cns.gateway.transcoder.transcode;

/** A transcode failed: a pipeline could not be built, GStreamer reported an error, or nothing decoded. */
public final class TranscodeException extends RuntimeException {
    public TranscodeException(String message) {
        super(message);
    }
}
