package com.cns.gateway.transcoder.mux;

/**
 * AccessUnit is one coded picture in Annex-B form (start codes included) with its timestamps on the
 * 90 kHz MPEG clock: PTS in presentation order, DTS in decode order.
 */
public record AccessUnit(byte[] annexB, long pts90k, long dts90k, boolean keyframe) {
    /** Timestamps wrap at 2^33 (ISO/IEC 13818-1 §2.4.3.7). */
    public static final long WRAP = 1L << 33;

    /** The 90 kHz timestamp of a recording time: ms × 90 mod 2^33, the same on every instance and every day. */
    public static long clock90k(long recordingTimeMs) {
        return Math.floorMod(recordingTimeMs * 90, WRAP);
    }
}
