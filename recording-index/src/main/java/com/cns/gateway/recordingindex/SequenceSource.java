package com.cns.gateway.recordingindex;

import com.cns.gateway.milestone.XpSequence;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SequenceSource is where the index reads recording sequences from: XProtect's recorders. */
public interface SequenceSource {
    /** Every sequence beginning in [from, to), sorted by begin. */
    Future<List<XpSequence>> beginningIn(CameraAddress camera, Instant from, Instant to);

    /** The last sequence beginning before {@code t}: the one that may straddle it. */
    Future<Optional<XpSequence>> lastBeginningBefore(CameraAddress camera, Instant t);

    /** The first sequence beginning at or after {@code t}, however far ahead. */
    Future<Optional<XpSequence>> firstBeginningAtOrAfter(CameraAddress camera, Instant t);

    /** What a run of blocks needs: the sequence that began before its start, and those beginning in it. */
    record Around(Optional<XpSequence> before, List<XpSequence> inside) {
    }

    /** The last sequence beginning before {@code from} and every sequence beginning in [from, to). */
    default Future<Around> around(CameraAddress camera, Instant from, Instant to) {
        Future<Optional<XpSequence>> before = lastBeginningBefore(camera, from);
        Future<List<XpSequence>> inside = beginningIn(camera, from, to);
        return Future.all(before, inside).map(v -> new Around(before.result(), inside.result()));
    }

    /**
     * {@link #around} for a range that reaches past now, where nothing begins after {@code to}: a source
     * may answer it with fewer calls.
     */
    default Future<Around> aroundUpToNow(CameraAddress camera, Instant from, Instant to) {
        return around(camera, from, to);
    }

    /** How far back the camera's recordings reach. */
    Future<Instant> retentionLimit(CameraAddress camera);
}
