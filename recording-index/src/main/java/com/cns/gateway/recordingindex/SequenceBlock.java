package com.cns.gateway.recordingindex;

import com.cns.gateway.milestone.XpSequence;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SequenceBlock is one camera's sequences for one UTC hour: those beginning in it, and the one that
 * began before it and may reach into it ({@code carriedIn}). Sequences of one camera do not overlap,
 * so a range is covered by its first block's carried-in sequence and every block's own. A block
 * loaded after its end ({@code loadedAt}) is complete.
 */
public record SequenceBlock(Instant start, List<XpSequence> beginning, XpSequence carriedIn, Instant loadedAt) {
    public static final Duration LENGTH = Duration.ofHours(1);

    public Instant end() {
        return start.plus(LENGTH);
    }

    public static Instant startOf(Instant t) {
        long ms = LENGTH.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), ms) * ms);
    }

    JsonObject toJson() {
        JsonArray seqs = new JsonArray();
        beginning.forEach(s -> seqs.add(json(s)));
        return new JsonObject().put("start", start.toEpochMilli()).put("sequences", seqs)
                .put("carriedIn", carriedIn == null ? null : json(carriedIn)).put("loadedAt", loadedAt.toString());
    }

    static SequenceBlock fromJson(JsonObject j) {
        List<XpSequence> seqs = new ArrayList<>();
        j.getJsonArray("sequences").forEach(o -> seqs.add(sequence((JsonArray) o)));
        JsonArray c = j.getJsonArray("carriedIn");
        return new SequenceBlock(Instant.ofEpochMilli(j.getLong("start")), List.copyOf(seqs),
                c == null ? null : sequence(c), Instant.parse(j.getString("loadedAt")));
    }

    /** Nanosecond-exact: XProtect's times have 100 ns ticks. */
    private static JsonArray json(XpSequence s) {
        return new JsonArray().add(s.begin().toString()).add(s.trigged().toString()).add(s.end().toString());
    }

    private static XpSequence sequence(JsonArray a) {
        return new XpSequence(Instant.parse(a.getString(0)), Instant.parse(a.getString(1)), Instant.parse(a.getString(2)));
    }
}
