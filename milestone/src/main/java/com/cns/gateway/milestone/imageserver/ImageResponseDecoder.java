package com.cns.gateway.milestone.imageserver;

import com.cns.gateway.milestone.soap.SoapXml;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * ImageResponseDecoder splits the ImageServer's answer stream into messages: XML messages
 * ({@code <methodresponse>}, {@code <livepackage>}) ended by CR LF CR LF, and frames:
 *
 * <pre>
 * ImageResponse\r\n
 * RequestId: 2\r\n                      header keys: any case, any order
 * Prev: 1705319999933\r\n               times: UTC ms since the epoch
 * Current: 1705320000000\r\n
 * Next: 1705320000066\r\n
 * Content-length: 45678\r\n
 * Content-type: image/jpeg | application/x-genericbytedata-octet-stream\r\n
 * \r\n
 * &lt;Content-length bytes of body&gt;\r\n\r\n
 * </pre>
 *
 * (research/milestone-protocols.md §5.1, from Milestone's TcpVideoViewer sample). The 2025 R3
 * {@code multipart/related} bodies are not asked for ({@code multipartdata} is never sent).
 */
public final class ImageResponseDecoder extends ByteToMessageDecoder {
    private static final byte[] IMAGE = "ImageResponse".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 16 * 1024;
    private static final int MAX_XML = 1024 * 1024;
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private enum State { START, BODY, TRAILER }

    private State state = State.START;
    private int requestId;
    private long prev;
    private long current;
    private long next;
    private String contentType;
    private int length;
    private ByteBuf body;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case START -> {
                    while (in.isReadable() && (in.getByte(in.readerIndex()) == '\r' || in.getByte(in.readerIndex()) == '\n')) {
                        in.skipBytes(1);
                    }
                    if (!in.isReadable()) {
                        return;
                    }
                    if (startsWithImage(in)) {
                        if (!readHeaders(in)) {
                            return;
                        }
                        state = State.BODY;
                    } else if (couldBecomeImage(in)) {
                        return;
                    } else {
                        int end = indexOfTerminator(in);
                        if (end < 0) {
                            if (in.readableBytes() > MAX_XML) {
                                throw new CorruptedFrameException("ImageServer XML message longer than " + MAX_XML);
                            }
                            return;
                        }
                        String xml = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
                        in.readerIndex(end + 4);
                        out.add(parseXml(xml));
                    }
                }
                case BODY -> {
                    if (in.readableBytes() < length) {
                        return;
                    }
                    body = in.readRetainedSlice(length);
                    state = State.TRAILER;
                }
                case TRAILER -> {
                    // The body is followed by CR LF CR LF; tolerate its absence before the next message.
                    if (in.readableBytes() > 0 && in.getByte(in.readerIndex()) == '\r') {
                        if (in.readableBytes() < 4) {
                            return;
                        }
                        if (in.getByte(in.readerIndex() + 1) == '\n' && in.getByte(in.readerIndex() + 2) == '\r'
                                && in.getByte(in.readerIndex() + 3) == '\n') {
                            in.skipBytes(4);
                        }
                    } else if (!in.isReadable()) {
                        return;
                    }
                    out.add(new ImageResponse(requestId, prev, current, next, contentType, body));
                    body = null;
                    state = State.START;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private static boolean startsWithImage(ByteBuf in) {
        if (in.readableBytes() < IMAGE.length) {
            return false;
        }
        for (int i = 0; i < IMAGE.length; i++) {
            if (in.getByte(in.readerIndex() + i) != IMAGE[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean couldBecomeImage(ByteBuf in) {
        int n = Math.min(in.readableBytes(), IMAGE.length);
        if (n == IMAGE.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != IMAGE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first CR LF CR LF from the reader index, or -1. */
    private static int indexOfTerminator(ByteBuf in) {
        for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Reads the header block if it is all there; false to wait for more bytes. */
    private boolean readHeaders(ByteBuf in) {
        int end = indexOfTerminator(in);
        if (end < 0) {
            if (in.readableBytes() > MAX_HEADER) {
                throw new CorruptedFrameException("ImageResponse header longer than " + MAX_HEADER);
            }
            return false;
        }
        String block = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.US_ASCII);
        in.readerIndex(end + 4);
        requestId = -1;
        prev = 0;
        current = 0;
        next = 0;
        contentType = null;
        length = 0;
        String[] lines = block.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            try {
                switch (key) {
                    case "requestid" -> requestId = Integer.parseInt(value);
                    case "prev" -> prev = Long.parseLong(value);
                    case "current" -> current = Long.parseLong(value);
                    case "next" -> next = Long.parseLong(value);
                    case "content-length" -> length = Integer.parseInt(value);
                    case "content-type" -> contentType = value;
                    default -> { }
                }
            } catch (NumberFormatException e) {
                throw new CorruptedFrameException("bad ImageResponse header " + lines[i]);
            }
        }
        if (length < 0 || length > MAX_BODY) {
            throw new CorruptedFrameException("ImageResponse Content-length out of range: " + length);
        }
        return true;
    }

    static ImageServerXmlResponse parseXml(String xml) {
        Document doc = SoapXml.parse(xml);
        Element root = doc.getDocumentElement();
        Map<String, String> fields = new LinkedHashMap<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                fields.put(e.getTagName().toLowerCase(Locale.ROOT), e.getTextContent().trim());
            }
        }
        Integer id = null;
        try {
            id = fields.containsKey("requestid") ? Integer.valueOf(fields.get("requestid")) : null;
        } catch (NumberFormatException ignored) {
            // a status package has no request id
        }
        return new ImageServerXmlResponse(root.getTagName(), id, fields.get("methodname"), Map.copyOf(fields), xml);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
