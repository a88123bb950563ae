package com.cns.gateway.recordingindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.milestone.XProtectClient;
import com.cns.gateway.milestone.XpCamera;
import com.cns.gateway.milestone.XpSequence;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real SOAP sequence calls against the simulator's recording history. */
class XProtectSequenceSourceTest {
    private final Vertx vertx = Vertx.vertx();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    private XProtectSimulator sim;
    private XProtectClient client;

    @AfterEach
    void close() throws Exception {
        client.close();
        await(sim.stop());
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void pagingByMaxCountReadsEverySequenceOfAWeekAndAroundFindsTheStraddler() throws Exception {
        sim = new XProtectSimulator(vertx, SimulatorOptions.defaults(), clock);
        String base = await(sim.start());
        client = new XProtectClient(vertx, ConfigLoader.load(Map.of("MILESTONE_BASE_URL", base, "MILESTONE_USERNAME",
                "admin", "MILESTONE_PASSWORD", "admin")).milestone(), URI.create(base), new SimpleMeterRegistry(), clock);
        XpCamera cam = await(client.cameras().cameras()).stream()
                .filter(c -> sim.site().camera(c.id()).recordingEnabled()).findFirst().orElseThrow();
        CameraAddress a = new CameraAddress(UUID.randomUUID(), cam.id(), cam.recordingServer().effectiveUri());
        XProtectSequenceSource source = new XProtectSequenceSource(client.recorders(), 3);

        Instant from = clock.instant().minus(Duration.ofDays(7));
        Instant to = clock.instant().minus(Duration.ofDays(1));
        List<XpSequence> got = await(source.beginningIn(a, from, to));
        List<RecordedSpan> expected = sim.history().spans(cam.id(), from, to).stream()
                .filter(s -> !s.begin().isBefore(from)).toList();
        assertTrue(expected.size() > 9, "several pages of 3");
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(expected.get(i).begin(), got.get(i).begin());
            assertEquals(expected.get(i).end(), got.get(i).end());
        }

        RecordedSpan first = sim.history().spans(cam.id(), from, to).get(0);
        Instant inside = first.begin().plusMillis(Duration.between(first.begin(), first.end()).toMillis() / 2);
        XpSequence straddler = await(source.lastBeginningBefore(a, inside)).orElseThrow();
        assertEquals(first.begin(), straddler.begin());

        // Up to now, one SequencesGetAround (paging on past a full page of 3) answers as the two calls do.
        Instant recent = clock.instant().minus(Duration.ofDays(2)).plusSeconds(1234);
        Instant past = clock.instant().plus(Duration.ofHours(1));
        SequenceSource.Around two = await(source.around(a, recent, past));
        sim.requests().clear();
        SequenceSource.Around one = await(source.aroundUpToNow(a, recent, past));
        assertTrue(two.inside().size() > 3, "more than one page of 3");
        assertEquals(two, one);
        List<String> calls = sim.requests().entries().stream().map(e -> e.action().replaceAll(".*/|\"", "")).toList();
        assertEquals("SequencesGetAround", calls.get(0), calls.toString());
        assertEquals(1, calls.stream().filter("SequencesGetAround"::equals).count(),
                "one call for the straddler and the first page, then SequencesGet pages on: " + calls);

        Instant limit = await(source.retentionLimit(a));
        assertEquals(sim.history().retentionLimit(cam.id()), limit);
    }
}
