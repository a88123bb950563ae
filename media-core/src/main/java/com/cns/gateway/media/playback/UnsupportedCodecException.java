package com.cns.gateway.media.playback;

/** A camera records in a codec HLS playback does not carry (H.265, JPEG): the message names it. */
public final class UnsupportedCodecException extends RuntimeException {
    private final FrameSource.Codec codec;

    public UnsupportedCodecException(FrameSource.Codec codec) {
        super("This camera records " + codec.label + "; HLS playback carries H.264 only"
                + (codec == FrameSource.Codec.JPEG ? " (use the snapshot endpoint for its pictures)" : ""));
        this.codec = codec;
    }

    public FrameSource.Codec codec() {
        return codec;
    }
}
