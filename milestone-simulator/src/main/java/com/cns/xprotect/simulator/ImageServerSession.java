package com.cns.xprotect.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * ImageServerSession is one ImageServer TCP connection to a recording server: XML method calls ended
 * by CR LF CR LF ({@code connect} with the VMS token, {@code connectupdate}, {@code goto},
 * {@code next}, {@code previous}, {@code stop}), answered with {@code <methodresponse>} XML or
 * {@code ImageResponse} frames whose bodies are GenericByteData (32-byte header, Annex-B H.264 with
 * the frame's recording time in an SEI), or standard JPEG when connected with {@code alwaysstdjpeg}.
 * At the end of data {@code Next} equals {@code Current}; with
 * nothing recorded, all times are 0 and the body is empty.
 */
final class ImageServerSession {
    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    private final Vertx vertx;
    private final NetSocket socket;
    private final SimulatedSite site;
    private final SimulatedSite.Recorder recorder;
    private final TokenRegistry tokens;
    private final RecordedFrames frames;
    private final VideoClip clip;
    private final long frameServiceMs;
    private final long oneWayLatencyMs;
    private final ImageServerFaults faults;
    private Buffer pending = Buffer.buffer();
    private String camera;
    private boolean jpeg;
    private RecordedFrames.Frame cursor;
    private int sequence;

    ImageServerSession(Vertx vertx, NetSocket socket, SimulatedSite site, SimulatedSite.Recorder recorder,
                       TokenRegistry tokens, RecordedFrames frames, VideoClip clip, long frameServiceMs,
                       long oneWayLatencyMs, ImageServerFaults faults) {
        this.faults = faults;
        this.vertx = vertx;
        this.socket = socket;
        this.site = site;
        this.recorder = recorder;
        this.tokens = tokens;
        this.frames = frames;
        this.clip = clip;
        this.frameServiceMs = frameServiceMs;
        this.oneWayLatencyMs = oneWayLatencyMs;
    }

    void feed(Buffer data) {
        pending.appendBuffer(data);
        while (true) {
            int end = indexOf(pending);
            if (end < 0) {
                if (pending.length() > 1 << 20) {
                    socket.close();
                }
                return;
            }
            String xml = pending.getString(0, end, StandardCharsets.UTF_8.name());
            pending = pending.getBuffer(end + 4, pending.length());
            handle(xml);
        }
    }

    private static int indexOf(Buffer b) {
        for (int i = 0; i + 3 < b.length(); i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r' && b.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void handle(String xml) {
        if (faults.down()) {
            socket.close();
            return;
        }
        Map<String, String> f = flatFields(xml);
        if (f == null) {
            Element call = SoapMessages.root(xml.getBytes(StandardCharsets.UTF_8));
            if (call == null) {
                socket.close();
                return;
            }
            f = new HashMap<>();
            for (Node n = call.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    f.put(e.getTagName().toLowerCase(), e.getTextContent().trim());
                }
            }
        }
        String id = f.getOrDefault("requestid", "0");
        String method = f.getOrDefault("methodname", "");
        switch (method) {
            case "connect", "connectupdate" -> connect(id, method, f);
            case "stop" -> respond(id, method, "");
            case "goto", "next", "previous" -> {
                if (camera == null) {
                    respond(id, method, "<errorreason>Not connected</errorreason>");
                    return;
                }
                boolean keyframes = "yes".equalsIgnoreCase(f.get("keyframesonly"));
                if (method.equals("goto")) {
                    long t = parse(f.get("time"));
                    cursor = keyframes ? frames.keyframeAtOrBefore(camera, t) : frames.atOrBefore(camera, t);
                    if (cursor == null) {
                        cursor = frames.atOrAfter(camera, t);
                    }
                } else if (cursor != null) {
                    boolean forward = method.equals("next");
                    RecordedFrames.Frame moved = keyframes
                            ? (forward ? frames.keyframeAfter(camera, cursor) : frames.keyframeBefore(camera, cursor))
                            : (forward ? frames.after(camera, cursor) : frames.before(camera, cursor));
                    cursor = moved == null ? cursor : moved;
                }
                sendFrame(id);
            }
            default -> respond(id, method, "<errorreason>Unknown method</errorreason>");
        }
    }

    private void connect(String id, String method, Map<String, String> f) {
        Map<String, String> p = new HashMap<>();
        for (String kv : f.getOrDefault("connectparam", "").split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                p.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        String cam = p.getOrDefault("id", f.getOrDefault("cameraid", "")).toLowerCase();
        SimulatedSite.Camera c = site.camera(cam);
        if (!tokens.validVmsToken(p.get("connectiontoken"))) {
            respond(id, method, "<connected>no</connected><errorreason>Token invalid</errorreason>");
        } else if (c == null || site.recorderOf(c) != recorder) {
            respond(id, method, "<connected>no</connected><errorreason>Unknown camera</errorreason>");
        } else if (clip == null) {
            respond(id, method, "<connected>no</connected><errorreason>No video (GStreamer missing)</errorreason>");
        } else {
            camera = cam;
            if (method.equals("connect")) {
                jpeg = "yes".equalsIgnoreCase(f.get("alwaysstdjpeg"));
            }
            respond(id, method, "<connected>yes</connected><errorreason></errorreason>");
        }
    }

    private void respond(String id, String method, String fields) {
        send(Buffer.buffer("<?xml version=\"1.0\" encoding=\"utf-8\"?><methodresponse><requestid>" + id
                + "</requestid><methodname>" + method + "</methodname>" + fields + "</methodresponse>")
                .appendBytes(END), 0);
    }

    /**
     * Writes an answer after the round trip of a LAN (the request's and the answer's one-way
     * latency) plus the recorder's service time, as a real recorder's answer would arrive.
     */
    private void send(Buffer out, long serviceMs) {
        long delay = 2 * oneWayLatencyMs + serviceMs;
        if (delay > 0) {
            vertx.setTimer(delay, t -> socket.write(out));
        } else {
            socket.write(out);
        }
    }

    private void sendFrame(String id) {
        Buffer out;
        if (cursor == null) {
            out = Buffer.buffer("ImageResponse\r\nRequestId: " + id + "\r\nPrev: 0\r\nCurrent: 0\r\nNext: 0\r\n"
                    + "Content-type: application/x-genericbytedata-octet-stream\r\nContent-length: 0\r\n\r\n")
                    .appendBytes(END);
        } else {
            RecordedFrames.Frame prev = frames.before(camera, cursor);
            RecordedFrames.Frame next = frames.after(camera, cursor);
            CameraProfile profile = frames.profile(camera);
            long unit = frames.unitIndex(profile, cursor);
            boolean sendJpeg = jpeg || profile.codec == CameraProfile.Codec.JPEG;
            byte[] body = sendJpeg ? clip.jpeg(unit) : genericByteData(cursor, profile, unit);
            out = Buffer.buffer("ImageResponse\r\nRequestId: " + id + "\r\nPrev: "
                    + (prev == null ? cursor.timeMs() : prev.timeMs()) + "\r\nCurrent: " + cursor.timeMs() + "\r\nNext: "
                    + (next == null ? cursor.timeMs() : next.timeMs()) + "\r\nContent-type: "
                    + (sendJpeg ? "image/jpeg" : "application/x-genericbytedata-octet-stream") + "\r\nContent-length: "
                    + body.length + "\r\n\r\n").appendBytes(body).appendBytes(END);
        }
        send(out, frameServiceMs);
    }

    /** The frame as GenericByteData: header, then Annex-B NALs with the SEI time before the first slice. */
    private byte[] genericByteData(RecordedFrames.Frame f, CameraProfile profile, long unit) {
        boolean hevc = profile.codec == CameraProfile.Codec.H265;
        VideoClip.Track track = switch (profile) {
            case H265 -> clip.h265();
            case BFRAMES -> clip.h264BFrames();
            case HD_1080 -> clip.h264Hd();
            case VARIABLE_GOP, FPS5 -> clip.h264LongGop();
            default -> clip.h264();
        };
        VideoClip.AccessUnit au = track.unit(unit);
        ByteBuffer payload = ByteBuffer.allocate(16 + au.nals().stream().mapToInt(n -> n.length + 4).sum() + 40);
        boolean seiWritten = false;
        for (byte[] nal : au.nals()) {
            boolean slice = hevc ? ((nal[0] >> 1) & 0x3f) < 32 : (nal[0] & 0x1f) == 1 || (nal[0] & 0x1f) == 5;
            if (!seiWritten && slice) {
                payload.putInt(1).put(hevc ? SeiTimestamp.hevcNal(f.timeMs()) : SeiTimestamp.nal(f.timeMs()));
                seiWritten = true;
            }
            payload.putInt(1).put(nal);
        }
        int len = payload.position();
        ByteBuffer out = ByteBuffer.allocate(32 + len);
        // A broken frame claims more bytes than it has, as a damaged recording would.
        out.putShort((short) 0x0010).putInt(faults.broken(camera, f.timeMs()) ? 32 + len + 1000 : 32 + len).putShort((short) (hevc ? 0x000E : 0x000A))
                .putShort((short) (sequence++ & 0xffff)).putShort((short) (f.keyframe() ? 1 : 0))
                .putLong(f.gopStartMs()).putLong(f.timeMs()).putInt(0).put(payload.array(), 0, len);
        return out.array();
    }

    /**
     * The fields of a flat method call ({@code <?xml ...?><methodcall><name>text</name>...</methodcall>},
     * every text plain: no attribute, entity, comment or CDATA), as clients send them once per frame;
     * null for anything else, which the XML parser then reads. A DOM parse per {@code next} cost the
     * simulator about half a core under the burst benchmark, on the cores the gateway measured uses.
     */
    static Map<String, String> flatFields(String xml) {
        int i = 0;
        if (xml.startsWith("<?xml")) {
            i = xml.indexOf("?>");
            if (i < 0) {
                return null;
            }
            i += 2;
        }
        i = skipSpace(xml, i);
        if (!xml.startsWith("<methodcall>", i)) {
            return null;
        }
        i += "<methodcall>".length();
        Map<String, String> out = new HashMap<>();
        while (true) {
            i = skipSpace(xml, i);
            if (xml.startsWith("</methodcall>", i)) {
                return skipSpace(xml, i + "</methodcall>".length()) == xml.length() ? out : null;
            }
            if (i >= xml.length() || xml.charAt(i) != '<') {
                return null;
            }
            int close = xml.indexOf('>', i);
            if (close < 0) {
                return null;
            }
            String name = xml.substring(i + 1, close);
            if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                return null; // an attribute, a closing tag, a comment, a processing instruction
            }
            String end = "</" + name + ">";
            int endAt = xml.indexOf(end, close + 1);
            if (endAt < 0) {
                return null;
            }
            String text = xml.substring(close + 1, endAt);
            if (text.indexOf('<') >= 0 || text.indexOf('&') >= 0) {
                return null; // nested elements, entities, CDATA
            }
            out.put(name.toLowerCase(java.util.Locale.ROOT), text.trim());
            i = endAt + end.length();
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static long parse(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }
}
