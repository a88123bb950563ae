package com.cns.gateway.transcoder.mux;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * TsMuxer writes H.264 access units into an MPEG-TS segment with exactly the timestamps it is given.
 * HLS segments of recordings must carry PTS = recording-time ms × 90 (mod 2^33) so that segments made
 * by different pipelines, instances or days line up with no discontinuity; GStreamer's
 * {@code mpegtsmux} re-bases timestamps on its running time and adds its own clock offset, so it cannot
 * give that control, hence this small muxer. It remuxes only: one program, one H.264 stream.
 *
 * <pre>
 * 188-byte packet:  47 | PUSI,PID(13) | scrambling,AF,CC(4) | [adaptation field] | payload
 * segment:          PAT, PMT, then one PES per access unit on PID 0x100 (stream_id 0xE0,
 *                   PTS and DTS, PCR in the adaptation field of its first packet)
 * </pre>
 */
public final class TsMuxer {
    static final int PACKET = 188;
    static final int PAT_PID = 0x0000;
    static final int PMT_PID = 0x1000;
    static final int VIDEO_PID = 0x0100;
    /** PCR runs this far ahead of the decoding time, so decoders have the picture before they need it. */
    static final long PCR_LEAD_90K = 9_000;

    private final int[] continuity = new int[0x2000];

    private TsMuxer() {
    }

    private boolean videoStarted;

    /** One segment: PAT and PMT, then every access unit in decode order. */
    public static byte[] segment(List<AccessUnit> units) {
        TsMuxer m = new TsMuxer();
        ByteArrayOutputStream out = new ByteArrayOutputStream(units.stream().mapToInt(u -> u.annexB().length)
                .sum() * 11 / 10 + 2 * PACKET);
        m.section(out, PAT_PID, pat());
        m.section(out, PMT_PID, pmt());
        for (AccessUnit u : units) {
            m.pes(out, u);
        }
        return out.toByteArray();
    }

    private static byte[] pat() {
        // table_id 0, section_syntax 1, length, transport_stream_id 1, version 0 current, section 0/0,
        // program 1 -> PMT PID
        byte[] s = {0x00, (byte) 0xB0, 0x0D, 0x00, 0x01, (byte) 0xC1, 0x00, 0x00, 0x00, 0x01,
            (byte) (0xE0 | PMT_PID >> 8), (byte) PMT_PID, 0, 0, 0, 0};
        return withCrc(s);
    }

    private static byte[] pmt() {
        // table_id 2, program 1, PCR PID, no program info, one stream: type 0x1B (H.264) on VIDEO_PID
        byte[] s = {0x02, (byte) 0xB0, 0x12, 0x00, 0x01, (byte) 0xC1, 0x00, 0x00,
            (byte) (0xE0 | VIDEO_PID >> 8), (byte) VIDEO_PID, (byte) 0xF0, 0x00,
            0x1B, (byte) (0xE0 | VIDEO_PID >> 8), (byte) VIDEO_PID, (byte) 0xF0, 0x00, 0, 0, 0, 0};
        return withCrc(s);
    }

    private static byte[] withCrc(byte[] s) {
        int crc = Crc32Mpeg2.of(s, 0, s.length - 4);
        s[s.length - 4] = (byte) (crc >>> 24);
        s[s.length - 3] = (byte) (crc >>> 16);
        s[s.length - 2] = (byte) (crc >>> 8);
        s[s.length - 1] = (byte) crc;
        return s;
    }

    private void section(ByteArrayOutputStream out, int pid, byte[] section) {
        byte[] p = new byte[PACKET];
        java.util.Arrays.fill(p, (byte) 0xFF);
        p[0] = 0x47;
        p[1] = (byte) (0x40 | pid >> 8);
        p[2] = (byte) pid;
        // An adaptation field with only the discontinuity_indicator: continuity counters restart in
        // every segment, and demuxers reading segments back to back must not take that for loss.
        p[3] = (byte) (0x30 | next(pid));
        p[4] = 1;
        p[5] = (byte) 0x80;
        p[6] = 0; // pointer_field
        System.arraycopy(section, 0, p, 7, section.length);
        out.writeBytes(p);
    }

