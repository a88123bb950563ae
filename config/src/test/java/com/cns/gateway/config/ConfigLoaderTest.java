package com.cns.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void emptyEnvironmentGivesEmbeddedDefaults() {
        GatewayConfig c = ConfigLoader.load(Map.of());
        assertEquals(8080, c.http().port());
        assertTrue(c.database().url().isEmpty());
        assertTrue(c.milestone().baseUrl().isEmpty());
        assertEquals(MilestoneAuthType.BASIC, c.milestone().authType());
        assertTrue(c.milestone().tls().verify());
        assertTrue(c.dataDir().isAbsolute());
    }

    @Test
    void everyBadValueIsReportedOnceWithItsName() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "HTTP_PORT", "eighty",
                "MILESTONE_BASE_URL", "ftp://x",
                "MILESTONE_RETRY_DELAY", "soon",
                "MILESTONE_TLS_VERIFY", "maybe",
                "DATABASE_URL", "mysql://h/db")));
        assertEquals(5, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP_PORT must be a whole number"));
        assertTrue(e.getMessage().contains("MILESTONE_BASE_URL must be an absolute URL"));
        assertTrue(e.getMessage().contains("MILESTONE_RETRY_DELAY must be a duration"));
        assertTrue(e.getMessage().contains("MILESTONE_TLS_VERIFY must be true or false"));
        assertTrue(e.getMessage().contains("DATABASE_URL"));
    }

    @Test
    void baseUrlNeedsCredentialsAndSecretsNeverPrinted() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "MILESTONE_BASE_URL", "https://xprotect.example", "MILESTONE_PASSWORD", "hunter2")));
        assertTrue(e.getMessage().contains("MILESTONE_USERNAME is required"));
        assertFalse(e.getMessage().contains("hunter2"));

        GatewayConfig c = ConfigLoader.load(Map.of("MILESTONE_BASE_URL", "https://xprotect.example",
                "MILESTONE_USERNAME", "api", "MILESTONE_PASSWORD", "hunter2",
                "DATABASE_URL", "postgresql://cns:s3cret@db:5433/cns"));
        assertFalse(c.toString().contains("hunter2"));
        assertFalse(c.toString().contains("s3cret"));
        assertEquals("jdbc:postgresql://db:5433/cns", c.database().url().orElseThrow().jdbcUrl());
        assertEquals("s3cret", c.database().url().orElseThrow().password());
    }

    @Test
    void badDatabaseUrlMessageHidesItsPassword() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("DATABASE_URL", "mysql://u:topsecret@h/db")));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    @Test
    void ntlmIsNamedAsNotYetSupported() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("MILESTONE_AUTH_TYPE", "ntlm")));
        assertTrue(e.getMessage().contains("ntlm"));
    }

    @Test
    void durationsAcceptBareSecondsAndUnits() {
        GatewayConfig c = ConfigLoader.load(Map.of("MILESTONE_SESSION_TIMEOUT", "3600",
                "MILESTONE_RETRY_DELAY", "5s", "MILESTONE_REQUEST_TIMEOUT", "1500ms"));
        assertEquals(Duration.ofHours(1), c.milestone().sessionTimeout());
        assertEquals(Duration.ofSeconds(5), c.milestone().retryDelay());
        assertEquals(Duration.ofMillis(1500), c.milestone().requestTimeout());
    }

    @Test
    void recorderOverridesParseAndRejectMalformedEntries() {
        GatewayConfig c = ConfigLoader.load(Map.of("MILESTONE_RECORDER_URI_OVERRIDES",
                "RS-01.corp.local=https://10.0.0.5:7563/, 9f21d63b-6693-4dfc-ad0c-829f27ef9315=http://rs2:7563/"));
        assertEquals(URI.create("https://10.0.0.5:7563/"), c.milestone().recorderOverrides().get("rs-01.corp.local"));
        assertEquals(2, c.milestone().recorderOverrides().size());
        GatewayConfig hostOnly = ConfigLoader.load(Map.of("MILESTONE_RECORDER_URI_OVERRIDES", "rs.internal=10.0.0.9"));
        assertEquals(URI.create("//10.0.0.9"), hostOnly.milestone().recorderOverrides().get("rs.internal"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("MILESTONE_RECORDER_URI_OVERRIDES", "justahost")));
        assertTrue(e.getMessage().contains("<recorder id or host>=<url>"));
    }
}
