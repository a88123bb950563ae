package com.cns.gateway.media.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cns.gateway.media.SimulatedRecorders;
import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.media.hls.Speed;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.xprotect.simulator.CameraProfile;
import io.vertx.core.WorkerExecutor;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SegmentProducer over the simulator's ImageServer: a window read in pieces on several connections
 * holds exactly the frames, in decode order, that one walk from its first keyframe reads, for every
 * H.264 profile (B-frames, which come out of time order, through the GOP-per-connection path).
 */
class SegmentProducerSimulatorTest {
    private static SimulatedRecorders recorders;
    private static WorkerExecutor workers;
    private static RecorderFrames frames;
    private static SegmentProducer producer;

    /** Each frame as its recording time and decode position: 8 bytes of time per frame. */
    private static final SegmentEncoder TIMES = (fs, endMs) -> {
        ByteBuffer b = ByteBuffer.allocate(fs.size() * 8);
        fs.forEach(f -> b.putLong(f.timeMs()));
        return b.array();
    };

    @BeforeAll
    static void start() throws Exception {
        recorders = new SimulatedRecorders(false);
        workers = recorders.vertx.createSharedWorkerExecutor("cns-test-encoders", 2);
        frames = new RecorderFrames(recorders.pool);
        producer = new SegmentProducer(frames, (r, c) -> TIMES, SegmentEncoders.on(workers, 2), 1000,
                SealingRule.of(Duration.ofSeconds(30)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        workers.close();
        recorders.close();
    }

    @ParameterizedTest
    @EnumSource(value = CameraProfile.class, names = {"FIXED_GOP", "VARIABLE_GOP", "FPS5", "JITTER_DROPS", "BFRAMES",
        "KEYFRAMES_ONLY"})
    void aWindowHoldsWhatOneWalkFromItsFirstKeyframeReads(CameraProfile profile) throws Exception {
        CameraAddress cam = recorders.camera(profile);
        long begin = recorders.span(cam, 60_000).begin().toEpochMilli();
        // Windows of 2, 4 and 8 s (0.5x, 1x, 2x): pieces of 400 and 500 ms and 1 s, whose starts fall on
        // every phase of a GOP. The second time, B-frame cameras are known to need GOP walks.
        List<Rendition> renditions = List.of(new Rendition(Speed.HALF, Rendition.Mode.SMOOTH), Rendition.NORMAL,
                new Rendition(Speed.DOUBLE, Rendition.Mode.SMOOTH), Rendition.NORMAL);
        for (Rendition r : renditions) {
            long length = r.windowMs(4000);
            for (long start = Math.floorDiv(begin, length) * length + 8000; start < begin + 40_000; start += length) {
                long end = start + length;
                long k0 = SimulatedRecorders.await(frames.firstKeyframeAtOrAfter(cam, start)).orElseThrow();
                List<Long> want = new ArrayList<>();
                if (k0 < end) {
                    SimulatedRecorders.await(frames.walk(cam, k0, end, 1000)).frames()
                            .forEach(f -> want.add(f.timeMs()));
                }
                List<Long> got = new ArrayList<>();
                SimulatedRecorders.await(producer.produce(cam, SegmentName.window(r, start, 4000)))
                        .map(Segment::view).ifPresent(b -> {
                            while (b.remaining() >= 8) {
                                got.add(b.getLong());
                            }
                        });
                assertEquals(want, got, profile + " window at " + (start - begin) + " ms of the run");
            }
        }
    }
}
