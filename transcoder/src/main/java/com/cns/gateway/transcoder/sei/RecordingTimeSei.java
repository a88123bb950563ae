package com.cns.gateway.transcoder.sei;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * RecordingTimeSei writes and reads the H.264 SEI that carries a frame's recording time, so any frame
 * a player shows can be traced to the moment it shows. Re-encoded output loses the source's SEI, so
 * the gateway writes its own (ARCHITECTURE.md, "Speed"); the test simulator writes the same one into
 * its recordings.
 *
 * <pre>
 * 06 | 05 | 18 | uuid c0e5a1d2-7c3b-4f5e-9a11-2b6e0f4d8c77 (16) | UTC ms, u64 big-endian (8) | 80
 * SEI  user_data_unregistered, 24 bytes                                                      rbsp stop
 * </pre>
 *
 * with emulation prevention bytes (H.264 §7.4.1) inserted on write and removed on read.
 */
public final class RecordingTimeSei {
    public static final UUID UUID_CNS_TIME = UUID.fromString("c0e5a1d2-7c3b-4f5e-9a11-2b6e0f4d8c77");
    private static final int NAL_SEI = 6;
    private static final int USER_DATA_UNREGISTERED = 5;

    private RecordingTimeSei() {
    }

    /** The SEI NAL unit (no start code) for {@code recordingTimeMs}. */
    public static byte[] nal(long recordingTimeMs) {
        ByteBuffer rbsp = ByteBuffer.allocate(27);
        rbsp.put((byte) USER_DATA_UNREGISTERED).put((byte) 24)
                .putLong(UUID_CNS_TIME.getMostSignificantBits()).putLong(UUID_CNS_TIME.getLeastSignificantBits())
                .putLong(recordingTimeMs).put((byte) 0x80);
        ByteArrayOutputStream nal = new ByteArrayOutputStream(32);
        nal.write(NAL_SEI);
        int zeros = 0;
        for (byte b : rbsp.array()) {
            if (zeros >= 2 && (b & 0xff) <= 3) {
                nal.write(3);
                zeros = 0;
            }
            nal.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return nal.toByteArray();
    }

    /** The recording time in the first CNS SEI of an Annex-B access unit, if it has one. */
    public static OptionalLong read(byte[] annexB) {
        for (int i = 0; i + 4 < annexB.length; i++) {
            boolean startCode = annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1;
            if (startCode && (annexB[i + 3] & 0x1f) == NAL_SEI) {
                byte[] rbsp = unescape(annexB, i + 4, 2 + 16 + 8);
                ByteBuffer b = ByteBuffer.wrap(rbsp);
                if (rbsp.length == 26 && b.get() == USER_DATA_UNREGISTERED && b.get() == 24
                        && b.getLong() == UUID_CNS_TIME.getMostSignificantBits()
                        && b.getLong() == UUID_CNS_TIME.getLeastSignificantBits()) {
                    return OptionalLong.of(b.getLong());
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Up to {@code n} RBSP bytes from {@code from}, emulation prevention bytes removed. */
    private static byte[] unescape(byte[] b, int from, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        int zeros = 0;
        for (int k = from; k < b.length && out.size() < n; k++) {
            int v = b[k] & 0xff;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            out.write(v);
            zeros = v == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }
}
