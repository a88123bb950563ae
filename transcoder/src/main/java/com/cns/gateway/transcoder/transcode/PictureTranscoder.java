package com.cns.gateway.transcoder.transcode;

import com.cns.gateway.transcoder.GStreamerRuntime;
import com.cns.gateway.transcoder.mux.AccessUnit;
import com.cns.gateway.transcoder.sei.RecordingTimeSei;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;

/**
 * PictureTranscoder decodes recorded pictures (H.264, H.265 or JPEG) and encodes the ones a list of
 * output slots asks for as H.264, each slot showing one source picture at its own presentation time:
 * repeating a picture slows it down, skipping pictures speeds it up, and slots that walk the sources
 * backward play them backward. One decoder pipeline per transcode
 * ({@code appsrc ! parse ! avdec ! videoconvert ! appsink}, one decoding thread) gets the GOPs in the
 * order the slots visit them, each on its own stretch of pipeline time so that times only grow (so
 * backward slots get the last GOP first); the transcode pulls the pictures a GOP at a time and holds
 * only the current GOP's, so memory is bounded by one GOP however long the segment. (A pipeline per
 * GOP cost about 8 ms of CPU each to build and tear down, and libav's frame threads more than
 * tripled the CPU of decoding 320×180 pictures: measured with {@code gst-launch-1.0} on the
 * simulator's clip; the gain is in {@code scripts/bench.sh speed}.) The
 * encoder ({@code appsrc ! x264enc ! appsink}, no B-frames, one IDR at the start) gets the slots'
 * pictures in order; every output access unit gets the recording-time SEI of the picture it shows,
 * and its PTS is the slot's, never the pipeline's. Blocking: call it on a worker thread.
 */
public final class PictureTranscoder {
    /** The codec of the source pictures. */
    public enum Codec { H264, H265, JPEG }

    /** A coded source picture, in decode order: its recording time, whether a GOP starts with it, its bytes. */
    public record Source(long timeMs, boolean keyframe, byte[] data) {
    }

    /** An output picture: the index of the source picture it shows and its presentation time (90 kHz). */
    public record Slot(int source, long pts90k) {
    }

    /**
     * How output is encoded: x264's speed preset, for pictures above 1280×720 ({@code largePreset})
     * and up to it, constant quality (quantizer), and whether each picture gets its recording time
     * burned in (GStreamer's {@code textoverlay}, bottom left, UTC).
     */
    public record Settings(String preset, String largePreset, int quantizer, boolean burnTime) {
        /**
         * Playback's: superfast, and ultrafast above 1280×720, where a viewer waits seconds for a
         * window. A new -1x moment of the simulator's 1920×1080 cameras (speed bench, one moment every
         * 20 s, 5 ms one-way latency) got its first segment in 2.2 to 2.5 s with superfast, 1.3 to 1.8 s
         * with ultrafast; x264enc alone on 100 of those pictures took 1.56 s wall and 2.28 s CPU
         * (superfast) against 1.07 s and 1.29 s (ultrafast), for the same size at quantizer 23 and a
         * luma PSNR 1.5 dB lower (27.5 against 25.9 dB on that test pattern).
         */
        public static final Settings DEFAULT = new Settings("superfast", "ultrafast", 23, false);
        /** Evidence (exports): superfast whatever the size; an export is not waited for frame by frame. */
        public static final Settings EVIDENCE = new Settings("superfast", "superfast", 23, false);

        /** These settings with the recording time burned into every picture. */
        public Settings withBurnedTime() {
            return new Settings(preset, largePreset, quantizer, true);
        }

        /** The speed preset for pictures of this size. */
        public String presetFor(int width, int height) {
            return (long) width * height > 1280 * 720 ? largePreset : preset;
        }
    }

    /** How a burned-in recording time reads: UTC, to the millisecond. */
    private static final java.time.format.DateTimeFormatter BURNED = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /** Pipelines alive now (a gauge: it returns to zero when no transcode runs). */
    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final long OUTPUT_FRAME_NS = TimeUnit.MILLISECONDS.toNanos(40);
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private PictureTranscoder() {
    }

