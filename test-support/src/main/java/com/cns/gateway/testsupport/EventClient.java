package com.cns.gateway.testsupport;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** EventClient is a dashboard's WebSocket on {@code /ws}: it keeps every event it receives. */
public final class EventClient implements AutoCloseable {
    private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    private final List<JsonObject> seen = new ArrayList<>();
    private final WebSocket ws;

    /** Connects to {@code /ws} of the gateway {@code http} calls, with its token. */
    public EventClient(Http http) throws Exception {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (http.token() != null) {
            builder.header("Authorization", "Bearer " + http.token());
        }
        ws = builder.buildAsync(URI.create(http.base().replaceFirst("^http", "ws") + "/ws"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            events.add(new JsonObject(partial.toString()));
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    /** The next event of {@code type} (others are kept in {@link #seen()}), or an assertion error. */
    public JsonObject next(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no " + type + " event within " + timeout + "; saw " + seen);
            }
            seen.add(e);
            if (type.equals(e.getString("type"))) {
                return e;
            }
        }
    }

    /** Every event received so far, including those not yet taken by {@link #next}. */
    public List<JsonObject> seen() {
        List<JsonObject> all = new ArrayList<>(seen);
        events.drainTo(all);
        seen.clear();
        seen.addAll(all);
        return all;
    }

    @Override
    public void close() {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
