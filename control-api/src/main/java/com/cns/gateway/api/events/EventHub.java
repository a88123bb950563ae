package com.cns.gateway.api.events;

import com.cns.gateway.api.auth.Access;
import com.cns.gateway.api.auth.Principal;
import com.cns.gateway.api.auth.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * EventHub delivers events to the WebSocket clients of {@code /ws} on every instance. An event that
 * happens once (a recording started or stopped) is published with PostgreSQL {@code NOTIFY} and
 * reaches each instance, this one included, through its {@code LISTEN}; so every client gets it
 * once, whichever instance it is connected to. Events that every instance computes for itself
 * (progress) go only to local clients.
 */
public final class EventHub {
    private static final Logger LOG = Logger.getLogger(EventHub.class.getName());
    static final String CHANNEL = "cns_events";

    private final Vertx vertx;
    private final Pool pool;
    private final PgSubscriber subscriber;
    private final Map<ServerWebSocket, Client> clients = new ConcurrentHashMap<>();
    private final Access.CameraSources cameras;
    private TokenVerifier tokens;

    /** One connected client: who it is, and the timer that closes it when its token expires. */
    private static final class Client {
        volatile Principal principal;
        volatile long expiryTimer = -1;

        Client(Principal principal) {
            this.principal = principal;
        }
    }

    public EventHub(Vertx vertx, Pool pool, PgConnectOptions connectOptions, Access.CameraSources cameras) {
        this.vertx = vertx;
        this.cameras = cameras;
        this.pool = pool;
        this.subscriber = PgSubscriber.subscriber(vertx, connectOptions)
                .reconnectPolicy(retries -> retries < 1000 ? 500L : -1L);
    }

    private long pinger = -1;

    public Future<Void> start() {
        // A ping every 15 s keeps quiet clients' connections from the HTTP idle timeout (and tells dead ones).
        pinger = vertx.setPeriodic(15_000, t -> clients.keySet().forEach(ws -> {
            if (!ws.isClosed()) {
                ws.writePing(io.vertx.core.buffer.Buffer.buffer("cns"));
            }
        }));
        subscriber.channel(CHANNEL).handler(payload -> {
            try {
                broadcastLocal(new JsonObject(payload));
            } catch (RuntimeException e) {
                LOG.warning("Unreadable event on " + CHANNEL + ": " + e.getMessage());
            }
        });
        return subscriber.connect();
    }

    /** The verifier of the tokens a client sends to stay connected past its first token's expiry. */
    public void tokens(TokenVerifier tokens) {
        this.tokens = tokens;
    }

    public Future<Void> stop() {
        if (pinger >= 0) {
            vertx.cancelTimer(pinger);
        }
        clients.keySet().forEach(ServerWebSocket::close);
        return subscriber.close();
    }

    /** Publishes an event to the clients of every instance, once. */
    public Future<Void> publish(JsonObject event) {
        return pool.preparedQuery("SELECT pg_notify('" + CHANNEL + "', $1)").execute(Tuple.of(event.encode()))
                .mapEmpty();
    }

    /**
     * Sends an event to this instance's clients only: an event about a camera goes to the clients whose
     * camera scope holds it (an unknown camera's to those who see every camera).
     */
    public void broadcastLocal(JsonObject event) {
        String text = event.encode();
        UUID camera = cameraOf(event);
        boolean everyoneSeesAll = clients.values().stream().allMatch(c -> c.principal.cameras().all());
        if (camera == null || everyoneSeesAll) {
            clients.forEach((ws, c) -> send(ws, text));
            return;
        }
        cameras.apply(camera).onComplete(ar -> {
            String source = ar.succeeded() ? ar.result().orElse(null) : null;
            clients.forEach((ws, c) -> {
                if (c.principal.cameras().allows(camera, source)) {
                    send(ws, text);
                }
            });
        });
    }

    private static void send(ServerWebSocket ws, String text) {
        if (!ws.isClosed() && !ws.writeQueueFull()) {
            ws.writeTextMessage(text);
        }
    }

    private static UUID cameraOf(JsonObject event) {
        try {
            String id = event.getString("cameraId");
            return id == null ? null : UUID.fromString(id);
        } catch (RuntimeException notAnId) {
            return null;
        }
    }

    /**
     * Adopts a client that upgraded {@code /ws} with a verified token; it leaves when it closes, and is
     * closed (1008, policy) when its token expires, unless it sent a newer one first as
     * {@code {"type":"refresh","accessToken":"…"}}.
     */
    public void register(ServerWebSocket ws, TokenVerifier.Verified who) {
        Client c = new Client(who.principal());
        clients.put(ws, c);
        expireAt(ws, c, who.expiresAt());
        ws.closeHandler(v -> leave(ws));
        ws.exceptionHandler(e -> leave(ws));
        ws.textMessageHandler(text -> {
            JsonObject msg;
            try {
                msg = new JsonObject(text);
            } catch (RuntimeException notJson) {
                return;
            }
            if ("refresh".equals(msg.getString("type")) && tokens != null && msg.getValue("accessToken") instanceof String t) {
                tokens.verify(t).onSuccess(fresh -> {
                    if (!fresh.principal().username().equals(c.principal.username())) {
                        ws.close((short) 1008, "The new token is of another user");
                        return;
                    }
                    c.principal = fresh.principal();
                    expireAt(ws, c, fresh.expiresAt());
                    ws.writeTextMessage(new JsonObject().put("type", "refreshed")
                            .put("expiresAt", fresh.expiresAt().toString()).encode());
                }).onFailure(e -> ws.writeTextMessage(new JsonObject().put("type", "error")
                        .put("error", e.getMessage()).encode()));
            }
        });
    }

    private void expireAt(ServerWebSocket ws, Client c, java.time.Instant at) {
        if (c.expiryTimer >= 0) {
            vertx.cancelTimer(c.expiryTimer);
        }
        long delay = Math.max(1, at.toEpochMilli() - System.currentTimeMillis());
        if (at.getEpochSecond() < Long.MAX_VALUE / 2000) {
            c.expiryTimer = vertx.setTimer(delay, t -> ws.close((short) 1008, "Token expired"));
        }
    }

    private void leave(ServerWebSocket ws) {
        Client c = clients.remove(ws);
        if (c != null && c.expiryTimer >= 0) {
            vertx.cancelTimer(c.expiryTimer);
        }
    }

    public int clientCount() {
        return clients.size();
    }
}
