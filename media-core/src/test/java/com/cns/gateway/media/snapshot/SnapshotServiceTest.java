package com.cns.gateway.media.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.playback.CameraNotSyncedException;
import com.cns.gateway.media.playback.NothingRecordedException;
import com.cns.gateway.milestone.XpSequence;
import com.cns.gateway.milestone.soap.RecorderCommandMessages;
import com.cns.gateway.recordingindex.CameraAddress;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SnapshotServiceTest {
    private static final Instant SEQ_BEGIN = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant SEQ_END = Instant.parse("2026-11-20T10:10:00Z");
    private static final CameraAddress CAMERA = new CameraAddress(UUID.randomUUID(), "dev", URI.create("http://r:7563/"));
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, 1, 2};

    private static SnapshotService service(Instant pictureTime, Instant now) {
        SnapshotService.Sequences seqs = (c, from, to) -> Future.succeededFuture(
                List.of(new XpSequence(SEQ_BEGIN, SEQ_BEGIN, SEQ_END)).stream()
                        .filter(s -> s.begin().isBefore(to) && s.end().isAfter(from)).toList());
        SnapshotService.Pictures pics = (r, d, t) -> Future.succeededFuture(
                Optional.of(new RecorderCommandMessages.JpegData(pictureTime, JPEG)));
        return new SnapshotService(seqs, pics, new SealingRule(30_000), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void theSnapshotIsThePictureAtOrBeforeTheTimeWithItsRecordingTime() {
        Instant t = SEQ_BEGIN.plusSeconds(61);
        SnapshotService.Snapshot s = service(t.minusMillis(40), SEQ_END.plusSeconds(3600)).at(CAMERA, t).result();
        assertArrayEquals(JPEG, s.jpeg());
        assertEquals(t.minusMillis(40), s.time());
        assertTrue(s.sealed());
        assertFalse(service(t.minusMillis(40), t.plusSeconds(1)).at(CAMERA, t).result().sealed(), "near now");
    }

    @Test
    void aTimeInAGapOrAPictureFromBeforeTheSequenceIsNothingRecorded() {
        Instant now = SEQ_END.plusSeconds(3600);
        assertInstanceOf(NothingRecordedException.class,
                service(SEQ_END.minusMillis(40), now).at(CAMERA, SEQ_END.plusSeconds(5)).cause());
        assertInstanceOf(NothingRecordedException.class,
                service(SEQ_BEGIN.minusSeconds(5), now).at(CAMERA, SEQ_BEGIN.plusMillis(10)).cause());
    }

    @Test
    void aCameraWithNoRecordingServerIsNotSynced() {
        CameraAddress unsynced = new CameraAddress(UUID.randomUUID(), "dev", null);
        assertInstanceOf(CameraNotSyncedException.class,
                service(SEQ_BEGIN, SEQ_END).at(unsynced, SEQ_BEGIN.plusSeconds(1)).cause());
    }
}
