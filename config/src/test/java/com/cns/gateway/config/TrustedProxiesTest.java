package com.cns.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private final TrustedProxies nginx = TrustedProxies.parse("10.0.0.5, 172.16.0.0/12, fd00::/8");

    @Test
    void addressesAndBlocksOfBothFamiliesAreTrusted() {
        assertTrue(nginx.trusts("10.0.0.5"));
        assertFalse(nginx.trusts("10.0.0.6"));
        assertTrue(nginx.trusts("172.31.255.1"));
        assertFalse(nginx.trusts("172.32.0.1"));
        assertTrue(nginx.trusts("fd12:3456::1"));
        assertFalse(nginx.trusts("2001:db8::1"));
        assertFalse(nginx.trusts("localhost"), "names are never looked up");
    }

    @Test
    void theClientIsTheRightMostForwardedAddressThatIsNoTrustedProxy() {
        assertEquals("203.0.113.7", nginx.client("10.0.0.5", "203.0.113.7"));
        // A client can put anything on the left; the hop nginx added is the right-most untrusted one.
        assertEquals("203.0.113.7", nginx.client("10.0.0.5", "1.2.3.4, 203.0.113.7"));
        assertEquals("203.0.113.7", nginx.client("10.0.0.5", "203.0.113.7, 172.16.0.9"), "through two proxies");
        assertEquals("198.51.100.1", nginx.client("198.51.100.1", "203.0.113.7"), "an untrusted peer's header is ignored");
        assertEquals("10.0.0.5", nginx.client("10.0.0.5", null));
        assertEquals("10.0.0.5", nginx.client("10.0.0.5", "not-an-address"), "garbage names no client");
        assertEquals("203.0.113.7", TrustedProxies.none().client("203.0.113.7", "1.2.3.4"), "none trusted by default");
    }

    @Test
    void badEntriesAreRefusedAtStartNamingTheEntry() {
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("nginx"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/x"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "HTTP_TRUSTED_PROXIES", "10.0.0.1,proxy.example.com")));
        assertTrue(e.getMessage().contains("HTTP_TRUSTED_PROXIES: 'proxy.example.com'"), e.getMessage());
    }
}
