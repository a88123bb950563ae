package com.cns.gateway.media.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.media.SimulatedRecorders;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.transcoder.sei.RecordingTimeSei;
import com.cns.xprotect.simulator.CameraProfile;
import com.cns.xprotect.simulator.SimulatorOptions;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's 1920×1080 profile (for the speed benchmark's HD rows) as the gateway reads it over
 * ImageServer: a second of frames is 25 H.264 High pictures of 1920×1080 at about 4 Mb/s, each with
 * its recording time in the SEI.
 */
class HdProfileSimulatorTest {
    private static SimulatedRecorders recorders;

    @BeforeAll
    static void start() throws Exception {
        recorders = new SimulatedRecorders(false, SimulatorOptions.defaults().withHdCameras(3));
    }

    @AfterAll
    static void stop() throws Exception {
        recorders.close();
    }

    @Test
    void aSecondOfAnHdCameraIsTwentyFiveFullHdPicturesAtAboutFourMegabits() throws Exception {
        CameraAddress cam = recorders.camera(CameraProfile.HD_1080);
        long begin = recorders.span(cam, 20_000).begin().toEpochMilli();
        FrameSource.Walk w = SimulatedRecorders.await(new RecorderFrames(recorders.pool).walk(cam, begin + 3000,
                begin + 4000, 1000));
        assertEquals(25, w.frames().size());
        assertEquals(begin + 4000, w.stopMs());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (FrameSource.Frame f : w.frames()) {
            assertEquals(FrameSource.Codec.H264, f.codec());
            assertEquals(OptionalLong.of(f.timeMs()), RecordingTimeSei.read(f.data()), "the SEI holds the frame's time");
            all.writeBytes(f.data());
        }
        assertTrue(w.frames().get(0).keyframe());
        double mbps = all.size() * 8 / 1e6;
        assertTrue(mbps > 2.5 && mbps < 6, mbps + " Mb in one second");
        Path file = Files.createTempFile("hd", ".h264");
        try {
            Files.write(file, all.toByteArray());
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,profile,width,height",
                    "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            assertEquals(0, p.waitFor(), out);
            assertEquals("h264,High,1920,1080", out);
        } finally {
            Files.delete(file);
        }
    }
}
