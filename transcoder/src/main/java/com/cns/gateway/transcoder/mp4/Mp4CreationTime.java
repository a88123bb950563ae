package com.cns.gateway.transcoder.mp4;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * Mp4CreationTime sets the creation and modification times of an MP4's movie, track and media
 * headers ({@code mvhd}, {@code tkhd}, {@code mdhd}; ISO/IEC 14496-12 §8.2.2, §8.3.2, §8.4.2) in
 * place. mp4mux always stamps the moment it muxes, and ignores a {@code datetime} tag (checked with
 * GStreamer 1.22: {@code taginject tags="datetime=…" ! mp4mux} still gives the muxing time), while an
 * evidence file must carry the recording time of its first frame; the headers have fixed layouts, so
 * rewriting their time fields is all it takes.
 */
public final class Mp4CreationTime {
    /** Seconds from 1904-01-01 (the MP4 epoch) to 1970-01-01. */
    private static final long EPOCH_1904 = 2_082_844_800L;
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia");
    private static final Set<String> HEADERS = Set.of("mvhd", "tkhd", "mdhd");

    private Mp4CreationTime() {
    }

    /** Sets every header's creation and modification time to {@code time}; returns how many headers were set. */
    public static int set(Path file, Instant time) throws IOException {
        long seconds = time.getEpochSecond() + EPOCH_1904;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            return walk(f, 0, f.length(), seconds);
        }
    }

    private static int walk(RandomAccessFile f, long from, long to, long seconds) throws IOException {
        int set = 0;
        long at = from;
        while (at + 8 <= to) {
            f.seek(at);
            long size = f.readInt() & 0xffffffffL;
            byte[] type = new byte[4];
            f.readFully(type);
            String name = new String(type, java.nio.charset.StandardCharsets.ISO_8859_1);
            long header = 8;
            if (size == 1) {
                size = f.readLong();
                header = 16;
            } else if (size == 0) {
                size = to - at;
            }
            if (size < header || at + size > to) {
                throw new IOException("damaged MP4 box '" + name + "' at " + at);
            }
            if (CONTAINERS.contains(name)) {
                set += walk(f, at + header, at + size, seconds);
            } else if (HEADERS.contains(name)) {
                f.seek(at + header);
                int version = f.readUnsignedByte();
                f.skipBytes(3);
                if (version == 1) {
                    f.writeLong(seconds);
                    f.writeLong(seconds);
                } else {
                    f.writeInt((int) seconds);
                    f.writeInt((int) seconds);
                }
                set++;
            }
            at += size;
        }
        return set;
    }
}
