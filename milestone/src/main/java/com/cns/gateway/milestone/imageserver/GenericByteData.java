package com.cns.gateway.milestone.imageserver;

import io.netty.buffer.ByteBuf;

/**
 * GenericByteData is one video packet in Milestone's GenericByteData format, parsed from an
 * ImageResponse body (research/milestone-protocols.md §5.2, from Milestone's GenericByteData.h).
 * Big-endian header of 32 bytes, then the payload (Annex-B NAL units for H.264/H.265):
 *
 * <pre>
 *  0       2           6       8       10      12                  20                  28      32
 *  +-------+-----------+-------+-------+-------+-------------------+-------------------+-------+----
 *  | data  | total     | codec | seq   | flags | TimeStampSync     | TimeStampPicture  | rsvd  | payload
 *  | type  | length    |       | no.   |       | (UTC ms, u64)     | (UTC ms, u64)     |       |
 *  +-------+-----------+-------+-------+-------+-------------------+-------------------+-------+----
 *   0x0010 video        0x000A H.264   0x0001 = SYNC (keyframe)
 *   0x0020 audio        0x000E H.265
 *   0x0030 metadata     0x0001 JPEG
 * </pre>
 *
 * {@code payload} is a slice of the body, valid while the body is.
 */
public record GenericByteData(int dataType, int totalLength, int codec, int sequenceNumber, int flags,
                              long syncTimestamp, long pictureTimestamp, ByteBuf payload) {
    public static final int HEADER_LENGTH = 32;
    public static final int TYPE_VIDEO = 0x0010;
    public static final int CODEC_JPEG = 0x0001;
    public static final int CODEC_H264 = 0x000A;
    public static final int CODEC_H265 = 0x000E;
    public static final int FLAG_SYNC = 0x0001;

    public boolean keyframe() {
        return (flags & FLAG_SYNC) != 0;
    }

    /** Parses {@code body} without consuming it; fails on a short or inconsistent packet. */
    public static GenericByteData parse(ByteBuf body) {
        int base = body.readerIndex();
        if (body.readableBytes() < HEADER_LENGTH) {
            throw new IllegalArgumentException("GenericByteData shorter than its 32-byte header: "
                    + body.readableBytes() + " bytes");
        }
        int total = body.getInt(base + 2);
        if (total < HEADER_LENGTH || total > body.readableBytes()) {
            throw new IllegalArgumentException("GenericByteData total length " + total + " does not fit a body of "
                    + body.readableBytes() + " bytes");
        }
        return new GenericByteData(body.getUnsignedShort(base), total, body.getUnsignedShort(base + 6),
                body.getUnsignedShort(base + 8), body.getUnsignedShort(base + 10), body.getLong(base + 12),
                body.getLong(base + 20), body.slice(base + HEADER_LENGTH, total - HEADER_LENGTH));
    }

    /** Writes a header for {@code payloadLength} bytes that follow (used by tests and the simulator's peer). */
    public static void writeHeader(ByteBuf out, int codec, int seq, boolean keyframe, long syncTs, long pictureTs,
                                   int payloadLength) {
        out.writeShort(TYPE_VIDEO).writeInt(HEADER_LENGTH + payloadLength).writeShort(codec).writeShort(seq)
                .writeShort(keyframe ? FLAG_SYNC : 0).writeLong(syncTs).writeLong(pictureTs).writeInt(0);
    }
}
