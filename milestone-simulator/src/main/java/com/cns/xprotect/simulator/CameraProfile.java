package com.cns.xprotect.simulator;

/**
 * CameraProfile is how a simulated camera records: codec, frame spacing and where its keyframes fall,
 * the variety a real site has. Frames sit in slots counted from the start of each recorded sequence
 * (slot k nominally at {@code begin + k × slotMs}); every sequence starts with a keyframe. Camera
 * {@code i} of a site gets {@code values()[i % 10]} of the order below, so the first camera is the
 * plain one and each profile appears on a recording camera.
 */
public enum CameraProfile {
    /** H.264 at 25 fps, an IDR every second. */
    FIXED_GOP(Codec.H264, 40),
    /** H.264 at 25 fps with GOPs of 1, 4, 10, 2, 7 and 3 s in turn. */
    VARIABLE_GOP(Codec.H264, 40),
    /** Only keyframes recorded ("record keyframes only"): one IDR a second. */
    KEYFRAMES_ONLY(Codec.H264, 1000),
    /** H.264 at 5 fps, an IDR every second. */
    FPS5(Codec.H264, 200),
    /** H.264 at 25 fps whose timestamps wander by up to 3 ms, with a frame dropped now and then. */
    JITTER_DROPS(Codec.H264, 40),
    /** H.264 Main with two B-frames between references; frames come in decode order. */
    BFRAMES(Codec.H264, 40),
    /** H.265 at 25 fps, an IDR every second. */
    H265(Codec.H265, 40),
    /** JPEG pictures only, 10 a second. */
    JPEG(Codec.JPEG, 100),
    /**
     * H.264 High at 1920×1080, 25 fps, about 4 Mb/s, an IDR every second: the last cameras of a site
     * started with {@code --hd-cameras} (for benchmarks); its JPEG pictures are the 320×180 clip's.
     */
    HD_1080(Codec.H264, 40);

    public enum Codec { H264, H265, JPEG }

    private static final long[] VARIABLE_STARTS = {0, 25, 125, 375, 425, 600};
    private static final long VARIABLE_PERIOD = 675;

    public final Codec codec;
    public final long slotMs;

    CameraProfile(Codec codec, long slotMs) {
        this.codec = codec;
        this.slotMs = slotMs;
    }

    private static final CameraProfile[] BY_INDEX = {FIXED_GOP, VARIABLE_GOP, KEYFRAMES_ONLY, FPS5, FIXED_GOP,
        JITTER_DROPS, BFRAMES, H265, JPEG, FIXED_GOP};

    static CameraProfile forIndex(int cameraIndex) {
        return BY_INDEX[cameraIndex % BY_INDEX.length];
    }

    /** The slot of the keyframe that opens slot {@code k}'s GOP. */
    long gopStart(long k) {
        return switch (this) {
            case KEYFRAMES_ONLY, JPEG -> k;
            case FPS5 -> k - k % 5;
            case VARIABLE_GOP -> {
                long r = k % VARIABLE_PERIOD;
                long s = 0;
                for (long start : VARIABLE_STARTS) {
                    if (start <= r) {
                        s = start;
                    }
                }
                yield k - r + s;
            }
            default -> k - k % 25;
        };
    }

    boolean keyframe(long k) {
        return gopStart(k) == k;
    }

    /** The slot of the first keyframe after slot {@code k}. */
    long nextKeyframe(long k) {
        long n = k + 1;
        while (!keyframe(n)) {
            n++;
        }
        return n;
    }

    /** Whether the camera sent nothing in slot {@code k} (never a keyframe's). */
    boolean dropped(long k) {
        return this == JITTER_DROPS && !keyframe(k) && mix(k) % 29 == 0;
    }

    /** Milliseconds slot {@code k}'s picture is late by (keyframes are on time). */
    long jitter(long k) {
        return this == JITTER_DROPS && !keyframe(k) ? mix(k) % 4 : 0;
    }

    private static long mix(long k) {
        return ((k + 1) * 0x9E3779B97F4A7C15L) >>> 40;
    }
}
