package com.cns.gateway.media.mjpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.media.SimulatedRecorders;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.media.playback.CameraNotSyncedException;
import com.cns.gateway.media.playback.NothingRecordedException;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.xprotect.simulator.CameraProfile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MJPEG walks against the simulator's ImageServer: pacing, direction, ends, and a sink that goes away. */
class MjpegStreamerTest {
    private static SimulatedRecorders recorders;
    private static MjpegStreamer streamer;
    private static CameraAddress camera;
    private static long begin;

    /** A sink that keeps what it was given, and can go away. */
    static final class Collected implements MjpegStreamer.Sink {
        final List<Long> times = new CopyOnWriteArrayList<>();
        final AtomicBoolean gone = new AtomicBoolean();
        final int leaveAfter;

        Collected(int leaveAfter) {
            this.leaveAfter = leaveAfter;
        }

        @Override
        public boolean closed() {
            return gone.get();
        }

        @Override
        public Future<Void> write(long recordingTimeMs, byte[] jpeg) {
            assertEquals(0xFF, jpeg[0] & 0xFF);
            times.add(recordingTimeMs);
            if (times.size() >= leaveAfter) {
                gone.set(true);
            }
            return Future.succeededFuture();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        recorders = new SimulatedRecorders(true);
        streamer = new MjpegStreamer(recorders.vertx, recorders.pool, 1000, 10_000);
        camera = recorders.camera(CameraProfile.FIXED_GOP);
        begin = recorders.span(camera, 60_000).begin().toEpochMilli();
    }

    @AfterAll
    static void stop() throws Exception {
        recorders.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return SimulatedRecorders.await(f);
    }

    private static Collected stream(Speed speed, boolean keyframes, long from, Long until, int leaveAfter)
            throws Exception {
        Collected sink = new Collected(leaveAfter);
        await(streamer.stream(camera, speed, keyframes, Instant.ofEpochMilli(from),
                until == null ? null : Instant.ofEpochMilli(until), sink, Promise.promise()));
        return sink;
    }

    @Test
    void forwardPicturesComeInOrderPacedAtTheSpeedUntilTheEnd() throws Exception {
        long t0 = System.nanoTime();
        Collected s = stream(Speed.DOUBLE, false, begin + 10_010, begin + 12_010, Integer.MAX_VALUE);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(begin + 10_000, s.times.get(0), "the frame at or before the time first");
        assertTrue(s.times.size() >= 40, s.times.size() + " pictures");
        for (int i = 1; i < s.times.size(); i++) {
            assertTrue(s.times.get(i) > s.times.get(i - 1));
        }
        assertTrue(s.times.get(s.times.size() - 1) < begin + 12_010, "none past the end");
        assertTrue(seconds >= 0.9, "2 s of recording at 2x took " + seconds + " s");
    }

    @Test
    void backwardKeyframesWalkBackAndASinkThatLeavesStopsTheWalk() throws Exception {
        Collected back = stream(Speed.REVERSE_8, true, begin + 20_500, begin + 10_000, Integer.MAX_VALUE);
        assertEquals(List.of(begin + 20_000, begin + 19_000, begin + 18_000), back.times.subList(0, 3));
        assertTrue(back.times.get(back.times.size() - 1) > begin + 10_000, "none before the end");
        Collected left = stream(Speed.NORMAL, false, begin + 5_000, null, 3);
        assertEquals(3, left.times.size(), "nothing after the sink went away");
    }

    @Test
    void nothingRecordedOrNoRecorderFailBeforeAnyPicture() {
        ExecutionException before = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> stream(Speed.REVERSE_1, false, begin - 86_400_000L * 400, null, 1));
        assertInstanceOf(NothingRecordedException.class, before.getCause());
        CameraAddress unsynced = new CameraAddress(UUID.randomUUID(), "x", null);
        assertInstanceOf(CameraNotSyncedException.class, streamer.stream(unsynced, Speed.NORMAL, false, Instant.now(),
                null, new Collected(1), Promise.promise()).cause());
    }
}
