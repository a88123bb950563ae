package com.cns.gateway.milestone.imageserver;

import com.cns.gateway.milestone.RecorderUnreachableException;
import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XProtectUnavailableException;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ImageServerConnection is one ImageServer TCP connection to a recording server, bound to one camera,
 * on a Vert.x event loop: the socket's Netty pipeline gets {@link ImageServerRequestEncoder} and
 * {@link ImageResponseDecoder}, so frames arrive as {@link ImageResponse}s without copying. Up to
 * {@code maxInFlight} requests may be in flight, answered in order (1 by default: no source shows a
 * recorder accepting more); each has a timeout, after which the connection is closed, since a late
 * answer would be taken for the next request's.
 */
public final class ImageServerConnection {
    private final Vertx vertx;
    private final boolean jpeg;
    private final NetSocketInternal socket;
    private final String cameraId;
    private final URI recorder;
    private final Duration timeout;
    private final int maxInFlight;
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
    private int nextRequestId;
    private String token;
    private volatile boolean closed; // read by the pool from other threads

    private record Pending(Promise<Object> promise, long timer) {
    }

    private ImageServerConnection(Vertx vertx, NetSocketInternal socket, URI recorder, String cameraId,
                                  Duration timeout, int maxInFlight, boolean jpeg) {
        this.vertx = vertx;
        this.jpeg = jpeg;
        this.maxInFlight = Math.max(1, maxInFlight);
        this.socket = socket;
        this.recorder = recorder;
        this.cameraId = cameraId;
        this.timeout = timeout;
        socket.channelHandlerContext().pipeline()
                .addBefore("handler", "imageserver-decoder", new ImageResponseDecoder())
                .addBefore("handler", "imageserver-encoder", new ImageServerRequestEncoder());
        socket.messageHandler(this::onMessage);
        socket.closeHandler(v -> {
            closed = true;
            failAll(new XProtectUnavailableException("ImageServer connection to " + recorder.getAuthority()
                    + " closed", Duration.ofSeconds(1), null));
        });
        socket.exceptionHandler(e -> socket.close());
    }

    /** Connects to {@code recorder} (TLS when its URI is https, through {@code client}) and logs in for the camera. */
    public static Future<ImageServerConnection> open(Vertx vertx, NetClient client, URI recorder, String cameraId,
                                                     String vmsToken, Duration timeout) {
        return open(vertx, client, recorder, cameraId, vmsToken, timeout, 1);
    }

    /** As {@link #open}, allowing {@code maxInFlight} requests in flight at once. */
    public static Future<ImageServerConnection> open(Vertx vertx, NetClient client, URI recorder, String cameraId,
                                                     String vmsToken, Duration timeout, int maxInFlight) {
        return open(vertx, client, recorder, cameraId, vmsToken, timeout, maxInFlight, false);
    }

    /**
     * As {@link #open}; with {@code jpeg}, the recorder sends every frame as a standard JPEG
     * ({@code alwaysstdjpeg}: it decodes and encodes them itself).
     */
    public static Future<ImageServerConnection> open(Vertx vertx, NetClient client, URI recorder, String cameraId,
                                                     String vmsToken, Duration timeout, int maxInFlight,
                                                     boolean jpeg) {
        int port = recorder.getPort() > 0 ? recorder.getPort() : "https".equals(recorder.getScheme()) ? 443 : 80;
        return client.connect(port, recorder.getHost())
                .recover(e -> Future.failedFuture(new RecorderUnreachableException(recorder, "ImageServer at "
                        + recorder.getAuthority() + " is unreachable: " + e.getMessage(), e)))
                .compose(s -> {
                    ImageServerConnection c = new ImageServerConnection(vertx, (NetSocketInternal) s, recorder, cameraId,
                            timeout, maxInFlight, jpeg);
                    return c.login("connect", vmsToken).map(c).onFailure(e -> s.close());
                });
    }

    public String cameraId() {
        return cameraId;
    }

    public URI recorder() {
        return recorder;
    }

    public String token() {
        return token;
    }

    public boolean isOpen() {
        return !closed;
    }

