package com.cns.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.testsupport.GatewayHarness;
import com.cns.xprotect.simulator.SimulatorOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Clients that never finish their headers, or go quiet, are let go instead of holding connections. */
class SlowClientsTest {

    @Test
    void threeHundredClientsThatNeverFinishTheirHeadersAreClosedWithinTheHeaderTimeout() throws Exception {
        try (GatewayHarness gw = new GatewayHarness(SimulatorOptions.defaults(),
                Map.of("HTTP_HEADER_TIMEOUT", "2s", "HTTP_IDLE_TIMEOUT", "4s"))) {
            int port = Integer.parseInt(gw.http.base().replaceAll(".*:", ""));
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                // One more byte a second keeps each connection from being idle: only the header timeout lets go.
                long start = System.nanoTime();
                int open = slow.size();
                while (open > 0 && System.nanoTime() - start < 8_000_000_000L) {
                    Thread.sleep(1000);
                    open = 0;
                    for (Socket s : slow) {
                        if (stillOpen(s)) {
                            open++;
                        }
                    }
                }
                assertEquals(0, open, "connections held after " + (System.nanoTime() - start) / 1_000_000 + " ms");
                // A client that finished its headers in time is answered as ever.
                assertEquals(200, gw.http.anonymous().get("/health/live").status());
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            // An idle keep-alive connection is closed after HTTP_IDLE_TIMEOUT.
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(10_000);
                byte[] buf = new byte[4096];
                long t0 = System.nanoTime();
                int n = s.getInputStream().read(buf);
                assertTrue(n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
                while (s.getInputStream().read(buf) >= 0) {
                    // drain until the gateway closes
                }
                long idleMs = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(idleMs >= 3000 && idleMs < 8000, "closed after " + idleMs + " ms idle");
            }
        }
    }

    /** Writes one more header byte; false once the gateway has closed the connection. */
    private static boolean stillOpen(Socket s) {
        try {
            s.getOutputStream().write('X');
            s.getOutputStream().flush();
            s.setSoTimeout(1);
            int r = s.getInputStream().read();
            return r >= 0;
        } catch (SocketTimeoutException stillWaiting) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}
