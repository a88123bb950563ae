package com.cns.gateway.media;

import com.cns.gateway.config.ConfigLoader;
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
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * SimulatedRecorders is the XProtect simulator on loopback with an ImageServer pool against it, for
 * the media core's tests of what reads recorders: cameras by profile and a long recorded span of each.
 */
public final class SimulatedRecorders implements AutoCloseable {
    public final Vertx vertx = Vertx.vertx();
    public final XProtectSimulator sim;
    public final ImageServerPool pool;
    private final XProtectClient client;

    /** {@code jpeg}: the pool's connections ask for every frame as a JPEG. */
    public SimulatedRecorders(boolean jpeg) throws Exception {
        this(jpeg, SimulatorOptions.defaults());
    }

    /** As above, on a site of {@code options}. */
    public SimulatedRecorders(boolean jpeg, SimulatorOptions options) throws Exception {
        sim = new XProtectSimulator(vertx, options);
        String base = await(sim.start());
        client = new XProtectClient(vertx, ConfigLoader.load(Map.of("MILESTONE_BASE_URL", base, "MILESTONE_USERNAME",
                "admin", "MILESTONE_PASSWORD", "admin")).milestone(), URI.create(base), new SimpleMeterRegistry(),
                Clock.systemUTC());
        pool = new ImageServerPool(vertx, vertx.createNetClient(), vertx.createNetClient(), client.vmsTokens(), 4,
                Duration.ofSeconds(5), 1, jpeg);
    }

    public static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** The first recording camera of {@code profile}, addressed as the gateway addresses it. */
    public CameraAddress camera(CameraProfile profile) {
        SimulatedSite site = sim.site();
        SimulatedSite.Camera c = site.cameras().stream().filter(x -> x.enabled() && x.recordingEnabled()
                && site.profile(x.id()) == profile).findFirst().orElseThrow();
        return new CameraAddress(UUID.randomUUID(), c.id(), URI.create(site.recorderOf(c).webServerUri()));
    }

    /**
     * A recorded span of the camera longer than {@code minMs}, two to nine days back. The simulator's
     * history has days without recording (one in ten), so a window of one day found none on some
     * dates (a run just after midnight UTC on 2026-12-02 did); a week always holds one.
     */
    public RecordedSpan span(CameraAddress camera, long minMs) {
        Instant now = Instant.now();
        return sim.history().spans(camera.deviceId(), now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(2)))
                .stream().filter(s -> s.end().toEpochMilli() - s.begin().toEpochMilli() > minMs).findFirst()
                .orElseThrow();
    }

    @Override
    public void close() throws Exception {
        pool.closeAll();
        client.close();
        await(sim.stop());
        await(vertx.close());
    }
}
