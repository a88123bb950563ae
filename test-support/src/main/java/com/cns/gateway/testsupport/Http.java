package com.cns.gateway.testsupport;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Http is a small blocking HTTP client for end-to-end tests, as a REST client author would call the API. */
public final class Http {
    /** An answer: status, headers and body. */
    public record Answer(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient client = CLIENT;
    private final String base;
    private final String token;

    /** A client that sends no token, as an anonymous caller would. */
    public Http(String base) {
        this(base, null);
    }

    private Http(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Signs in with {@code POST /api/v1/auth/login}: a client that sends the access token it got. */
    public Http signIn(String username, String password) throws Exception {
        Answer a = anonymous().post("/api/v1/auth/login", new JsonObject().put("username", username)
                .put("password", password).encode());
        if (a.status() != 200) {
            throw new AssertionError("sign-in as " + username + " answered " + a.status() + ": " + a.body());
        }
        return withToken(a.json().getString("accessToken"));
    }

    /** This client with another bearer token (null: none). */
    public Http withToken(String accessToken) {
        return new Http(base, accessToken);
    }

    /** This client without a token. */
    public Http anonymous() {
        return new Http(base, null);
    }

    /** The same caller on another server (a second instance). */
    public Http at(String otherBase) {
        return new Http(otherBase, token);
    }

    /** The bearer token this client sends, or null. */
    public String token() {
        return token;
    }

    public String base() {
        return base;
    }

    public Answer get(String path) throws Exception {
        return send("GET", path, null);
    }

    public Answer post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    public Answer put(String path, String body) throws Exception {
        return send("PUT", path, body);
    }

    public Answer delete(String path) throws Exception {
        return send("DELETE", path, null);
    }

    /** A request with a JSON body (or none), and more request headers as name/value pairs. */
    public Answer send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers(), r.body());
    }

    /** A GET whose body is bytes (segments, pictures), with optional request headers as name/value pairs. */
    public HttpResponse<byte[]> bytes(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        boolean authorization = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            authorization |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (token != null && !authorization) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
