package com.cns.gateway.milestone.imageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.config.ConfigLoader;
import com.cns.gateway.testsupport.TestClock;
import com.cns.gateway.milestone.XProtectClient;
import com.cns.gateway.milestone.XpCamera;
import com.cns.xprotect.simulator.RecordedSpan;
import com.cns.xprotect.simulator.SimulatorOptions;
import com.cns.xprotect.simulator.XProtectSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's ImageServer, on the recorder's SOAP port, read with the gateway's codec: frames
 * exist only inside recorded sequences, 40 ms apart, an IDR every 25 with the SYNC flag, each with its
 * recording time in an SEI.
 */
class ImageServerSimulatorTest {
    private final Vertx vertx = Vertx.vertx();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-25T12:00:00Z"));
    private XProtectSimulator sim;
    private XProtectClient client;
    private Socket socket;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new ImageResponseDecoder());
    private int requestId;

    @BeforeEach
    void start() throws Exception {
        sim = new XProtectSimulator(vertx, SimulatorOptions.defaults(), clock);
        String base = await(sim.start());
        client = new XProtectClient(vertx, ConfigLoader.load(Map.of("MILESTONE_BASE_URL", base, "MILESTONE_USERNAME",
                "admin", "MILESTONE_PASSWORD", "admin")).milestone(), URI.create(base), new SimpleMeterRegistry(), clock);
    }

    @AfterEach
    void stop() throws Exception {
        if (socket != null) {
            socket.close();
        }
        decoder.finishAndReleaseAll();
        client.close();
        await(sim.stop());
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Object call(ImageServerRequest req) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write((req.toXml() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[65536];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Object msg = decoder.readInbound();
            if (msg != null) {
                return msg;
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("connection closed");
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
        }
        throw new AssertionError("no answer");
    }

    /** The recording time in the frame's CNS SEI (NAL type 6, payload 5), emulation prevention removed. */
    private static long seiTime(ByteBuf annexB) {
        for (int i = annexB.readerIndex(); i + 5 < annexB.writerIndex(); i++) {
            if (annexB.getInt(i) == 1 && (annexB.getByte(i + 4) & 0x1f) == 6 && annexB.getByte(i + 5) == 5) {
                java.io.ByteArrayOutputStream rbsp = new java.io.ByteArrayOutputStream();
                int zeros = 0;
                for (int k = i + 5; k < annexB.writerIndex() && rbsp.size() < 2 + 16 + 8; k++) {
                    int b = annexB.getUnsignedByte(k);
                    if (zeros >= 2 && b == 3) {
                        zeros = 0;
                        continue;
                    }
                    rbsp.write(b);
                    zeros = b == 0 ? zeros + 1 : 0;
                }
                byte[] r = rbsp.toByteArray();
                return java.nio.ByteBuffer.wrap(r, 2 + 16, 8).getLong();
            }
        }
        return -1;
    }

    @Test
    void connectGotoNextAndPreviousWalkTheRecordedFrames() throws Exception {
        XpCamera cam = await(client.cameras().cameras()).stream()
                .filter(c -> sim.site().camera(c.id()).recordingEnabled()).findFirst().orElseThrow();
        String token = await(client.vmsTokens().token()).value();
        URI rs = cam.recordingServer().effectiveUri();
        socket = new Socket(rs.getHost(), rs.getPort());

        ImageServerXmlResponse refused = (ImageServerXmlResponse) call(ImageServerRequest.of(requestId++, "connect")
                .param("connectparam", "id=" + cam.id() + "&connectiontoken=TOKEN#bad#"));
        assertFalse(refused.connected());
        ImageServerXmlResponse ok = (ImageServerXmlResponse) call(ImageServerRequest.of(requestId++, "connect")
                .param("alwaysstdjpeg", "no").param("connectparam", "id=" + cam.id() + "&connectiontoken=" + token));
        assertTrue(ok.connected(), ok.xml());

        RecordedSpan span = sim.history().spans(cam.id(), clock.instant().minus(Duration.ofDays(3)),
                clock.instant().minus(Duration.ofDays(2))).stream()
                .filter(s -> Duration.between(s.begin(), s.end()).toSeconds() > 5).findFirst().orElseThrow();
        long t = span.begin().toEpochMilli() + 1010;
        java.io.ByteArrayOutputStream annexB = new java.io.ByteArrayOutputStream();
        ImageResponse first = (ImageResponse) call(ImageServerRequest.goTo(requestId++, t, false));
        try {
            GenericByteData.parse(first.body()).payload().getBytes(0, annexB, first.body().readableBytes() - 32);
            assertEquals(span.begin().toEpochMilli() + 1000, first.current(), "the frame at or before the time");
            GenericByteData g = GenericByteData.parse(first.body());
            assertTrue(g.keyframe(), "frame 25 of a sequence is an IDR");
            assertEquals(GenericByteData.CODEC_H264, g.codec());
            assertEquals(first.current(), g.pictureTimestamp());
            assertEquals(first.current(), seiTime(g.payload()), "the SEI carries the recording time");
            assertEquals(first.current() + 40, first.next());
            assertEquals(first.current() - 40, first.prev());
        } finally {
            first.release();
        }
        long previous = t - 10;
        for (int i = 1; i <= 30; i++) {
            ImageResponse r = (ImageResponse) call(ImageServerRequest.of(requestId++, "next"));
            try {
                assertEquals(previous + 40, r.current());
                GenericByteData g = GenericByteData.parse(r.body());
                assertEquals(i % 25 == 0, g.keyframe(), "frame " + i);
                assertEquals(r.current() - (i % 25) * 40L, g.syncTimestamp(), "TimeStampSync is the GOP's IDR");
                assertEquals(r.current(), seiTime(g.payload()));
                g.payload().getBytes(g.payload().readerIndex(), annexB, g.payload().readableBytes());
                previous = r.current();
            } finally {
                r.release();
            }
        }
        assertDecodable(annexB.toByteArray(), 31);

        ImageResponse back = (ImageResponse) call(ImageServerRequest.of(requestId++, "previous"));
        assertEquals(previous - 40, back.current());
        back.release();

        ImageResponse key = (ImageResponse) call(ImageServerRequest.goTo(requestId++, t + 600, true));
        assertEquals(span.begin().toEpochMilli() + 1000, key.current(), "keyframes only: the IDR at or before");
        key.release();
    }

    /** ffprobe (Debian's ffmpeg) decodes every frame, with no warning. */
    private static void assertDecodable(byte[] annexB, int frames) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("frames", ".h264");
        try {
            java.nio.file.Files.write(file, annexB);
            Process p = new ProcessBuilder("ffprobe", "-v", "warning", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=codec_name,pix_fmt,nb_read_frames", "-of", "compact=p=0:nk=1",
                    file.toString()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor());
            assertEquals("", err, "ffprobe warnings");
            assertEquals("h264|yuv420p|" + frames, out);
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void beforeAnyRecordingTheAnswerIsTheFirstFrameAndTheSoapServiceSharesThePort() throws Exception {
        XpCamera cam = await(client.cameras().cameras()).get(0);
        assertFalse(await(client.recorders().isManualRecording(cam.recordingServer().effectiveUri(), cam.id())),
                "SOAP still answers on the recorder's port");
        String token = await(client.vmsTokens().token()).value();
        URI rs = cam.recordingServer().effectiveUri();
        socket = new Socket(rs.getHost(), rs.getPort());
        call(ImageServerRequest.of(requestId++, "connect").param("connectparam", "id=" + cam.id() + "&connectiontoken="
                + token));
        ImageResponse r = (ImageResponse) call(ImageServerRequest.goTo(requestId++, 1000L, false));
        try {
            if (sim.site().camera(cam.id()).recordingEnabled()) {
                assertTrue(r.current() >= sim.history().retentionLimit(cam.id()).toEpochMilli());
            } else {
                assertTrue(r.empty(), "nothing recorded: all times 0, no body");
            }
        } finally {
            r.release();
        }
    }

    @Test
    void jpegComesOverImageServerWithAlwaysStdJpegAndOverSoapAtOrBefore() throws Exception {
        XpCamera cam = await(client.cameras().cameras()).stream()
                .filter(c -> sim.site().camera(c.id()).recordingEnabled()).findFirst().orElseThrow();
        RecordedSpan span = sim.history().spans(cam.id(), clock.instant().minus(Duration.ofDays(3)),
                clock.instant().minus(Duration.ofDays(2))).get(0);
        URI rs = cam.recordingServer().effectiveUri();
        String token = await(client.vmsTokens().token()).value();
        socket = new Socket(rs.getHost(), rs.getPort());
        ImageServerXmlResponse ok = (ImageServerXmlResponse) call(ImageServerRequest.of(requestId++, "connect")
                .param("alwaysstdjpeg", "yes").param("connectparam", "id=" + cam.id() + "&connectiontoken=" + token));
        assertTrue(ok.connected());
        ImageResponse r = (ImageResponse) call(ImageServerRequest.goTo(requestId++, span.begin().toEpochMilli() + 90, false));
        try {
            assertTrue(r.isJpeg());
            assertEquals("image/jpeg", r.contentType());
            assertEquals(span.begin().toEpochMilli() + 80, r.current());
        } finally {
            r.release();
        }

        var jpeg = await(client.recorders().jpegAtOrBefore(rs, cam.id(), span.begin().plusMillis(1234))).orElseThrow();
        assertEquals(span.begin().plusMillis(1200), jpeg.time(), "the frame at or before");
        assertEquals(0xFF, jpeg.data()[0] & 0xFF);
        assertEquals(0xD8, jpeg.data()[1] & 0xFF);
        assertTrue(await(client.recorders().jpegAtOrBefore(rs, cam.id(), Instant.parse("2000-01-01T00:00:00Z")))
                .isEmpty(), "nothing recorded before: no picture");
    }
}
