package com.cns.gateway.api.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
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

    private final Pool pool;
    private final PgSubscriber subscriber;
    private final Set<ServerWebSocket> clients = ConcurrentHashMap.newKeySet();

    public EventHub(Vertx vertx, Pool pool, PgConnectOptions connectOptions) {
        this.pool = pool;
        this.subscriber = PgSubscriber.subscriber(vertx, connectOptions)
                .reconnectPolicy(retries -> retries < 1000 ? 500L : -1L);
    }

    public Future<Void> start() {
        subscriber.channel(CHANNEL).handler(payload -> {
            try {
                broadcastLocal(new JsonObject(payload));
            } catch (RuntimeException e) {
                LOG.warning("Unreadable event on " + CHANNEL + ": " + e.getMessage());
            }
        });
        return subscriber.connect();
    }

    public Future<Void> stop() {
        clients.forEach(ServerWebSocket::close);
        return subscriber.close();
    }

    /** Publishes an event to the clients of every instance, once. */
    public Future<Void> publish(JsonObject event) {
        return pool.preparedQuery("SELECT pg_notify('" + CHANNEL + "', $1)").execute(Tuple.of(event.encode()))
                .mapEmpty();
    }

    /** Sends an event to this instance's clients only. */
    public void broadcastLocal(JsonObject event) {
        String text = event.encode();
        for (ServerWebSocket ws : clients) {
            if (!ws.isClosed() && !ws.writeQueueFull()) {
                ws.writeTextMessage(text);
            }
        }
    }

    /** Adopts a client that upgraded {@code /ws}; it leaves when it closes. */
    public void register(ServerWebSocket ws) {
        clients.add(ws);
        ws.closeHandler(v -> clients.remove(ws));
        ws.exceptionHandler(e -> clients.remove(ws));
        // Clients only listen; anything they send is ignored.
        ws.handler(b -> { });
    }

    public int clientCount() {
        return clients.size();
    }
}
