package com.cns.xprotect.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * SeiTimestamp is the SEI NAL unit (type 6, payload 5: user data unregistered) the simulator puts in
 * every frame to carry that frame's recording time, so any frame a client shows can be traced to the
 * moment it shows:
 *
 * <pre>
 * 06 | 05 | 18 | uuid (16 bytes) | recording time, UTC ms, u64 big-endian | 80
 *  ^    ^    ^                                                                ^ rbsp stop bit
 *  |    |    payload size 24
 *  |    payload type 5 (user_data_unregistered)
 *  nal_unit_type 6 (SEI)
 * </pre>
 *
 * with emulation prevention bytes inserted (H.264 §7.4.1).
 */
public final class SeiTimestamp {
    /** Identifies the CNS recording-time payload among other user data. */
    public static final UUID UUID_CNS_TIME = UUID.fromString("c0e5a1d2-7c3b-4f5e-9a11-2b6e0f4d8c77");

    private SeiTimestamp() {
    }

    public static byte[] nal(long recordingTimeMs) {
        return nal(new byte[] {0x06}, recordingTimeMs);
    }

    /** The same payload in an H.265 prefix SEI NAL unit (type 39, two-byte header). */
    public static byte[] hevcNal(long recordingTimeMs) {
        return nal(new byte[] {0x4E, 0x01}, recordingTimeMs);
    }

    private static byte[] nal(byte[] header, long recordingTimeMs) {
        ByteBuffer payload = ByteBuffer.allocate(24);
        payload.putLong(UUID_CNS_TIME.getMostSignificantBits()).putLong(UUID_CNS_TIME.getLeastSignificantBits())
                .putLong(recordingTimeMs);
        ByteArrayOutputStream rbsp = new ByteArrayOutputStream();
        rbsp.write(5);
        rbsp.write(24);
        rbsp.writeBytes(payload.array());
        rbsp.write(0x80);
        byte[] raw = rbsp.toByteArray();
        ByteArrayOutputStream nal = new ByteArrayOutputStream(raw.length + 8);
        nal.writeBytes(header);
        int zeros = 0;
        for (byte b : raw) {
            if (zeros >= 2 && (b & 0xff) <= 3) {
                nal.write(3);
                zeros = 0;
            }
            nal.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return nal.toByteArray();
    }
}
