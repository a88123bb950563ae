package com.cns.gateway.media.mjpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.media.playback.CameraNotSyncedException;
import com.cns.gateway.media.playback.NothingRecordedException;
import com.cns.gateway.milestone.XProtectClient;
import com.cns.gateway.milestone.imageserver.ImageServerPool;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatedSite;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MJPEG walks against the simulator's ImageServer: pacing, direction, ends, and a sink that goes away. */
class MjpegStreamerTest {
    private static final Vertx VERTX = Vertx.vertx();
    private static XProtectSimulator sim;
    private static XProtectClient client;
    private static ImageServerPool jpegs;
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
        sim = new XProtectSimulator(VERTX, SimulatorOptions.defaults());
        String base = await(sim.start());
        client = new XProtectClient(VERTX, ConfigLoader.load(Map.of("MILESTONE_BASE_URL", base, "MILESTONE_USERNAME",
                "admin", "MILESTONE_PASSWORD", "admin")).milestone(), URI.create(base), new SimpleMeterRegistry(),
                Clock.systemUTC());
        jpegs = new ImageServerPool(VERTX, VERTX.createNetClient(), VERTX.createNetClient(), client.vmsTokens(), 4,
                Duration.ofSeconds(5), 1, true);
        streamer = new MjpegStreamer(VERTX, jpegs, 1000, 10_000);
        SimulatedSite site = sim.site();
        SimulatedSite.Camera c = site.cameras().stream().filter(x -> x.enabled() && x.recordingEnabled()
                && site.profile(x.id()) == CameraProfile.FIXED_GOP).findFirst().orElseThrow();
        camera = new CameraAddress(UUID.randomUUID(), c.id(), URI.create(site.recorderOf(c).webServerUri()));
        Instant now = Instant.now();
        RecordedSpan span = sim.history().spans(c.id(), now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(2)))
                .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > 60_000).findFirst()
                .orElseThrow();
        begin = span.begin().toEpochMilli();
    }

    @AfterAll
    static void stop() throws Exception {
        jpegs.closeAll();
        client.close();
        await(sim.stop());
        await(VERTX.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
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