    /** How many requests may be in flight at once on this connection. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Gives the open connection a renewed VMS token ({@code connectupdate}). */
    public Future<Void> updateToken(String vmsToken) {
        return login("connectupdate", vmsToken);
    }

    private Future<Void> login(String method, String vmsToken) {
        ImageServerRequest req = ImageServerRequest.of(nextRequestId++, method)
                .param("username", "").param("password", "").param("alwaysstdjpeg", jpeg ? "yes" : "no")
                .param("connectparam", "id=" + cameraId + "&connectiontoken=" + vmsToken)
                .raw("<transcode><allframes>yes</allframes></transcode>");
        return request(req).compose(msg -> {
            if (msg instanceof ImageServerXmlResponse x && x.connected()) {
                token = vmsToken;
                return Future.succeededFuture();
            }
            ReferenceCountUtil.release(msg);
            String reason = msg instanceof ImageServerXmlResponse x ? x.errorReason() : "unexpected answer";
            return Future.failedFuture(new XProtectException("ImageServer " + method + " for camera " + cameraId
                    + " refused: " + reason));
        });
    }

    /** The frame at or before {@code timeMs}; with {@code keyframesOnly}, the keyframe at or before it. */
    public Future<ImageResponse> goTo(long timeMs, boolean keyframesOnly) {
        return frame(ImageServerRequest.goTo(nextRequestId++, timeMs, keyframesOnly));
    }

    /** The frame after the current one; at the end of data, the current one again ({@code Next == Current}). */
    public Future<ImageResponse> next() {
        return frame(ImageServerRequest.of(nextRequestId++, "next"));
    }

    /**
     * The keyframe after the current frame ({@code next} with {@code keyframesonly}); at the last
     * keyframe, that keyframe again.
     */
    public Future<ImageResponse> nextKeyframe() {
        return frame(ImageServerRequest.of(nextRequestId++, "next").param("keyframesonly", "yes"));
    }

    public Future<ImageResponse> previous() {
        return frame(ImageServerRequest.of(nextRequestId++, "previous"));
    }

    /** The keyframe before the current frame ({@code previous} with {@code keyframesonly}). */
    public Future<ImageResponse> previousKeyframe() {
        return frame(ImageServerRequest.of(nextRequestId++, "previous").param("keyframesonly", "yes"));
    }

    private Future<ImageResponse> frame(ImageServerRequest req) {
        return request(req).compose(msg -> {
            if (msg instanceof ImageResponse r) {
                return Future.succeededFuture(r);
            }
            ReferenceCountUtil.release(msg);
            return Future.failedFuture(new XProtectException("ImageServer answered " + req.method() + " with "
                    + (msg instanceof ImageServerXmlResponse x ? x.xml() : msg)));
        });
    }

    private synchronized Future<Object> request(ImageServerRequest req) {
        if (closed) {
            return Future.failedFuture(new XProtectUnavailableException("ImageServer connection is closed",
                    Duration.ofSeconds(1), null));
        }
        if (pending.size() >= maxInFlight) {
            return Future.failedFuture(new IllegalStateException(maxInFlight + " ImageServer request(s) in flight "
                    + "already"));
        }
        Promise<Object> p = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), t -> {
            failAll(new XProtectUnavailableException("ImageServer at " + recorder.getAuthority() + " did not answer "
                    + req.method() + " within " + timeout.toMillis() + " ms", Duration.ofSeconds(1), null));
            close();
        });
        pending.add(new Pending(p, timer));
        socket.writeMessage(req).onFailure(this::failAll);
        return p.future();
    }

    private void onMessage(Object msg) {
        if (msg instanceof ImageServerXmlResponse x && "livepackage".equals(x.root())) {
            return;
        }
        Pending p;
        synchronized (this) {
            p = pending.poll();
        }
        if (p == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        vertx.cancelTimer(p.timer());
        if (!p.promise().tryComplete(msg)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void failAll(Throwable e) {
        List<Pending> failed;
        synchronized (this) {
            failed = new ArrayList<>(pending);
            pending.clear();
        }
        for (Pending p : failed) {
            vertx.cancelTimer(p.timer());
            p.promise().tryFail(e);
        }
    }

    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        return ((NetSocket) socket).close();
    }
}
