package com.cns.gateway.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * DatabaseUrl is a parsed {@code postgresql://user:password@host:port/database} URL. Its
 * {@link #toString()} never shows the password.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

    static DatabaseUrl parse(URI u) {
        String user = "postgres";
        String password = null;
        if (u.getRawUserInfo() != null) {
            String[] parts = u.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
        return new DatabaseUrl(u.getHost(), u.getPort() > 0 ? u.getPort() : 5432,
                path.isEmpty() ? "postgres" : path, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
    }
}
