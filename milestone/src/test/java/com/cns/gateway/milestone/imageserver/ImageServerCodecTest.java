package com.cns.gateway.milestone.imageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ImageServer codec in memory: requests out, XML answers and frames in, split anywhere. */
class ImageServerCodecTest {
    private static final String CONNECTED = "<?xml version=\"1.0\" encoding=\"utf-8\"?><methodresponse><requestid>0"
            + "</requestid><methodname>connect</methodname><connected>yes</connected><errorreason></errorreason>"
            + "</methodresponse>\r\n\r\n";

    private static byte[] gbdFrame(int requestId, long prev, long cur, long next, byte[] nals, boolean key) {
        ByteBuf body = Unpooled.buffer();
        GenericByteData.writeHeader(body, GenericByteData.CODEC_H264, 7, key, cur - 40, cur, nals.length);
        body.writeBytes(nals);
        String head = "ImageResponse\r\nRequestId: " + requestId + "\r\nPrev: " + prev + "\r\ncurrent: " + cur
                + "\r\nNEXT: " + next + "\r\nContent-type: application/x-genericbytedata-octet-stream\r\n"
                + "Content-length: " + body.readableBytes() + "\r\n\r\n";
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(head.getBytes(StandardCharsets.US_ASCII)).writeBytes(body).writeBytes("\r\n\r\n".getBytes());
        body.release();
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        all.release();
        return out;
    }

    private static List<Object> decode(byte[] stream, int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new ImageResponseDecoder());
        for (int i = 0; i < stream.length; i += chunk) {
            ch.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
        }
        List<Object> out = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            out.add(o);
        }
        assertFalse(ch.finish());
        return out;
    }

    @Test
    void requestsAreOneXmlLineEndedByCrLfCrLf() {
        EmbeddedChannel ch = new EmbeddedChannel(new ImageServerRequestEncoder());
        ch.writeOutbound(ImageServerRequest.goTo(3, 1705320000000L, true));
        ByteBuf out = ch.readOutbound();
        assertEquals("<?xml version=\"1.0\" encoding=\"utf-8\"?><methodcall><requestid>3</requestid><methodname>goto"
                + "</methodname><time>1705320000000</time><keyframesonly>yes</keyframesonly></methodcall>\r\n\r\n",
                out.toString(StandardCharsets.UTF_8));
        out.release();
        ch.writeOutbound(ImageServerRequest.of(0, "connect").param("connectparam", "id=x&connectiontoken=TOKEN#a#")
                .raw("<transcode><allframes>yes</allframes></transcode>"));
        ByteBuf c = ch.readOutbound();
        assertTrue(c.toString(StandardCharsets.UTF_8).contains(
                "<connectparam>id=x&amp;connectiontoken=TOKEN#a#</connectparam><transcode><allframes>yes"));
        c.release();
        assertFalse(ch.finish());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 100_000})
    void messagesAreReassembledWhateverTheChunking(int chunk) {
        byte[] nals = {0, 0, 0, 1, 0x65, 1, 2, 3};
        byte[] f1 = gbdFrame(1, 1705319999960L, 1705320000000L, 1705320000040L, nals, true);
        byte[] empty = ("ImageResponse\r\nRequestId: 2\r\nPrev: 0\r\nCurrent: 0\r\nNext: 0\r\nContent-length: 0\r\n\r\n"
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] status = "<?xml version=\"1.0\"?><livepackage><status><statustime>1605074397121</statustime></status></livepackage>\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuf stream = Unpooled.buffer();
        stream.writeBytes(CONNECTED.getBytes(StandardCharsets.UTF_8)).writeBytes(f1).writeBytes(empty).writeBytes(status);
        byte[] all = new byte[stream.readableBytes()];
        stream.readBytes(all);
        stream.release();

        List<Object> out = decode(all, chunk);
        assertEquals(4, out.size());
        ImageServerXmlResponse connect = assertInstanceOf(ImageServerXmlResponse.class, out.get(0));
        assertTrue(connect.connected());
        assertEquals("connect", connect.method());
        assertEquals(0, connect.requestId());

        ImageResponse frame = assertInstanceOf(ImageResponse.class, out.get(1));
        try {
            assertEquals(1, frame.requestId());
            assertEquals(1705319999960L, frame.prev());
            assertEquals(1705320000000L, frame.current());
            assertEquals(1705320000040L, frame.next());
            assertFalse(frame.isJpeg());
            GenericByteData g = GenericByteData.parse(frame.body());
            assertTrue(g.keyframe());
            assertEquals(GenericByteData.CODEC_H264, g.codec());
            assertEquals(1705320000000L, g.pictureTimestamp());
            assertEquals(1705319999960L, g.syncTimestamp());
            assertEquals(nals.length, g.payload().readableBytes());
            assertEquals(0x65, g.payload().getUnsignedByte(4));
        } finally {
            frame.release();
        }
        ImageResponse none = assertInstanceOf(ImageResponse.class, out.get(2));
        assertTrue(none.empty(), "an empty database answers all times 0 and no body");
        none.release();
        ImageServerXmlResponse live = assertInstanceOf(ImageServerXmlResponse.class, out.get(3));
        assertEquals("livepackage", live.root());
        assertNull(live.requestId());
    }

    @Test
    void jpegBodiesAreRecognisedByTheirMagicWhateverTheContentType() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2};
        ByteBuf s = Unpooled.buffer();
        s.writeBytes(("ImageResponse\r\nRequestId: 5\r\nCurrent: 10\r\nContent-type: application/x-genericbytedata-octet"
                + "-stream\r\nContent-length: 6\r\n\r\n").getBytes(StandardCharsets.US_ASCII)).writeBytes(jpeg)
                .writeBytes("\r\n\r\n".getBytes());
        byte[] all = new byte[s.readableBytes()];
        s.readBytes(all);
        s.release();
        ImageResponse r = (ImageResponse) decode(all, 4).get(0);
        assertTrue(r.isJpeg());
        r.release();
    }

    @Test
    void anAbsurdContentLengthIsACorruptedStreamNotAnAllocation() {
        EmbeddedChannel ch = new EmbeddedChannel(new ImageResponseDecoder());
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.copiedBuffer(
                "ImageResponse\r\nContent-length: 999999999999\r\n\r\n", StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("Content-length") || e.getMessage().contains("header"), e.getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void shortOrInconsistentGenericByteDataIsRefused() {
        ByteBuf shortOne = Unpooled.wrappedBuffer(new byte[10]);
        assertThrows(IllegalArgumentException.class, () -> GenericByteData.parse(shortOne));
        ByteBuf lying = Unpooled.buffer();
        GenericByteData.writeHeader(lying, GenericByteData.CODEC_H264, 1, false, 0, 0, 1000);
        lying.writeBytes(new byte[10]);
        assertThrows(IllegalArgumentException.class, () -> GenericByteData.parse(lying));
        shortOne.release();
        lying.release();
    }
}
