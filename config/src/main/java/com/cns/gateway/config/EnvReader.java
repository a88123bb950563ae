package com.cns.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EnvReader reads typed values from an environment map and collects one message per bad value,
 * so that a misconfigured start reports every problem at once. Values are never echoed for names
 * marked secret.
 */
final class EnvReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvReader(Map<String, String> env) {
        this.env = env;
    }

    List<String> problems() {
        return problems;
    }

    void problem(String message) {
        problems.add(message);
    }

    String string(String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /**
     * A value whose content must never appear in a message or a log line, from {@code NAME} or from the
     * file {@code NAME_FILE} names (Docker and systemd secrets; one trailing newline is dropped).
     */
    String secret(String name, String fallback) {
        String file = string(name + "_FILE", null);
        if (file != null) {
            if (env.get(name) != null && !env.get(name).isEmpty()) {
                problems.add("Set " + name + " or " + name + "_FILE, not both");
            }
            try {
                String v = java.nio.file.Files.readString(Path.of(file));
                v = v.endsWith("\r\n") ? v.substring(0, v.length() - 2) : v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
                return v.isEmpty() ? fallback : v;
            } catch (java.io.IOException | RuntimeException e) {
                problems.add(name + "_FILE names a file that cannot be read: " + file);
                return fallback;
            }
        }
        String v = env.get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    /** A duration as the README writes it: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    int integer(String name, int fallback, int min, int max) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + n);
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + v + "'");
            return fallback;
        }
    }

    boolean bool(String name, boolean fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on":
                return true;
            case "false", "no", "0", "off":
                return false;
            default:
                problems.add(name + " must be true or false, got '" + v + "'");
                return fallback;
        }
    }

    /**
     * A duration written as a number with an optional unit (ms, s, m, h); a bare number is in
     * {@code bareUnit}, since the plan's variables mix seconds ({@code MILESTONE_SESSION_TIMEOUT=3600})
     * and suffixed values ({@code MILESTONE_RETRY_DELAY=5s}).
     */
    Duration duration(String name, Duration fallback, String bareUnit, Duration min, Duration max) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            problems.add(name + " must be a duration such as 500ms, 5s, 2m or 1h, got '" + v + "'");
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? bareUnit : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problems.add(name + " must be between " + human(min) + " and " + human(max) + ", got " + v);
            return fallback;
        }
        return d;
    }

    /** An absolute http(s) or other URL with a host; {@code schemes} lists the accepted schemes. */
    URI url(String name, List<String> schemes) {
        String v = string(name, null);
        if (v == null) {
            return null;
        }
        return parseUrl(name, v, schemes);
    }

    URI parseUrl(String name, String v, List<String> schemes) {
        try {
            URI u = new URI(v);
            if (u.getScheme() == null || !schemes.contains(u.getScheme().toLowerCase(Locale.ROOT))
                    || u.getHost() == null) {
                problems.add(name + " must be an absolute URL starting with " + String.join("://, ", schemes)
                        + "://, got '" + redactUserInfo(v) + "'");
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            problems.add(name + " is not a valid URL: " + e.getReason());
            return null;
        }
    }

    Path path(String name, Path fallback) {
        String v = string(name, null);
        return v == null ? fallback : Path.of(v);
    }

    <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        problems.add(name + " must be one of " + String.join(", ", names) + ", got '" + v + "'");
        return fallback;
    }

    /** A number that must be one of {@code allowed} (2, 2.0 and 2.00 alike). */
    double oneOf(String name, double fallback, List<Double> allowed) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (allowed.contains(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        List<String> names = new ArrayList<>();
        for (double d : allowed) {
            names.add(d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d));
        }
        problems.add(name + " must be one of " + String.join(", ", names) + ", got '" + v + "'");
        return fallback;
    }

    /** Hides a password written into a URL's user-info before it reaches a message. */
    static String redactUserInfo(String url) {
        return url.replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
    }
}
