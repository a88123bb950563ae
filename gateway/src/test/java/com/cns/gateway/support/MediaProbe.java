package com.cns.gateway.support;

import com.cns.gateway.transcoder.mux.AnnexB;
import com.cns.gateway.transcoder.sei.RecordingTimeSei;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MediaProbe asks Debian's ffprobe and ffmpeg what a client would make of our media: the packets of an
 * MPEG-TS segment (PTS, DTS, keyframe flag) and anything ffprobe warns about, and, from the H.264
 * ffmpeg copies out of it, each access unit's recording-time SEI and whether the first is an IDR.
 */
public final class MediaProbe {
    /** One packet as ffprobe reads it: 90 kHz PTS and DTS, and its keyframe flag. */
    public record Packet(long pts, long dts, boolean key) {
    }

    /** What ffprobe said of a segment: its packets in file order and its warnings (empty when clean). */
    public record Segment(List<Packet> packets, String warnings, List<Long> seiTimes, boolean startsWithIdr) {
    }

    /** The output and error text of a finished command. */
    public record Run(byte[] out, String err, int exit) {
    }

    private MediaProbe() {
    }

    public static Segment segment(byte[] ts) throws Exception {
        Path f = Files.createTempFile("segment", ".ts");
        try {
            Files.write(f, ts);
            Run probe = run("ffprobe", "-v", "warning", "-show_entries", "packet=pts,dts,flags", "-of", "csv=p=0",
                    f.toString());
            List<Packet> packets = new ArrayList<>();
            for (String line : new String(probe.out()).split("\n")) {
                String[] p = line.trim().split(",");
                if (p.length >= 3 && !p[0].isEmpty()) {
                    // A PES with a PTS alone (every picture an IDR) has its DTS equal to it (ISO/IEC
                    // 13818-1 §2.4.3.7); ffprobe then says N/A when the stream's SPS allows reordering.
                    long pts = Long.parseLong(p[0]);
                    packets.add(new Packet(pts, p[1].equals("N/A") ? pts : Long.parseLong(p[1]), p[2].startsWith("K")));
                }
            }
            Run raw = run("ffmpeg", "-v", "error", "-i", f.toString(), "-c", "copy", "-f", "h264", "-");
            List<byte[]> units = AnnexB.accessUnits(raw.out());
            List<Long> sei = new ArrayList<>();
            for (byte[] au : units) {
                sei.add(RecordingTimeSei.read(au).orElse(-1));
            }
            boolean idr = !units.isEmpty() && AnnexB.firstSliceType(units.get(0)) == 5;
            return new Segment(packets, (probe.err() + raw.err()).trim(), sei, idr);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** ffprobe's warnings when reading a playlist (or any URL) through, and the frames it decoded. */
    public static Run countFrames(String url, String bearer) throws Exception {
        return run("ffprobe", "-v", "warning", "-headers", "Authorization: Bearer " + bearer + "\r\n",
                "-count_frames", "-show_entries", "stream=nb_read_frames", "-of",
                "csv=p=0", url);
    }

    public static Run run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        byte[][] err = new byte[1][];
        Thread t = new Thread(() -> {
            try {
                err[0] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                err[0] = new byte[0];
            }
        });
        t.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
        t.join();
        return new Run(out, new String(err[0]), p.exitValue());
    }
}
