package com.cns.gateway.media.playback;

import com.cns.gateway.recordingindex.CameraAddress;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * FrameSource is where playback reads recorded frames: the keyframe at or before a time, and walks
 * from a keyframe (every frame, or keyframes only) until a later keyframe, a gap or the end of data.
 * {@link RecorderFrames} reads them over ImageServer; tests give the planner and producers a fake.
 */
public interface FrameSource {
    /** The codec of a camera's recording, from the GenericByteData header (or a JPEG body). */
    enum Codec {
        H264("H.264"), H265("H.265 (HEVC)"), JPEG("JPEG"), OTHER("an unsupported codec");

        public final String label;

        Codec(String label) {
            this.label = label;
        }
    }

    /** One frame: its recording time, whether it is a keyframe, and its Annex-B bytes (JPEG: the picture). */
    record Frame(long timeMs, boolean keyframe, Codec codec, byte[] data) {
    }

    /** A keyframe found by {@link #keyframeAtOrBefore}. */
    record Keyframe(long timeMs, Codec codec) {
    }

    /**
     * Why a walk stopped: at a keyframe at or after its limit (not taken), at a gap, at the end of data,
     * or (a {@link #walkSpan}) at the first frame at or after its time limit (not taken).
     */
    enum Stop { KEYFRAME, GAP, END, LIMIT }

    /**
     * The frames of a walk, in decode order, and why and where it stopped: {@code stopMs} is the
     * keyframe's time (or the limiting frame's), or after a gap the time recording resumes (-1 at the
     * end of data).
     */
    record Walk(List<Frame> frames, Stop stop, long stopMs) {
    }

    /** The keyframe at or before {@code timeMs}; empty when nothing is recorded there or earlier. */
    Future<Optional<Keyframe>> keyframeAtOrBefore(CameraAddress camera, long timeMs);

    /**
     * The first keyframe at or after {@code timeMs} ({@code goto} and, unless it lands there, one
     * {@code next} with {@code keyframesonly}); empty at the end of data. No frame is read whole.
     */
    Future<Optional<Long>> firstKeyframeAtOrAfter(CameraAddress camera, long timeMs);

    /**
     * Every frame from the keyframe at {@code fromMs} (the keyframe at or before it, strictly) to the
     * first later keyframe at or after {@code untilKeyframeMs}, stopping early after a frame whose
     * successor is more than {@code gapMs} later (a gap) or that is the last recorded.
     */
    Future<Walk> walk(CameraAddress camera, long fromMs, long untilKeyframeMs, long gapMs);

    /**
     * As {@link #walk}, but from the frame at or before {@code fromMs} whatever its kind: where recording
     * resumes after a gap, which need not be a keyframe.
     */
    Future<Walk> walkFromFrame(CameraAddress camera, long fromMs, long untilKeyframeMs, long gapMs);

    /**
     * Every frame from the frame at or before {@code fromMs}, whatever its kind, up to, not including,
     * the first frame at or after {@code untilMs} ({@link Stop#LIMIT}), stopping early at a gap or the
     * end of data: one piece of a stretch that several connections walk at once.
     */
    Future<Walk> walkSpan(CameraAddress camera, long fromMs, long untilMs, long gapMs);

    /**
     * The keyframes alone from the keyframe at or before {@code fromMs} up to, not including, the first
     * keyframe at or after {@code untilKeyframeMs} (where the walk stops, {@link Stop#KEYFRAME}), or to
     * the end of data. Gaps are not seen by such a walk: the caller takes them from the recording runs.
     */
    Future<Walk> walkKeyframes(CameraAddress camera, long fromMs, long untilKeyframeMs);

    /**
     * Whether reads from the camera's recorder wait for a connection now (all it may have are in use):
     * cutting a window into more pieces then adds requests, not parallelism.
     */
    default boolean crowded(CameraAddress camera) {
        return false;
    }

    /**
     * How many more calls for the camera could run at once now without waiting for a connection
     * (0 when some already wait); unbounded by default, 0 when {@link #crowded}.
     */
    default int spare(CameraAddress camera) {
        return crowded(camera) ? 0 : Integer.MAX_VALUE;
    }

    /**
     * Gets ready for {@code n} calls about to be made at once for the camera (opening connections
     * ahead, say); nothing by default.
     */
    default void prepare(CameraAddress camera, int n) {
    }
}
