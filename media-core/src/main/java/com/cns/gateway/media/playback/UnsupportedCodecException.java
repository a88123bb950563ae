package com.cns.gateway.media.playback;

/**
 * A camera records in a codec playback cannot be made from: one nothing decodes (H.264, H.265 and
 * JPEG are all played), or, for a remux, anything but H.264. The message names it.
 */
public final class UnsupportedCodecException extends RuntimeException {
    private final FrameSource.Codec codec;

    public UnsupportedCodecException(FrameSource.Codec codec) {
        super(codec == FrameSource.Codec.OTHER
                ? "This camera records " + codec.label + ", which the gateway cannot decode; it plays H.264, "
                        + "H.265 (HEVC) and JPEG cameras"
                : "This camera records " + codec.label + ": its 1x segments are transcoded (v1/1s/...), not "
                        + "remuxed; take segment names from the playlist");
        this.codec = codec;
    }

    public FrameSource.Codec codec() {
        return codec;
    }
}
