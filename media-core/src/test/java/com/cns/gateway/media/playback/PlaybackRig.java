package com.cns.gateway.media.playback;

import com.cns.gateway.config.PlaybackSettings;
import com.cns.gateway.media.cache.SegmentCache;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import com.cns.gateway.transcoder.transcode.PictureTranscoder;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The media core's playback built from its real parts over a {@link FakeRecording}, at a fixed time. */
final class PlaybackRig implements AutoCloseable {
    /** A grid line: 2023-11-14T22:13:20Z. */
    static final long T0 = 1_700_000_000_000L;
    static final long GRID = 4000;
    static final CameraAddress CAMERA = new CameraAddress(UUID.fromString("00000000-0000-0000-0000-000000000001"),
            "device-1", URI.create("http://127.0.0.1:7563/"));

    final Vertx vertx = Vertx.vertx();
    final WorkerExecutor workers = vertx.createSharedWorkerExecutor("cns-test-encoders", 2);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FakeRecording recording;
    final FakeRecording.TimesEncoder encoder = new FakeRecording.TimesEncoder();
    final KeyframeIndex keyframes = new KeyframeIndex(10_000);
    final PlaybackSettings settings;
    final Clock clock;
    final SegmentProducer producer;
    final KeyframeProducer keyframeProducer;
    final PlaybackService playback;

    PlaybackRig(FakeRecording recording, long nowMs) {
        this(recording, nowMs, 16);
    }

    /** As above, with at most {@code maxProductions} segments produced at once. */
    PlaybackRig(FakeRecording recording, long nowMs, int maxProductions) {
        this.recording = recording;
        this.clock = Clock.fixed(Instant.ofEpochMilli(nowMs), ZoneOffset.UTC);
        this.settings = new PlaybackSettings(Duration.ofMillis(GRID), Duration.ofSeconds(10), Duration.ofHours(1),
                Duration.ofSeconds(30), 64L << 20, maxProductions, 3, 8, Duration.ofSeconds(5), 1, 2, 2);
        // Frames of H.264 go to the encoder that tells which frames a segment holds (smooth ones as
        // transcodes, in their turn); other codecs are refused.
        SegmentEncoder transcodedTimes = new SegmentEncoder() {
            @Override
            public byte[] encode(List<FrameSource.Frame> frames, long endMs) {
                return encoder.encode(frames, endMs);
            }

            @Override
            public boolean transcodes() {
                return true;
            }
        };
        EncoderChoice times = (r, c) -> c != FrameSource.Codec.H264 || r.mode() == Rendition.Mode.KEYFRAMES
                ? EncoderChoice.standard(PictureTranscoder.Settings.DEFAULT).encoder(r, c)
                : r.mode() == Rendition.Mode.REMUX ? encoder : transcodedTimes;
        SegmentEncoders encoders = SegmentEncoders.on(workers, 2);
        this.producer = new SegmentProducer(recording, times, encoders, 1000, SealingRule.of(settings.seal()), clock);
        this.keyframeProducer = new KeyframeProducer(recording, recording, times, encoders,
                SealingRule.of(settings.seal()), settings.maxWindow(), clock);
        this.playback = new PlaybackService(vertx, producer, keyframeProducer, encoders,
                new SegmentWindowPlanner(recording, recording, recording, settings, clock, registry),
                new SegmentCache(settings.cacheBytes(), settings.maxProductions(), Ticker.systemTicker(), registry),
                keyframes, settings, clock, registry);
    }

    /** Waits for a future made on or off a Vert.x context. */
    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        workers.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
