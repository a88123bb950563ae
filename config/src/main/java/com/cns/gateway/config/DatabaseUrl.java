package com.cns.gateway.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * DatabaseUrl is a parsed {@code postgresql://user:password@host:port/database[?sslmode=…]} URL;
 * {@code sslmode} ({@code disable}, {@code allow}, {@code prefer}, {@code require}, {@code verify-ca},
 * {@code verify-full}; null: the drivers' default) asks for TLS to PostgreSQL. Its
 * {@link #toString()} never shows the password.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password, String sslMode) {
    private static final java.util.List<String> SSL_MODES = java.util.List.of("disable", "allow", "prefer", "require",
            "verify-ca", "verify-full");

    public DatabaseUrl(String host, int port, String database, String user, String password) {
        this(host, port, database, user, password, null);
    }

    static DatabaseUrl parse(URI u) {
        String user = "postgres";
        String password = null;
        if (u.getRawUserInfo() != null) {
            String[] parts = u.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
        String ssl = null;
        if (u.getQuery() != null) {
            for (String kv : u.getQuery().split("&")) {
                if (kv.startsWith("sslmode=")) {
                    ssl = kv.substring("sslmode=".length());
                    if (!SSL_MODES.contains(ssl)) {
                        throw new IllegalArgumentException("sslmode must be one of " + String.join(", ", SSL_MODES)
                                + ", got '" + ssl + "'");
                    }
                }
            }
        }
        return new DatabaseUrl(u.getHost(), u.getPort() > 0 ? u.getPort() : 5432,
                path.isEmpty() ? "postgres" : path, user, password, ssl);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (sslMode == null ? "" : "?sslmode=" + sslMode);
    }

    @Override
    public String toString() {
        return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
    }
}
