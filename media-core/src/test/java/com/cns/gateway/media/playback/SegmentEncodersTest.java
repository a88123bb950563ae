package com.cns.gateway.media.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cns.gateway.media.cache.ProductionPriority;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Transcodes in their productions' turn on one worker; remuxes beside them. Real Vert.x workers. */
class SegmentEncodersTest {
    private static final SegmentEncoder TRANSCODE = new SegmentEncoder() {
        @Override
        public byte[] encode(List<FrameSource.Frame> frames, long endMs) {
            return new byte[0];
        }

        @Override
        public boolean transcodes() {
            return true;
        }
    };
    private static final SegmentEncoder REMUX = (frames, endMs) -> new byte[0];

    private final Vertx vertx = Vertx.vertx();
    private final WorkerExecutor transcoders = vertx.createSharedWorkerExecutor("test-transcoders", 1);
    private final WorkerExecutor remuxers = vertx.createSharedWorkerExecutor("test-remuxers", 1);
    private final SegmentEncoders encoders = new SegmentEncoders(remuxers, transcoders, 1, 48);
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A transcode that records its turn; the first one holds the worker until {@link #release}. */
    private Future<String> transcode(String name, ProductionPriority priority) {
        return encoders.run(TRANSCODE, name, priority, () -> {
            ran.add(name);
            if (name.equals("running")) {
                release.await(10, TimeUnit.SECONDS);
            }
            return name;
        });
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void untilRunning() throws InterruptedException {
        for (int i = 0; i < 500 && ran.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(List.of("running"), ran);
    }

    @Test
    void aNewViewersFirstWindowIsTranscodedBeforePrefetchQueuedEarlier() throws Exception {
        transcode("running", ProductionPriority.BACKGROUND);
        untilRunning();
        transcode("prefetch 1", ProductionPriority.BACKGROUND);
        transcode("asked for", ProductionPriority.WAITED_FOR);
        Future<String> last = transcode("prefetch 2", ProductionPriority.BACKGROUND);
        transcode("first window", ProductionPriority.FIRST);
        assertEquals(4, encoders.transcodesWaiting());
        release.countDown();
        await(last);
        assertEquals(List.of("running", "first window", "asked for", "prefetch 1", "prefetch 2"), ran);
    }

    @Test
    void aRemuxRunsWhileEveryTranscodeWorkerIsBusy() throws Exception {
        transcode("running", ProductionPriority.BACKGROUND);
        untilRunning();
        assertEquals("remux", await(encoders.run(REMUX, "remux", ProductionPriority.BACKGROUND, () -> "remux")));
        assertEquals(List.of("running"), ran, "the transcode still holds its worker");
    }

    @Test
    void aPrefetchAViewerCameToWaitForTakesTheViewersTurnQueuedOrNotYet() throws Exception {
        transcode("running", ProductionPriority.BACKGROUND);
        untilRunning();
        Future<String> last = transcode("prefetch", ProductionPriority.BACKGROUND);
        transcode("prefetch asked for while queued", ProductionPriority.BACKGROUND);
        encoders.promote("prefetch asked for while queued", ProductionPriority.WAITED_FOR);
        // Asked for while its frames were still read: it was produced as prefetch, and queues now.
        encoders.promote("prefetch asked for while read", ProductionPriority.WAITED_FOR);
        transcode("prefetch asked for while read", ProductionPriority.BACKGROUND);
        release.countDown();
        await(last);
        assertEquals(List.of("running", "prefetch asked for while queued", "prefetch asked for while read", "prefetch"),
                ran);
    }
}
