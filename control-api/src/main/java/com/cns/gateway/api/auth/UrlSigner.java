package com.cns.gateway.api.auth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * UrlSigner signs playback URLs so that stock players, which send no headers, can fetch a playlist
 * and its segments. A signed URL carries {@code u} (the user it was signed for), {@code e} (expiry,
 * epoch seconds), {@code h} (HMAC-SHA256 of expiry, path and user, which the gateway checks) and
 * {@code s} (the same in the form nginx's {@code secure_link} module checks:
 * base64url(MD5("$e$uri$u SECRET")), so an nginx cache in front keys on the path alone and never
 * serves a segment to an unsigned request). The secret is {@code AUTH_URL_SIGNING_SECRET}, or one
 * made once in PostgreSQL and shared by every instance.
 */
public final class UrlSigner {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final Clock clock;
    private volatile byte[] secret;

    public UrlSigner(Clock clock) {
        this.clock = clock;
    }

    /** The configured secret, or the shared one in PostgreSQL (made by the first instance that asks). */
    public Future<Void> start(Pool pool, Optional<String> configured) {
        if (configured.isPresent()) {
            secret = configured.get().getBytes(StandardCharsets.UTF_8);
            return Future.succeededFuture();
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        String text = B64.encodeToString(fresh);
        return pool.preparedQuery("INSERT INTO gateway_shared_secrets (name, secret, created_at) VALUES ('url', $1, $2) "
                        + "ON CONFLICT (name) DO NOTHING")
                .execute(Tuple.of(Buffer.buffer(text), clock.instant().atOffset(ZoneOffset.UTC)))
                .compose(v -> pool.query("SELECT secret FROM gateway_shared_secrets WHERE name = 'url'").execute())
                .map(rows -> {
                    secret = rows.iterator().next().getBuffer(0).getBytes();
                    return null;
                });
    }

    /** The query string ({@code u=…&e=…&h=…&s=…}) that signs {@code path} for {@code user} until {@code expires}. */
    public String sign(String path, String user, Instant expires) {
        long e = expires.getEpochSecond();
        return "u=" + user + "&e=" + e + "&h=" + hmac(path, user, e) + "&s=" + secureLink(path, user, e);
    }

    /** An expiry {@code ttl} from now, rounded up to the next 5 minutes so that URIs stay the same across reloads. */
    public Instant expiry(Duration ttl) {
        long t = clock.instant().plus(ttl).getEpochSecond();
        return Instant.ofEpochSecond((t + 299) / 300 * 300);
    }

    /** Whether the request's query signs {@code path}. */
    public Verdict verify(String path, MultiMap query) {
        String u = query.get("u");
        String e = query.get("e");
        String h = query.get("h");
        if (u == null || e == null || h == null) {
            return new Verdict(false, false, null, "The signature is incomplete: it needs u, e and h");
        }
        long expires;
        try {
            expires = Long.parseLong(e);
        } catch (NumberFormatException bad) {
            return new Verdict(false, false, u, "The signature's expiry 'e' is not a number");
        }
        if (!MessageDigest.isEqual(hmac(path, u, expires).getBytes(StandardCharsets.US_ASCII),
                h.getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict(false, false, u, "The signature does not match this URL");
        }
        if (clock.instant().getEpochSecond() > expires) {
            return new Verdict(false, true, u, "The signed URL expired at " + Instant.ofEpochSecond(expires));
        }
        return new Verdict(true, false, u, null);
    }

    /** The outcome of a check: valid, or why not. */
    public record Verdict(boolean valid, boolean expired, String user, String problem) {
    }

    private String hmac(String path, String user, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal((expires + "\n" + path + "\n" + user).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private String secureLink(String path, String user, long expires) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((expires + path + user + " ").getBytes(StandardCharsets.UTF_8));
            md5.update(secret);
            return B64.encodeToString(md5.digest());
        } catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
