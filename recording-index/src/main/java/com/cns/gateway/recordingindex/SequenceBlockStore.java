package com.cns.gateway.recordingindex;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SequenceBlockStore keeps sealed sequence blocks in PostgreSQL's {@code milestone_playback_cache}, behind the
 * in-memory cache: a restarted instance, or another instance, reads them instead of asking XProtect,
 * and while XProtect is down expired rows still answer. A read is a plain SELECT: the plan's
 * {@code hit_count} column is left at 0, since counting each hit made every cached read a write (and
 * a row lock that concurrent dashboards of one camera queued on); hits are counted in memory
 * instead, by the block cache's {@code gateway_sequence_blocks} meters.
 */
public final class SequenceBlockStore implements BlockStore {
    private final Pool pool;

    public SequenceBlockStore(Pool pool) {
        this.pool = pool;
    }

    static String hash(UUID cameraId, Instant blockStart) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((cameraId + ":" + blockStart.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Future<Map<Instant, SequenceBlock>> find(UUID cameraId, List<Instant> starts, Instant now, boolean stale) {
        List<String> hashes = new ArrayList<>();
        starts.forEach(s -> hashes.add(hash(cameraId, s)));
        return pool.preparedQuery("SELECT sequence_data FROM milestone_playback_cache "
                        + "WHERE query_hash = ANY($1) AND ($2 OR expires_at > $3)")
                .execute(Tuple.of(hashes.toArray(new String[0]), stale, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<Instant, SequenceBlock> out = new HashMap<>();
                    rows.forEach(r -> {
                        SequenceBlock b = SequenceBlock.fromJson((JsonObject) r.getJson("sequence_data"));
                        out.put(b.start(), b);
                    });
                    return out;
                });
    }

    @Override
    public Future<Void> save(UUID cameraId, List<SequenceBlock> blocks, Instant now, Instant expiresAt) {
        if (blocks.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> batch = new ArrayList<>();
        for (SequenceBlock b : blocks) {
            batch.add(Tuple.of(cameraId, hash(cameraId, b.start()), b.start().atOffset(ZoneOffset.UTC),
                    b.end().atOffset(ZoneOffset.UTC), b.toJson(), now.atOffset(ZoneOffset.UTC),
                    expiresAt.atOffset(ZoneOffset.UTC)));
        }
        return pool.preparedQuery("INSERT INTO milestone_playback_cache (camera_id, query_hash, start_time, end_time, "
                        + "sequence_data, cached_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                        + "ON CONFLICT (query_hash) DO UPDATE SET sequence_data = excluded.sequence_data, "
                        + "cached_at = excluded.cached_at, expires_at = excluded.expires_at")
                .executeBatch(batch).mapEmpty();
    }
}
