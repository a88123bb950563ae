package com.cns.gateway.recordingindex;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** BlockStore is where sealed sequence blocks are kept behind the in-memory cache. */
public interface BlockStore {
    /** The stored blocks among {@code starts}: unexpired ones only, or any age when {@code stale}. */
    Future<Map<Instant, SequenceBlock>> find(UUID cameraId, List<Instant> starts, Instant now, boolean stale);

    Future<Void> save(UUID cameraId, List<SequenceBlock> blocks, Instant now, Instant expiresAt);
}