    public static int livePipelines() {
        return LIVE.get();
    }

    /** Binds the live pipelines gauge ({@code gateway_transcoder_gstreamer_pipelines}). */
    public static void bindTo(MeterRegistry registry) {
        Gauge.builder("gateway_transcoder_gstreamer_pipelines", LIVE, AtomicInteger::get)
                .description("GStreamer pipelines alive now (decoders and encoders of transcodes in progress)")
                .register(registry);
    }

    /**
     * The H.264 access units of {@code slots}, in slot order. Fails with {@link TranscodeException}
     * when a pipeline cannot be built or reports an error, or a picture cannot be decoded at all.
     */
    public static List<AccessUnit> transcode(Codec codec, List<Source> sources, List<Slot> slots, Settings settings) {
        if (slots.isEmpty()) {
            return List.of();
        }
        GStreamerRuntime.Status gst = GStreamerRuntime.init(settings.burnTime()
                ? List.of("textoverlay") : GStreamerRuntime.REQUIRED_ELEMENTS);
        if (!gst.initialised()) {
            throw new TranscodeException(gst.error());
        }
        int[] gopOf = new int[sources.size()];
        List<Integer> gopStarts = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).keyframe() || gopStarts.isEmpty()) {
                gopStarts.add(i);
            }
            gopOf[i] = gopStarts.size() - 1;
        }
        // The GOPs in the order the slots visit them (a GOP left and visited again is decoded again).
        List<Integer> visits = new ArrayList<>();
        int[] visitOf = new int[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            int gop = gopOf[slots.get(i).source()];
            if (visits.isEmpty() || visits.get(visits.size() - 1) != gop) {
                visits.add(gop);
            }
            visitOf[i] = visits.size() - 1;
        }
        Encoder encoder = null;
        try (Decoder decoder = new Decoder(codec, sources, gopStarts, visits)) {
            Map<Integer, Picture> decoded = Map.of();
            int decodedVisit = -1;
            for (int i = 0; i < slots.size(); i++) {
                Slot slot = slots.get(i);
                int gop = gopOf[slot.source()];
                if (visitOf[i] != decodedVisit) {
                    decoded = decoder.next();
                    decodedVisit = visitOf[i];
                }
                Picture p = shown(decoded, sources, slot.source(), gopStarts.get(gop));
                if (encoder == null) {
                    encoder = new Encoder(p.format, settings);
                }
                encoder.push(p.i420, sources.get(slot.source()).timeMs());
            }
            List<byte[]> units = encoder.finish();
            if (units.size() != slots.size()) {
                throw new TranscodeException("x264enc gave " + units.size() + " pictures for " + slots.size());
            }
            List<AccessUnit> out = new ArrayList<>(units.size());
            for (int i = 0; i < units.size(); i++) {
                Slot s = slots.get(i);
                byte[] au = withSei(units.get(i), sources.get(s.source()).timeMs());
                out.add(new AccessUnit(au, s.pts90k(), s.pts90k(), i == 0));
            }
            return out;
        } finally {
            if (encoder != null) {
                encoder.close();
            }
        }
    }

    /** A decoded picture: its raw I420 bytes and their size. */
    private record Picture(byte[] i420, RawFormat format) {
    }

    /**
     * The decoded picture of source {@code index}, or when the decoder gave none for it (a damaged
     * picture), the nearest earlier one of its GOP.
     */
    private static Picture shown(Map<Integer, Picture> decoded, List<Source> sources, int index, int gopStart) {
        for (int i = index; i >= gopStart; i--) {
            Picture p = decoded.get(i);
            if (p != null) {
                return p;
            }
        }
        throw new TranscodeException("no picture of the GOP at " + sources.get(gopStart).timeMs() + " could be decoded");
    }

    /** Decoded pictures the decoder's sink holds at most beyond two: one second at 25 fps. */
    static final int MAX_AHEAD = 25;

    /**
     * The decoder of one transcode: every visit's GOP pushed at once (coded pictures are small), each
     * visit on its own stretch of pipeline time so that times only grow, then the pictures pulled
     * one visit at a time. The sink holds up to a GOP of pictures (at most {@link #MAX_AHEAD} + 2), so
     * the decoder decodes the next visit's GOP while the encoder takes the current one: with a sink of
     * two they took turns, and new -1x moments of 1920×1080 (speed bench, one every 20 s) got their
     * first segment in 1.9 to 2.4 s (p50 2.07 s) against 1.4 to 1.9 s (p50 1.73 s) with the GOP ahead.
     * (A GOP of 1920×1080 pictures is 78 MB of native memory.)
     */
    private static final class Decoder implements AutoCloseable {
        private final Running run;
        private final List<Map<Long, Integer>> byTime = new ArrayList<>();
        private final long spanNs;
        private int visit;
        private Sample pending;

        Decoder(Codec codec, List<Source> sources, List<Integer> gopStarts, List<Integer> visits) {
            String head = switch (codec) {
                case H264 -> "video/x-h264,stream-format=byte-stream,alignment=au ! h264parse ! avdec_h264 max-threads=1";
                case H265 -> "video/x-h265,stream-format=byte-stream,alignment=au ! h265parse ! avdec_h265 max-threads=1";
                case JPEG -> "image/jpeg ! jpegdec";
            };
            long longest = 0;
            for (int g = 0; g < gopStarts.size(); g++) {
                int from = gopStarts.get(g);
                int to = g + 1 < gopStarts.size() ? gopStarts.get(g + 1) : sources.size();
                for (int i = from; i < to; i++) {
                    longest = Math.max(longest, sources.get(i).timeMs() - sources.get(from).timeMs());
                }
            }
            spanNs = TimeUnit.MILLISECONDS.toNanos(longest + 1000);
            int ahead = 0;
            for (int gop : visits) {
                int to = gop + 1 < gopStarts.size() ? gopStarts.get(gop + 1) : sources.size();
                ahead = Math.max(ahead, Math.min(MAX_AHEAD, to - gopStarts.get(gop)));
            }
            run = new Running("appsrc name=src format=time caps=" + head
                    + " ! videoconvert ! video/x-raw,format=I420 ! appsink name=sink sync=false max-buffers="
                    + (ahead + 2));
            for (int v = 0; v < visits.size(); v++) {
                int gop = visits.get(v);
                int from = gopStarts.get(gop);
                int to = gop + 1 < gopStarts.size() ? gopStarts.get(gop + 1) : sources.size();
                long gopMs = sources.get(from).timeMs();
                Map<Long, Integer> times = new HashMap<>();
                for (int i = from; i < to; i++) {
                    Source s = sources.get(i);
                    long ns = v * spanNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, s.timeMs() - gopMs));
                    times.put(ns, i);
                    org.freedesktop.gstreamer.Buffer b = new org.freedesktop.gstreamer.Buffer(s.data().length);
                    b.map(true).put(s.data());
                    b.unmap();
                    b.setPresentationTimestamp(ns);
                    run.src.pushBuffer(b);
                }
                byTime.add(times);
            }
            run.src.endOfStream();
        }

        /**
         * The pictures of the next visit's GOP, by source index (a picture the decoder gave none for is
         * missing). They are copied out of the decoder's buffers: holding those buffers instead (to save
         * the copy) made B-frame segments show wrong pictures in PlaybackSpeedApiTest.
         */
        Map<Integer, Picture> next() {
            Map<Integer, Picture> out = new HashMap<>();
            Map<Long, Integer> times = byTime.get(visit);
            RawFormat format = null;
            while (true) {
                Sample sample = pending != null ? pending : run.pull();
                pending = null;
                if (sample == null) {
                    break;
                }
                org.freedesktop.gstreamer.Buffer b = sample.getBuffer();
                long ns = b.getPresentationTimestamp();
                if (ns / spanNs > visit) {
                    pending = sample; // the next visit's first picture
                    break;
                }
                try {
                    Integer index = times.get(ns);
                    if (index != null) {
                        if (format == null) {
                            Structure st = sample.getCaps().getStructure(0);
                            format = new RawFormat(st.getInteger("width"), st.getInteger("height"));
                        }
                        ByteBuffer data = b.map(false);
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        b.unmap();
                        out.put(index, new Picture(bytes, format));
                    }
                } finally {
                    sample.dispose();
                }
            }
            run.check();
            visit++;
            return out;
        }

        @Override
        public void close() {
            if (pending != null) {
                pending.dispose();
            }
            run.close();
        }
    }

    /** The size of decoded I420 pictures. */
    private record RawFormat(int width, int height) {
        /** The caps of these pictures as the encoder's source states them: format, size, 25 pictures a second. */
        String caps() {
            return "video/x-raw,format=I420,width=" + width + ",height=" + height
                    + ",framerate=25/1,pixel-aspect-ratio=1/1";
        }
    }

    /** Pictures up to this many pixels (640×360) are encoded on one thread. */
    static final int ONE_THREAD_PIXELS = 640 * 360;

    /**
     * x264's threads for pictures of this size: one for small pictures, x264's own choice (0) above.
     * x264's sliced threads split each small picture into slices synchronised per picture, which on
     * 320×180 costs more than it saves: a minute of smooth 2x in 4 s windows took 1.26 to 1.33 s of
     * CPU with one thread against 1.42 to 1.48 s with x264's choice, and less wall time (0.90 to
     * 1.00 s against 1.00 to 1.18 s), measured in a loop of {@link #transcode} on this machine's two
     * cores after ten passes; segments are encoded side by side on the worker pool anyway. On
     * 1920×1080 the CPU was the same and one thread took 20 % more wall time (3.8 s against 3.1 s for
     * 16 s), which a viewer waits for, so large pictures keep x264's threads.
     */
    static int encoderThreads(int width, int height) {
        return (long) width * height <= ONE_THREAD_PIXELS ? 1 : 0;
    }

    /** The x264 encoder of one transcode: raw pictures in, H.264 access units out after EOS. */
    private static final class Encoder implements AutoCloseable {
        private final Running run;
        private long next;

        private final AppSrc text;

        Encoder(RawFormat format, Settings settings) {
            // Burned-in time: a text stream beside the pictures, one buffer per picture at its time, so the
            // overlay shows each picture's own recording time (a property set per picture would race the pipeline).
            // The font scales with the picture, so the time takes about half its width, whatever its size.
            int width = format.width();
            int height = format.height();
            String overlay = settings.burnTime() ? " ! textoverlay name=overlay valignment=bottom halignment=left"
                    + " xpad=" + Math.max(2, width / 80) + " ypad=" + Math.max(2, width / 80)
                    + " shaded-background=true auto-resize=false font-desc=\"Monospace " + Math.max(4, width / 48) + "\""
                    + " wait-text=true"
                    + " ! videoconvert ! video/x-raw,format=I420" : "";
            run = new Running("appsrc name=src format=time block=true max-bytes=" + 4 * 1920 * 1080 * 3 / 2
                    + " caps=" + format.caps() + overlay + " ! x264enc threads=" + encoderThreads(width, height) + " tune=zerolatency speed-preset="
                    + settings.presetFor(width, height)
                    + " pass=qual quantizer=" + settings.quantizer() + " bframes=0 key-int-max=100000 aud=true"
                    + " byte-stream=true option-string=scenecut=0"
                    + " ! video/x-h264,stream-format=byte-stream,alignment=au ! appsink name=sink sync=false"
                    + (settings.burnTime() ? " appsrc name=text format=time caps=text/x-raw,format=utf8 ! overlay.text_sink"
                            : ""));
            text = settings.burnTime() ? (AppSrc) run.pipeline.getElementByName("text") : null;
        }

        void push(byte[] i420, long recordingTimeMs) {
            if (text != null) {
                byte[] label = BURNED.format(java.time.Instant.ofEpochMilli(recordingTimeMs))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                org.freedesktop.gstreamer.Buffer t = new org.freedesktop.gstreamer.Buffer(label.length);
                t.map(true).put(label);
                t.unmap();
                t.setPresentationTimestamp(next * OUTPUT_FRAME_NS);
                t.setDuration(OUTPUT_FRAME_NS);
                text.pushBuffer(t);
            }
            org.freedesktop.gstreamer.Buffer b = new org.freedesktop.gstreamer.Buffer(i420.length);
            b.map(true).put(i420);
            b.unmap();
            b.setPresentationTimestamp(next * OUTPUT_FRAME_NS);
            b.setDuration(OUTPUT_FRAME_NS);
            next++;
            run.src.pushBuffer(b);
        }

        List<byte[]> finish() {
            if (text != null) {
                text.endOfStream();
            }
            run.src.endOfStream();
            List<byte[]> out = new ArrayList<>();
            for (Sample sample = run.pull(); sample != null; sample = run.pull()) {
                try {
                    org.freedesktop.gstreamer.Buffer b = sample.getBuffer();
                    ByteBuffer data = b.map(false);
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    b.unmap();
                    out.add(bytes);
                } finally {
                    sample.dispose();
                }
            }
            run.check();
            return out;
        }

        @Override
        public void close() {
            if (text != null) {
                text.dispose();
            }
            run.close();
        }
    }

    /** A playing pipeline with an appsrc named src and an appsink named sink, and its first bus error. */
    private static final class Running implements AutoCloseable {
        final Pipeline pipeline;
        final AppSrc src;
        final AppSink sink;
        final AtomicReference<String> error = new AtomicReference<>();
        private final Bus.ERROR onError = (source, code, message) -> error.compareAndSet(null,
                source.getName() + ": " + message);

        Running(String description) {
            pipeline = GStreamerRuntime.launch(description);
            LIVE.incrementAndGet();
            src = (AppSrc) pipeline.getElementByName("src");
            sink = (AppSink) pipeline.getElementByName("sink");
            pipeline.getBus().connect(onError);
            pipeline.play();
        }

        /** The next sample, or null at the end of the stream or on an error. */
        Sample pull() {
            if (error.get() != null) {
                return null;
            }
            return sink.isEOS() ? null : sink.pullSample();
        }

        void check() {
            if (error.get() != null) {
                throw new TranscodeException(error.get());
            }
        }

        @Override
        public void close() {
            pipeline.getBus().disconnect(onError);
            pipeline.stop();
            src.dispose();
            sink.dispose();
            pipeline.dispose();
            LIVE.decrementAndGet();
        }
    }

    /**
     * The access unit with the recording-time SEI before its first slice (after the delimiter and
     * parameter sets, as H.264 §7.4.1.2.3 orders them).
     */
    static byte[] withSei(byte[] au, long recordingTimeMs) {
        for (int i = 0; i + 3 < au.length; i++) {
            if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
                int type = au[i + 3] & 0x1f;
                if (type == 1 || type == 5) {
                    int at = i > 0 && au[i - 1] == 0 ? i - 1 : i;
                    ByteArrayOutputStream out = new ByteArrayOutputStream(au.length + 40);
                    out.write(au, 0, at);
                    out.writeBytes(new byte[] {0, 0, 0, 1});
                    out.writeBytes(RecordingTimeSei.nal(recordingTimeMs));
                    out.write(au, at, au.length - at);
                    return out.toByteArray();
                }
            }
        }
        throw new TranscodeException("x264enc gave an access unit with no slice");
    }
}
