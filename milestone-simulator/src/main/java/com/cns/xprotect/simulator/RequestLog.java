package com.cns.xprotect.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * RequestLog remembers the most recent requests the simulator saw, so that a test can verify what
 * the gateway asked (how often a token was requested, whether paging went on until exhausted).
 */
public final class RequestLog {
    /** One request as seen: method, path with query, and the SOAP action or form grant if any. */
    public record Entry(long atMillis, String method, String uri, String action) {
    }

    private static final int CAPACITY = 10_000;
    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized void add(Entry e) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(e);
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** How many requests had a path (without query) starting with {@code prefix}. */
    public synchronized long count(String method, String prefix) {
        return entries.stream().filter(e -> e.method().equals(method) && e.uri().startsWith(prefix)).count();
    }

    public synchronized void clear() {
        entries.clear();
    }

    synchronized JsonArray toJson() {
        JsonArray a = new JsonArray();
        entries.forEach(e -> a.add(new JsonObject().put("at", e.atMillis()).put("method", e.method())
                .put("uri", e.uri()).put("action", e.action())));
        return a;
    }
}
