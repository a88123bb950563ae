package com.cns.gateway.media.snapshot;

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
import java.util.List;
import java.util.Optional;

/**
 * SnapshotService answers the picture shown at a recording time: the recorder's JPEG at or before it
 * ({@code JPEGGetAtOrBefore}), provided it lies in the recorded sequence that contains the time, so a
 * moment in a gap never shows a picture from before the gap.
 */
public final class SnapshotService {
    /** A snapshot: the JPEG, the recording time of the frame it shows, and whether it is final. */
    public record Snapshot(byte[] jpeg, Instant time, boolean sealed) {
    }

    /** Where the recorded sequences come from ({@code RecordingIndex::sequences}). */
    public interface Sequences {
        Future<List<XpSequence>> sequences(CameraAddress camera, Instant from, Instant to);
    }

    /** Where pictures come from ({@code RecorderCommandClient::jpegAtOrBefore}). */
    public interface Pictures {
        Future<Optional<RecorderCommandMessages.JpegData>> jpegAtOrBefore(URI recorder, String deviceId, Instant time);
    }

    private final Sequences sequences;
    private final Pictures pictures;
    private final SealingRule sealing;
    private final Clock clock;

    public SnapshotService(Sequences sequences, Pictures pictures, SealingRule sealing, Clock clock) {
        this.sequences = sequences;
        this.pictures = pictures;
        this.sealing = sealing;
        this.clock = clock;
    }

    /**
     * The picture shown at {@code time}. Fails with {@link NothingRecordedException} when nothing is
     * recorded then, {@link CameraNotSyncedException} for a camera with no recording server yet.
     */
    public Future<Snapshot> at(CameraAddress camera, Instant time) {
        if (camera.recorder() == null) {
            return Future.failedFuture(new CameraNotSyncedException(camera.cameraId()));
        }
        return sequences.sequences(camera, time, time.plusMillis(1)).compose(seqs -> {
            XpSequence seq = seqs.stream().filter(s -> !s.begin().isAfter(time) && s.end().isAfter(time)).findFirst()
                    .orElseThrow(() -> new NothingRecordedException("Nothing is recorded at " + time));
            return pictures.jpegAtOrBefore(camera.recorder(), camera.deviceId(), time).map(j -> j
                    .filter(p -> !p.time().isBefore(seq.begin()))
                    .map(p -> new Snapshot(p.data(), p.time(), sealing.passed(p.time().toEpochMilli(), clock.millis())))
                    .orElseThrow(() -> new NothingRecordedException("No picture is recorded at or before " + time
                            + " in the sequence that contains it")));
        });
    }
}
