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

    /** How far back the camera's recordings reach. */
    Future<Instant> retentionLimit(CameraAddress camera);
}
