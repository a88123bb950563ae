package com.cns.gateway.milestone.imageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.milestone.XProtectClient;
import com.cns.gateway.milestone.XpCamera;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ImageServer connections on Vert.x's event loops, pooled per recorder, against the simulator. */
class ImageServerPoolTest {
    private final Vertx vertx = Vertx.vertx();
    private XProtectSimulator sim;
    private XProtectClient client;
    private ImageServerPool pool;
    private XpCamera cam;

    @BeforeEach
    void start() throws Exception {
        sim = new XProtectSimulator(vertx, SimulatorOptions.defaults());
        String base = await(sim.start());
        client = new XProtectClient(vertx, ConfigLoader.load(Map.of("MILESTONE_BASE_URL", base, "MILESTONE_USERNAME",
                "admin", "MILESTONE_PASSWORD", "admin")).milestone(), URI.create(base), new SimpleMeterRegistry(),
                Clock.systemUTC());
        pool = new ImageServerPool(vertx, vertx.createNetClient(), vertx.createNetClient(new NetClientOptions()
                .setSsl(true)), client.vmsTokens(), 2, Duration.ofSeconds(5));
        cam = await(client.cameras().cameras()).stream().filter(c -> sim.site().camera(c.id()).recordingEnabled())
                .findFirst().orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        pool.closeAll();
        client.close();
        await(sim.stop());
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void withSeveralInFlightAnswersComeInOrder() throws Exception {
        ImageServerPool pipelined = new ImageServerPool(vertx, vertx.createNetClient(), vertx.createNetClient(),
                client.vmsTokens(), 2, Duration.ofSeconds(5), 4);
        try {
            sim.imageServerLatency(20);
            URI rs = cam.recordingServer().effectiveUri();
            RecordedSpan span = sim.history().spans(cam.id(), Instant.now().minus(Duration.ofDays(3)),
                    Instant.now().minus(Duration.ofDays(2))).get(0);
            ImageServerConnection c = await(pipelined.acquire(rs, cam.id()));
            assertEquals(4, c.maxInFlight());
            long t0 = System.nanoTime();
            List<Future<ImageResponse>> answers = List.of(c.goTo(span.begin().toEpochMilli(), false), c.next(), c.next(),
                    c.next());
            assertTrue(c.next().failed(), "a fifth request waits for room");
            for (int i = 0; i < answers.size(); i++) {
                ImageResponse r = await(answers.get(i));
                assertEquals(span.begin().toEpochMilli() + 40L * i, r.current(), "answer " + i + " in order");
                r.release();
            }
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 4 * 40, "four answers in about one round trip, not four");
            pipelined.release(c, true);
        } finally {
            sim.imageServerLatency(0);
            pipelined.closeAll();
        }
    }

