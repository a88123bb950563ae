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
    void ntlmWantsADomainUserAndAsksTheIdpDirectly() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "MILESTONE_AUTH_TYPE", "ntlm", "MILESTONE_BASE_URL", "https://xp.example.com", "MILESTONE_USERNAME", "svc",
                "MILESTONE_PASSWORD", "p")));
        assertTrue(e.getMessage().contains("DOMAIN\\user"), e.getMessage());
        MilestoneSettings m = ConfigLoader.load(Map.of("MILESTONE_AUTH_TYPE", "ntlm", "MILESTONE_BASE_URL",
                "https://xp.example.com", "MILESTONE_USERNAME", "CORP\\svc", "MILESTONE_PASSWORD", "p")).milestone();
        assertEquals("https://xp.example.com/IDP/connect/token",
                m.tokenEndpoint(java.net.URI.create("https://xp.example.com")).toString());
    }

    @Test
    void secretsComeFromFilesAndNeverShow(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path pw = dir.resolve("pw");
        java.nio.file.Files.writeString(pw, "from-a-file-secret\n");
        java.nio.file.Path url = dir.resolve("url");
        java.nio.file.Files.writeString(url, "postgresql://cns:dbpass@db:5432/cns?sslmode=require\n");
        GatewayConfig c = ConfigLoader.load(Map.of("MILESTONE_BASE_URL", "https://xp.example.com", "MILESTONE_USERNAME",
                "u", "MILESTONE_PASSWORD_FILE", pw.toString(), "DATABASE_URL_FILE", url.toString(),
                "AUTH_ADMIN_PASSWORD_FILE", pw.toString()));
        assertEquals("from-a-file-secret", c.milestone().password());
        assertEquals("from-a-file-secret", c.auth().adminPassword().orElseThrow());
        assertEquals("dbpass", c.database().url().orElseThrow().password());
        assertEquals("require", c.database().url().orElseThrow().sslMode());
        assertTrue(c.database().url().orElseThrow().jdbcUrl().endsWith("?sslmode=require"));
        ConfigException both = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "AUTH_ADMIN_PASSWORD", "x".repeat(20), "AUTH_ADMIN_PASSWORD_FILE", pw.toString())));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "MILESTONE_PASSWORD_FILE", dir.resolve("nope").toString())));
        assertTrue(missing.getMessage().contains("cannot be read"), missing.getMessage());
        ConfigException shortPw = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "AUTH_ADMIN_PASSWORD", "short-one")));
        assertFalse(shortPw.getMessage().contains("short-one"), shortPw.getMessage());
    }

    @Test
    void limitsAreStatedInTheReadmesUnits() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(
                "AUTH_ACCESS_TOKEN_TTL", "0s", "HTTP_HEADER_TIMEOUT", "10m")));
        assertTrue(e.getMessage().contains("AUTH_ACCESS_TOKEN_TTL must be between 1s and 24h, got 0s"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP_HEADER_TIMEOUT must be between 100ms and 5m, got 10m"), e.getMessage());
        assertFalse(e.getMessage().contains("PT"), e.getMessage());
    }

    @Test
    void oidcNeedsItsIssuerAndAudience() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of("AUTH_MODE", "oidc")));
        assertTrue(e.getMessage().contains("AUTH_OIDC_ISSUER is required"), e.getMessage());
        assertTrue(e.getMessage().contains("AUTH_OIDC_AUDIENCE is required"), e.getMessage());
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