    private void pes(ByteArrayOutputStream out, AccessUnit u) {
        boolean withDts = u.dts90k() != u.pts90k();
        byte[] header = new byte[withDts ? 19 : 14];
        header[0] = 0;
        header[1] = 0;
        header[2] = 1;
        header[3] = (byte) 0xE0;
        header[4] = 0; // PES_packet_length 0: unbounded, allowed for video
        header[5] = 0;
        header[6] = (byte) 0x84; // marker bits, data_alignment_indicator
        header[7] = (byte) (withDts ? 0xC0 : 0x80);
        header[8] = (byte) (withDts ? 10 : 5);
        timestamp(header, 9, withDts ? 0x3 : 0x2, u.pts90k());
        if (withDts) {
            timestamp(header, 14, 0x1, u.dts90k());
        }
        byte[] payload = new byte[header.length + u.annexB().length];
        System.arraycopy(header, 0, payload, 0, header.length);
        System.arraycopy(u.annexB(), 0, payload, header.length, u.annexB().length);

        long pcr = Math.floorMod(u.dts90k() - PCR_LEAD_90K, AccessUnit.WRAP);
        int pos = 0;
        boolean first = true;
        while (pos < payload.length) {
            byte[] p = new byte[PACKET];
            p[0] = 0x47;
            p[1] = (byte) ((first ? 0x40 : 0) | VIDEO_PID >> 8);
            p[2] = (byte) VIDEO_PID;
            int room = PACKET - 4;
            int afLength = -1; // no adaptation field
            if (first) {
                afLength = 7;
                room -= afLength + 1;
            }
            int left = payload.length - pos;
            if (left < room) {
                // Stuff the adaptation field so that the payload ends the packet exactly.
                int grow = room - left;
                afLength = afLength < 0 ? grow - 1 : afLength + grow;
                room = left;
            }
            p[3] = (byte) ((afLength >= 0 ? 0x30 : 0x10) | next(VIDEO_PID));
            int i = 4;
            if (afLength >= 0) {
                p[i++] = (byte) afLength;
                if (afLength > 0) {
                    int flags = first ? 0x10 : 0; // PCR_flag
                    if (first && u.keyframe()) {
                        flags |= 0x40; // random_access_indicator
                    }
                    if (first && !videoStarted) {
                        flags |= 0x80; // discontinuity_indicator: the counter restarts in each segment
                        videoStarted = true;
                    }
                    p[i++] = (byte) flags;
                    int end = 4 + 1 + afLength;
                    if (first) {
                        long base = pcr;
                        p[i++] = (byte) (base >>> 25);
                        p[i++] = (byte) (base >>> 17);
                        p[i++] = (byte) (base >>> 9);
                        p[i++] = (byte) (base >>> 1);
                        p[i++] = (byte) (((base & 1) << 7) | 0x7E);
                        p[i++] = 0;
                    }
                    while (i < end) {
                        p[i++] = (byte) 0xFF;
                    }
                }
            }
            System.arraycopy(payload, pos, p, i, room);
            pos += room;
            first = false;
            out.writeBytes(p);
        }
    }

    /** Writes a 33-bit timestamp in the PES layout: 4-bit prefix, then 3+15+15 bits with marker bits. */
    private static void timestamp(byte[] b, int at, int prefix, long ts) {
        b[at] = (byte) (prefix << 4 | (int) (ts >>> 29 & 0x0E) | 1);
        b[at + 1] = (byte) (ts >>> 22);
        b[at + 2] = (byte) ((ts >>> 14 & 0xFE) | 1);
        b[at + 3] = (byte) (ts >>> 7);
        b[at + 4] = (byte) ((ts << 1 & 0xFE) | 1);
    }

    private int next(int pid) {
        int cc = continuity[pid];
        continuity[pid] = (cc + 1) & 0x0F;
        return cc;
    }
}