    @Test
    void framesWalkForwardOverAPooledConnection() throws Exception {
        URI rs = cam.recordingServer().effectiveUri();
        RecordedSpan span = sim.history().spans(cam.id(), Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(2))).get(0);
        ImageServerConnection c = await(pool.acquire(rs, cam.id()));
        ImageResponse r = await(c.goTo(span.begin().toEpochMilli(), false));
        long t = r.current();
        assertEquals(span.begin().toEpochMilli(), t);
        assertTrue(GenericByteData.parse(r.body()).keyframe());
        r.release();
        for (int i = 0; i < 50; i++) {
            ImageResponse n = await(c.next());
            assertEquals(t + 40, n.current());
            t = n.current();
            n.release();
        }
        ImageResponse back = await(c.previous());
        assertEquals(t - 40, back.current(), "previous steps one frame back");
        back.release();
        pool.release(c, true);
        assertSame(c, await(pool.acquire(rs, cam.id())), "the idle connection of the camera is reused");
        pool.release(c, true);
    }

    @Test
    void aConnectionTheRecorderClosedWhileIdleIsNotLentAgain() throws Exception {
        URI rs = cam.recordingServer().effectiveUri();
        RecordedSpan span = sim.history().spans(cam.id(), Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(2))).get(0);
        ImageServerConnection a = await(pool.acquire(rs, cam.id()));
        ImageServerConnection b = await(pool.acquire(rs, cam.id()));
        pool.release(a, true);
        pool.release(b, true);
        sim.dropImageServerConnections(); // the recorder's idle timeout, or a restart
        for (int i = 0; i < 50 && (a.isOpen() || b.isOpen()); i++) {
            Thread.sleep(20);
        }
        assertFalse(a.isOpen() || b.isOpen(), "the gateway saw both close");
        ImageServerConnection c = await(pool.acquire(rs, cam.id()));
        assertTrue(c != a && c != b && c.isOpen(), "a new connection, not a dead idle one");
        ImageResponse r = await(c.goTo(span.begin().toEpochMilli(), false));
        assertEquals(span.begin().toEpochMilli(), r.current(), "and it answers at once");
        r.release();
        assertEquals(1, pool.open(rs), "the dead ones no longer count against the bound");
        pool.release(c, true);
    }

    @Test
    void connectionsIdleTooLongAreClosed() throws Exception {
        URI rs = cam.recordingServer().effectiveUri();
        ImageServerConnection a = await(pool.acquire(rs, cam.id()));
        pool.release(a, true);
        pool.closeIdle(Duration.ofMinutes(1));
        assertTrue(a.isOpen(), "idle for less than the limit: kept");
        assertEquals(1, pool.open(rs));
        pool.closeIdle(Duration.ZERO);
        assertEquals(0, pool.open(rs), "idle past the limit: closed and no longer counted");
        for (int i = 0; i < 50 && a.isOpen(); i++) {
            Thread.sleep(20);
        }
        assertFalse(a.isOpen());
        ImageServerConnection b = await(pool.acquire(rs, cam.id()));
        assertTrue(b != a && b.isOpen(), "the next caller gets a new connection");
        pool.release(b, true);
    }

    @Test
    void connectionsPerRecorderAreBoundedAndCallersWaitTheirTurn() throws Exception {
        URI rs = cam.recordingServer().effectiveUri();
        assertEquals(2, pool.spare(rs), "nothing lent yet");
        ImageServerConnection a = await(pool.acquire(rs, cam.id()));
        assertEquals(1, pool.spare(rs));
        ImageServerConnection b = await(pool.acquire(rs, cam.id()));
        assertEquals(0, pool.spare(rs), "both lent");
        Future<ImageServerConnection> third = pool.acquire(rs, cam.id());
        Thread.sleep(200);
        assertFalse(third.isComplete(), "the third waits: two per recorder");
        assertEquals(0, pool.spare(rs), "none spare while one waits");
        assertEquals(2, pool.open(rs));
        pool.release(a, true);
        assertSame(a, await(third));
        pool.release(b, false);
        pool.release(a, true);
        assertEquals(1, pool.open(rs), "the unhealthy one was closed");
    }

    @Test
    void prepareOpensACamerasConnectionsAheadReplacingOthersIdleAtTheBound() throws Exception {
        URI rs = cam.recordingServer().effectiveUri();
        XpCamera other = await(client.cameras().cameras()).stream().filter(c -> !c.id().equals(cam.id())
                && c.recordingServer().effectiveUri().equals(rs)).findFirst().orElseThrow();
        ImageServerConnection idleOther = await(pool.acquire(rs, other.id()));
        pool.release(idleOther, true);
        pool.prepare(rs, cam.id(), 2);
        pool.prepare(rs, cam.id(), 2); // already under way: nothing more
        for (int i = 0; i < 100 && idleOther.isOpen(); i++) {
            Thread.sleep(20);
        }
        assertFalse(idleOther.isOpen(), "the other camera's idle connection made room at the bound of two");
        assertEquals(2, pool.open(rs));
        ImageServerConnection a = await(pool.acquire(rs, cam.id()));
        ImageServerConnection b = await(pool.acquire(rs, cam.id()));
        assertTrue(a != b && a.isOpen() && b.isOpen());
        assertEquals(cam.id(), a.cameraId());
        assertEquals(2, pool.open(rs), "both were the prepared ones: no third was opened or waited for");
        pool.release(a, true);
        pool.release(b, true);
    }

    @Test
    void aRenewedVmsTokenReachesOpenConnectionsWithConnectUpdate() throws Exception {
        URI rs = cam.recordingServer().effectiveUri();
        ImageServerConnection c = await(pool.acquire(rs, cam.id()));
        String first = c.token();
        pool.release(c, true);
        sim.expireTokens();
        client.vmsTokens().invalidate(first);
        ImageServerConnection again = await(pool.acquire(rs, cam.id()));
        assertSame(c, again);
        assertNotEquals(first, again.token(), "connectupdate carried the new token");
        ImageResponse r = await(again.goTo(Instant.now().minus(Duration.ofDays(1)).toEpochMilli(), false));
        r.release();
        pool.release(again, true);
    }

    @Test
    void latencyAndServiceTimeSlowEachFrameLikeARecorderOnALan() throws Exception {
        sim.imageServerLatency(5);
        sim.frameServiceTime(10);
        URI rs = cam.recordingServer().effectiveUri();
        ImageServerConnection c = await(pool.acquire(rs, cam.id()));
        ImageResponse first = await(c.goTo(Instant.now().minus(Duration.ofDays(2)).toEpochMilli(), false));
        first.release();
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            await(c.next()).release();
        }
        long perFrameMs = (System.nanoTime() - start) / 10 / 1_000_000;
        assertTrue(perFrameMs >= 20, "2 × 5 ms latency + 10 ms service per frame, got " + perFrameMs + " ms");
        pool.release(c, true);
    }
}
