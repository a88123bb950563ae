package com.cns.gateway.recordingindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.config.RecordingIndexSettings;
import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.milestone.XpSequence;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The block cache's logic with an in-memory source and store (the end-to-end tests use XProtect's). */
class RecordingIndexTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:30:00Z");
    private final Vertx vertx = Vertx.vertx();
    private final TestClock clock = new TestClock(NOW);
    private final CameraAddress cam = new CameraAddress(UUID.randomUUID(), "dev", URI.create("http://rs:7563/"));

    /** Sequences of 50 minutes every hour, from 10 hours ago. */
    private final List<XpSequence> history = new ArrayList<>();
    private final AtomicInteger beginningCalls = new AtomicInteger();
    private final AtomicInteger aroundCalls = new AtomicInteger();
    private volatile boolean down;
    private volatile Promise<Void> gate;
    private final Map<Instant, SequenceBlock> stored = new HashMap<>();

    {
        for (int h = 10; h >= 1; h--) {
            Instant b = NOW.minus(Duration.ofHours(h)).minusSeconds(600);
            history.add(new XpSequence(b, b, b.plus(Duration.ofMinutes(50))));
        }
    }

    private final SequenceSource source = new SequenceSource() {
        @Override
        public Future<List<XpSequence>> beginningIn(CameraAddress c, Instant from, Instant to) {
            beginningCalls.incrementAndGet();
            if (down) {
                return Future.failedFuture(new XProtectUnavailableException("down", Duration.ofSeconds(1), null));
            }
            Future<Void> wait = gate == null ? Future.succeededFuture() : gate.future();
            return wait.map(v -> history.stream().filter(s -> !s.begin().isBefore(from) && s.begin().isBefore(to))
                    .toList());
        }

        @Override
        public Future<Optional<XpSequence>> firstBeginningAtOrAfter(CameraAddress c, Instant t) {
            return Future.succeededFuture(history.stream().filter(s -> !s.begin().isBefore(t)).findFirst());
        }

        @Override
        public Future<Optional<XpSequence>> lastBeginningBefore(CameraAddress c, Instant t) {
            aroundCalls.incrementAndGet();
            if (down) {
                return Future.failedFuture(new XProtectUnavailableException("down", Duration.ofSeconds(1), null));
            }
            return Future.succeededFuture(history.stream().filter(s -> s.begin().isBefore(t)).reduce((a, b) -> b));
        }

        @Override
        public Future<Instant> retentionLimit(CameraAddress c) {
            return Future.succeededFuture(NOW.minus(Duration.ofDays(30)));
        }
    };

    private final BlockStore store = new BlockStore() {
        @Override
        public Future<Map<Instant, SequenceBlock>> find(UUID id, List<Instant> starts, Instant now, boolean stale) {
            Map<Instant, SequenceBlock> out = new HashMap<>();
            starts.forEach(s -> {
                if (stored.containsKey(s)) {
                    out.put(s, stored.get(s));
                }
            });
            return Future.succeededFuture(stale ? out : Map.of());
        }

        @Override
        public Future<Void> save(UUID id, List<SequenceBlock> blocks, Instant now, Instant expiresAt) {
            blocks.forEach(b -> stored.put(b.start(), b));
            return Future.succeededFuture();
        }
    };

    private final RecordingIndex index = new RecordingIndex(vertx, source, store,
            new RecordingIndexSettings(Duration.ofSeconds(1), Duration.ofSeconds(300), Duration.ofSeconds(3), 1000),
            clock, new SimpleMeterRegistry());

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void consecutiveMissingBlocksAreReadWithOneCallAndTheStraddlerComesFromAround() throws Exception {
        RecordingRuns r = await(index.runs(cam, NOW.minus(Duration.ofHours(6)), NOW));
        assertEquals(1, beginningCalls.get(), "seven hour blocks, one SequencesGet");
        assertEquals(1, aroundCalls.get());
        assertEquals(6, r.runs().size(), "the sequence straddling the start is included");
        assertEquals(NOW.minus(Duration.ofHours(6)), r.runs().get(0).start());
        assertEquals(Duration.ofMinutes(40 + 50 * 5), r.recorded());
    }

    @Test
    void slidingNowRelativeRangesAreAnsweredFromTheBlocks() throws Exception {
        await(index.runs(cam, NOW.minus(Duration.ofHours(24)), NOW));
        int calls = beginningCalls.get();
        for (int i = 1; i <= 2; i++) {
            clock.advance(Duration.ofSeconds(1));
            await(index.runs(cam, clock.instant().minus(Duration.ofHours(24)), clock.instant()));
        }
        assertEquals(calls, beginningCalls.get(), "a second later, the same blocks serve");
        clock.advance(Duration.ofSeconds(4));
        await(index.runs(cam, clock.instant().minus(Duration.ofHours(24)), clock.instant()));
        assertEquals(calls + 1, beginningCalls.get(), "only the live block is read again");
    }

    @Test
    void concurrentIdenticalLoadsReachXProtectOnce() throws Exception {
        gate = Promise.promise();
        List<Future<RecordingRuns>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(index.runs(cam, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1))));
        }
        gate.complete();
        for (Future<RecordingRuns> f : all) {
            assertEquals(Duration.ofMinutes(100), await(f).recorded());
        }
        assertEquals(1, beginningCalls.get());
    }

    @Test
    void anOutageServesStoredBlocksAndFailsForOthers() throws Exception {
        await(index.runs(cam, NOW.minus(Duration.ofHours(5)), NOW.minus(Duration.ofHours(2))));
        assertTrue(stored.size() >= 3, "sealed blocks were stored");
        // A new instance, nothing in memory, while XProtect is down.
        RecordingIndex fresh = new RecordingIndex(vertx, source, store,
                new RecordingIndexSettings(Duration.ofSeconds(1), Duration.ofSeconds(300), Duration.ofSeconds(3), 1000),
                clock, new SimpleMeterRegistry());
        down = true;
        assertEquals(Duration.ofMinutes(150), await(fresh.runs(cam, NOW.minus(Duration.ofHours(5)),
                NOW.minus(Duration.ofHours(2)))).recorded(), "a restarted instance answers from stored blocks");
        try {
            await(fresh.runs(cam, NOW.minus(Duration.ofHours(9)), NOW.minus(Duration.ofHours(8))));
            throw new AssertionError("expected the outage");
        } catch (ExecutionException e) {
            assertInstanceOf(XProtectUnavailableException.class, e.getCause());
        }
    }
}
