package com.cns.gateway.milestone.imageserver;

import com.cns.gateway.milestone.soap.VmsTokenProvider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * ImageServerPool bounds the ImageServer connections the gateway holds to each recording server and
 * reuses them per camera. Throughput comes from parallel connections (one per segment being
 * produced), and the bound keeps a burst of viewers from overwhelming a recorder: past it, callers
 * wait in line. A connection handed out carries the current VMS token; one logged in with an older
 * token is renewed first with {@code connectupdate}. A connection idle for {@link #IDLE_TIMEOUT} is
 * closed, so a recorder does not keep sockets for viewers long gone; one the recorder closed while
 * idle is never lent.
 */
public final class ImageServerPool {
    /** How long a connection may stay idle before the pool closes it. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private record Waiter(String cameraId, Promise<ImageServerConnection> promise) {
    }

    private static final class Slots {
        int open;
        final Deque<ImageServerConnection> idle = new ArrayDeque<>();
        final Deque<Waiter> waiters = new ArrayDeque<>();
        /** Connections being opened ahead of requests ({@link #prepare}), by camera. */
        final Map<String, Integer> preparing = new HashMap<>();
    }

    private final Vertx vertx;
    private final NetClient plain;
    private final NetClient tls;
    private final VmsTokenProvider tokens;
    private final int maxPerRecorder;
    private final Duration timeout;
    private final int maxInFlight;
    private final Map<String, Slots> recorders = new HashMap<>();
    private final Map<String, URI> uris = new HashMap<>();
    /** When each idle connection went idle (System.nanoTime). */
    private final Map<ImageServerConnection, Long> idleSince = new java.util.IdentityHashMap<>();
    private final long sweepTimer;
    private final boolean jpeg;

    public ImageServerPool(Vertx vertx, NetClient plain, NetClient tls, VmsTokenProvider tokens, int maxPerRecorder,
                           Duration timeout) {
        this(vertx, plain, tls, tokens, maxPerRecorder, timeout, 1);
    }

    /** As above, with {@code maxInFlight} requests allowed in flight on each connection. */
    public ImageServerPool(Vertx vertx, NetClient plain, NetClient tls, VmsTokenProvider tokens, int maxPerRecorder,
                           Duration timeout, int maxInFlight) {
        this(vertx, plain, tls, tokens, maxPerRecorder, timeout, maxInFlight, false);
    }

    /** As above; with {@code jpeg}, its connections ask the recorder for every frame as a JPEG. */
    public ImageServerPool(Vertx vertx, NetClient plain, NetClient tls, VmsTokenProvider tokens, int maxPerRecorder,
                           Duration timeout, int maxInFlight, boolean jpeg) {
        this.jpeg = jpeg;
        this.maxInFlight = maxInFlight;
        this.vertx = vertx;
        this.plain = plain;
        this.tls = tls;
        this.tokens = tokens;
        this.maxPerRecorder = maxPerRecorder;
        this.timeout = timeout;
        this.sweepTimer = vertx.setPeriodic(IDLE_TIMEOUT.toMillis() / 4, id -> closeIdle(IDLE_TIMEOUT));
    }

    private static String key(URI recorder) {
        return recorder.getAuthority().toLowerCase(Locale.ROOT);
    }

    /** A connection to {@code cameraId} on {@code recorder}; give it back with {@link #release}. */
    public synchronized Future<ImageServerConnection> acquire(URI recorder, String cameraId) {
        Slots s = recorders.computeIfAbsent(key(recorder), k -> new Slots());
        uris.put(key(recorder), recorder);
        for (Iterator<ImageServerConnection> it = s.idle.iterator(); it.hasNext(); ) {
            ImageServerConnection c = it.next();
            if (!c.isOpen()) { // closed by the recorder while idle (its idle timeout, a restart)
                it.remove();
                idleSince.remove(c);
                s.open--;
                continue;
            }
            if (c.cameraId().equalsIgnoreCase(cameraId)) {
                it.remove();
                idleSince.remove(c);
                return fresh(c);
            }
        }
        if (s.open < maxPerRecorder) {
            s.open++;
            return connect(recorder, cameraId, s);
        }
        if (!s.idle.isEmpty()) {
            ImageServerConnection oldest = s.idle.poll();
            idleSince.remove(oldest);
            oldest.close();
            return connect(recorder, cameraId, s);
        }
        Promise<ImageServerConnection> p = Promise.promise();
        s.waiters.add(new Waiter(cameraId, p));
        return p.future();
    }

    /**
     * Opens connections to {@code cameraId} ahead of {@code n} requests about to ask for them at once
     * (a segment window's pieces, cut once its keyframe probes answer), so that their connect and login
     * happen while the probes run rather than after them. It opens only what the bound has room for,
     * or replaces connections idle for other cameras, counting the camera's idle ones and those already
     * being opened for it; it does nothing while requests wait in line.
     */
    public synchronized void prepare(URI recorder, String cameraId, int n) {
        Slots s = recorders.computeIfAbsent(key(recorder), k -> new Slots());
        uris.put(key(recorder), recorder);
        if (!s.waiters.isEmpty()) {
            return;
        }
        String camera = cameraId.toLowerCase(Locale.ROOT);
        int have = s.preparing.getOrDefault(camera, 0);
        for (ImageServerConnection c : s.idle) {
            if (c.isOpen() && c.cameraId().equalsIgnoreCase(cameraId)) {
                have++;
            }
        }
        for (int i = have; i < n; i++) {
            if (s.open < maxPerRecorder) {
                s.open++;
            } else {
                ImageServerConnection other = null;
                for (ImageServerConnection c : s.idle) {
                    if (!c.cameraId().equalsIgnoreCase(cameraId)) {
                        other = c;
                        break;
                    }
                }
                if (other == null) {
                    return;
                }
                s.idle.remove(other);
                idleSince.remove(other);
                other.close();
            }
            s.preparing.merge(camera, 1, Integer::sum);
            connect(recorder, cameraId, s).onComplete(ar -> {
                synchronized (this) {
                    s.preparing.computeIfPresent(camera, (k, v) -> v > 1 ? v - 1 : null);
                }
                if (ar.succeeded()) {
                    release(ar.result(), true);
                }
            });
        }
    }

    /** Takes a connection back; {@code healthy} false (an error happened on it) closes it. */
    public synchronized void release(ImageServerConnection c, boolean healthy) {
        Slots s = recorders.get(key(c.recorder()));
        Waiter w = s.waiters.poll();
        if (!healthy || !c.isOpen()) {
            c.close();
            if (w != null) {
                connect(c.recorder(), w.cameraId(), s).onComplete(w.promise());
            } else {
                s.open--;
            }
            return;
        }
        if (w == null) {
            s.idle.add(c);
            idleSince.put(c, System.nanoTime());
        } else if (w.cameraId().equalsIgnoreCase(c.cameraId())) {
            fresh(c).onComplete(w.promise());
        } else {
            c.close();
            connect(c.recorder(), w.cameraId(), s).onComplete(w.promise());
        }
    }

    /** Requests waiting for a connection to a recorder: every one it may have is lent. */
    public synchronized int waiting(URI recorder) {
        Slots s = recorders.get(key(recorder));
        return s == null ? 0 : s.waiters.size();
    }

    /**
     * How many more connections to a recorder could be lent at once now without waiting: the bound
     * less those lent (idle ones, of any camera, can be reused or replaced); 0 while callers wait.
     */
    public synchronized int spare(URI recorder) {
        Slots s = recorders.get(key(recorder));
        if (s == null) {
            return maxPerRecorder;
        }
        return s.waiters.isEmpty() ? Math.max(0, maxPerRecorder - (s.open - s.idle.size())) : 0;
    }

    /** Connections open to a recorder, idle or lent (for tests and metrics). */
    public synchronized int open(URI recorder) {
        Slots s = recorders.get(key(recorder));
        return s == null ? 0 : s.open;
    }

    /** Closes the connections idle for longer than {@code maxIdle}. */
    synchronized void closeIdle(Duration maxIdle) {
        long now = System.nanoTime();
        for (Slots s : recorders.values()) {
            for (Iterator<ImageServerConnection> it = s.idle.iterator(); it.hasNext(); ) {
                ImageServerConnection c = it.next();
                Long since = idleSince.get(c);
                if (since == null || now - since >= maxIdle.toNanos()) {
                    it.remove();
                    idleSince.remove(c);
                    s.open--;
                    c.close();
                }
            }
        }
    }

    public synchronized void closeAll() {
        vertx.cancelTimer(sweepTimer);
        idleSince.clear();
        recorders.values().forEach(s -> {
            s.idle.forEach(ImageServerConnection::close);
            s.idle.clear();
        });
    }

    private Future<ImageServerConnection> connect(URI recorder, String cameraId, Slots s) {
        NetClient client = "https".equalsIgnoreCase(recorder.getScheme()) ? tls : plain;
        return tokens.token().compose(t -> ImageServerConnection.open(vertx, client, recorder, cameraId, t.value(),
                timeout, maxInFlight, jpeg)).onFailure(e -> {
                    synchronized (this) {
                        Waiter w = s.waiters.poll();
                        if (w != null) {
                            connect(recorder, w.cameraId(), s).onComplete(w.promise());
                        } else {
                            s.open--;
                        }
                    }
                });
    }

    /** The connection, renewed with {@code connectupdate} first if the VMS token changed since it logged in. */
    private Future<ImageServerConnection> fresh(ImageServerConnection c) {
        return tokens.token().compose(t -> t.value().equals(c.token()) ? Future.succeededFuture(c)
                : c.updateToken(t.value()).map(c).onFailure(e -> release(c, false)));
    }
}
