package com.cns.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.gateway.testsupport.GatewayLauncher.RouteInfo;
import com.cns.xprotect.simulator.SimulatorOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * 10,000 malformed requests on raw sockets: random methods, paths made from the router's own routes
 * with bad parameters, junk and oversized headers, bodies of wrong JSON shapes, bad UTF-8, huge and
 * truncated ones. None may answer 5xx, none may log at SEVERE, and the gateway must be ready after.
 * The seed is printed, so a failure can be replayed.
 */
class FuzzApiTest {
    private static final int REQUESTS = 10_000;
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
        "BREW", "G=T", "get"};
    private static final String[] BAD_PARAMS = {"x", "%00", "..%2F..%2Fetc%2Fpasswd", "%ZZ", "%C3%28", "%FF%FE",
        "null", "-1", "1e309", "NaN", "\u0000", "' OR 1=1 --", "<script>", "9".repeat(400), "a".repeat(3000),
        "%E2%80%AE", "sync_x", "sync_" + UUID.randomUUID(), "00000000-0000-0000-0000-000000000000"};
    private static final String[] QUERY_KEYS = {"time", "endTime", "speed", "format", "playlistType", "limit", "offset",
        "startTime", "resolution", "source", "recording", "ptz", "search", "from", "to", "user", "camera", "action",
        "access_token", "u", "e", "h", "s"};
    private static final String[] QUERY_VALUES = {"", "-8", "0", "1", "8", "2.5", "yesterday", "2026-11-30T10:00:00Z",
        "2999-01-01T00:00:00Z", "1e999", "mjpeg", "vod", "true", "maybe", "%C3%28", "ARMY", "METRO", "-1",
        "99999999999999999999", "minute", "hour", "day", "decade"};
    private static final String[] BODIES = {"{}", "[]", "null", "1", "\"x\"", "{\"duration\":\"15m\"}",
        "{\"duration\":1e309}", "{\"duration\":-1}", "{\"duration\":30}", "{\"milestoneDeviceId\":[]}",
        "{\"name\":null}", "{\"location\":{\"latitude\":\"n\"}}", "{\"location\":{\"latitude\":91,\"longitude\":0}}",
        "{\"action\":\"seek\",\"timestamp\":\"nope\"}", "{\"action\":\"play\",\"timestamp\":\"2026-11-29T10:00:00Z\",\"speed\":3}",
        "{\"username\":\"admin\",\"password\":\"x\"}", "{\"username\":{},\"password\":[]}", "{\"refreshToken\":123}",
        "{\"startTime\":\"2026-11-29T10:00:00Z\",\"endTime\":\"2026-11-28T10:00:00Z\"}", "{\"role\":\"god\"}",
        "{\"cameras\":\"*\"}", "{\"sourceFilter\":1,\"autoImport\":\"yes\"}", "{\"a\":", "{\"a\":\"\\ud800\"}",
        "{" + "\"a\":{".repeat(2000) + "}".repeat(2001)};

    @Test
    void tenThousandMalformedRequestsGetNoServerErrorAndTheGatewayStaysReady() throws Exception {
        try (GatewayHarness gw = new GatewayHarness(SimulatorOptions.defaults(),
                Map.of("AUTH_REQUESTS_PER_MINUTE", "10000000", "HTTP_HEADER_TIMEOUT", "2s"))) {
            String device = gw.simulator.site().cameras().get(0).id();
            String camera = gw.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}")
                    .json().getString("id");
            List<RouteInfo> routes = gw.routes();
            String token = gw.http.token();
            int port = Integer.parseInt(gw.http.base().replaceAll(".*:", ""));
            long seed = Long.getLong("fuzz.seed", System.nanoTime());
            System.out.println("FuzzApiTest seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
            ConcurrentLinkedQueue<String> severe = new ConcurrentLinkedQueue<>();
            Handler watch = new Handler() {
                @Override
                public void publish(LogRecord r) {
                    if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                        severe.add(r.getLoggerName() + ": " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger.getLogger("").addHandler(watch);
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    Random random = new Random(seed + t);
                    work.add(pool.submit(() -> {
                        for (int i = 0; i < REQUESTS / 8; i++) {
                            byte[] request = request(random, routes, camera, token);
                            boolean truncated = random.nextInt(40) == 0;
                            int status = send(port, request, truncated);
                            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                            if (status >= 500) {
                                serverErrors.add(status + " for " + new String(request, 0, Math.min(300, request.length),
                                        StandardCharsets.ISO_8859_1).replace("\r\n", " | "));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
                Logger.getLogger("").removeHandler(watch);
            }
            System.out.println("FuzzApiTest statuses " + new java.util.TreeMap<>(statuses));
            assertTrue(serverErrors.isEmpty(), serverErrors.size() + " server errors, e.g. "
                    + serverErrors.stream().limit(10).toList());
            assertTrue(severe.isEmpty(), "logged at SEVERE: " + severe.stream().limit(10).toList());
            int answered = statuses.entrySet().stream().filter(e -> e.getKey() > 0).mapToInt(e -> e.getValue().get()).sum();
            assertTrue(answered > REQUESTS * 0.8, "most requests were answered: " + statuses);
            assertEquals(200, gw.http.anonymous().get("/health/ready").status());
            assertEquals(200, gw.http.get("/api/v1/cameras").status());
        }
    }

    /** One random request's bytes. */
    private static byte[] request(Random r, List<RouteInfo> routes, String camera, String token) {
        RouteInfo route = routes.get(r.nextInt(routes.size()));
        // Mostly the route's own method, so that most requests reach its handler, not the 405.
        String method = r.nextInt(10) < 7 ? route.method() : METHODS[r.nextInt(METHODS.length)];
        StringBuilder path = new StringBuilder();
        for (String part : route.path().split("/", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            path.append('/');
            if (part.startsWith(":")) {
                int pick = r.nextInt(4);
                path.append(pick == 0 ? camera : pick == 1 ? UUID.randomUUID().toString() : BAD_PARAMS[r.nextInt(BAD_PARAMS.length)]);
            } else {
                path.append(r.nextInt(30) == 0 ? part.toUpperCase() : part);
            }
        }
        if (path.isEmpty() || r.nextInt(20) == 0) {
            path.append("/").append(BAD_PARAMS[r.nextInt(BAD_PARAMS.length)]);
        }
        int params = r.nextInt(4);
        for (int i = 0; i < params; i++) {
            path.append(i == 0 ? '?' : '&').append(QUERY_KEYS[r.nextInt(QUERY_KEYS.length)]).append('=')
                    .append(r.nextBoolean() ? QUERY_VALUES[r.nextInt(QUERY_VALUES.length)] : BAD_PARAMS[r.nextInt(BAD_PARAMS.length)]);
        }
        byte[] body = body(r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        int auth = r.nextInt(10);
        if (auth < 7) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        } else if (auth == 7) {
            head.append("Authorization: ").append(BAD_PARAMS[r.nextInt(BAD_PARAMS.length)]).append("\r\n");
        }
        if (r.nextInt(4) == 0) {
            head.append("Content-Type: ").append(r.nextBoolean() ? "application/json" : "text/plain; charset=\u00ff").append("\r\n");
        }
        if (r.nextInt(15) == 0) {
            head.append("X-Junk: ").append("j".repeat(r.nextInt(12_000))).append("\r\n");
        }
        if (r.nextInt(25) == 0) {
            head.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: x\r\n");
        }
        if (body != null) {
            if (r.nextInt(12) == 0) {
                head.append("Transfer-Encoding: chunked\r\n\r\n");
                out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
                out.writeBytes((r.nextBoolean() ? Integer.toHexString(body.length) : "zz").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(body);
                out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return out.toByteArray();
            }
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] body(Random r) {
        int kind = r.nextInt(10);
        if (kind < 3) {
            return null;
        }
        if (kind < 7) {
            return BODIES[r.nextInt(BODIES.length)].getBytes(StandardCharsets.UTF_8);
        }
        if (kind == 7) {
            byte[] junk = new byte[r.nextInt(2000)];
            r.nextBytes(junk); // mostly invalid UTF-8
            return junk;
        }
        if (kind == 8) {
            return ("{\"name\":\"" + "\u0645".repeat(r.nextInt(200_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        return new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    }

    /** Sends a request and reads the status of its answer: 0 when the gateway closed without one. */
    private static int send(int port, byte[] request, boolean truncated) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            if (truncated) {
                out.write(request, 0, request.length / 2);
                out.flush();
                return 0;
            }
            try {
                out.write(request);
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the gateway may answer (413, 431) and close before the whole body is sent
            }
            InputStream in = s.getInputStream();
            byte[] line = new byte[12];
            int n = 0;
            while (n < 12) {
                int k = in.read(line, n, 12 - n);
                if (k < 0) {
                    break;
                }
                n += k;
            }
            String text = new String(line, 0, n, StandardCharsets.ISO_8859_1);
            return text.startsWith("HTTP/1.") && n >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
