package com.cns.gateway.api.auth;

import com.cns.gateway.api.errors.ConflictException;
import com.cns.gateway.api.errors.NotFoundException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * AuthService signs users in and out (AUTH_MODE=local) and lets admins manage them: a login checks the
 * bcrypt hash on a worker thread, under the {@link LoginLimiter}, and answers an access token and a
 * refresh token; a refresh spends its token for a new pair; a logout revokes it. Every login, failed
 * or not, and every logout leaves an audit row.
 */
public final class AuthService {
    private static final java.util.regex.Pattern USERNAME = java.util.regex.Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    /** What a login or refresh answers. */
    public record Session(String accessToken, long expiresInSeconds, String refreshToken, User user) {
    }

    /** A user as an admin creates or changes it; null fields are left as they are on a change. */
    public record UserInput(String username, String password, Role role, CameraScope cameras) {
    }

    private final Vertx vertx;
    private final UserRepository users;
    private final RefreshTokens refreshTokens;
    private final LocalTokens tokens;
    private final PasswordHasher hasher;
    private final LoginLimiter limiter;
    private final AuditLog audit;
    private final int minPasswordLength;
    private final Clock clock;

    public AuthService(Vertx vertx, UserRepository users, RefreshTokens refreshTokens, LocalTokens tokens,
                       PasswordHasher hasher, LoginLimiter limiter, AuditLog audit, int minPasswordLength, Clock clock) {
        this.vertx = vertx;
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.tokens = tokens;
        this.hasher = hasher;
        this.limiter = limiter;
        this.audit = audit;
        this.minPasswordLength = minPasswordLength;
        this.clock = clock;
    }

    public Future<Session> login(String username, String password, String address) {
        long wait = limiter.retryAfterSeconds(username, address);
        if (wait > 0) {
            return audit.record(username, null, "auth.login", null, "denied", address, "locked out for " + wait + " s")
                    .compose(v -> Future.failedFuture(new TooManyRequestsException("Too many failed logins for "
                            + username + " or from this address; try again in " + wait + " s", wait)));
        }
        return users.find(username).compose(found -> vertx.executeBlocking(() ->
                        hasher.matches(password, found.map(User::passwordHash).orElse(null)) && found.isPresent())
                .compose(ok -> {
                    if (!ok) {
                        limiter.failed(username, address);
                        return audit.record(username, found.map(User::role).orElse(null), "auth.login", null,
                                "failure", address, found.isPresent() ? "wrong password" : "unknown user")
                                .compose(v -> Future.failedFuture(new AuthenticationException("invalid_credentials",
                                        "Wrong user name or password")));
                    }
                    limiter.succeeded(username);
                    User u = found.get();
                    return audit.record(u.username(), u.role(), "auth.login", null, "success", address, null)
                            .compose(v -> session(u));
                }));
    }

    public Future<Session> refresh(String refreshToken, String address) {
        return refreshTokens.spend(refreshToken).compose(owner -> owner.isEmpty()
                ? Future.failedFuture(new AuthenticationException("invalid_grant",
                        "The refresh token is not valid: unknown, expired, revoked or already used"))
                : users.find(owner.get()).compose(u -> u.isEmpty()
                        ? Future.failedFuture(new AuthenticationException("invalid_grant", "The user no longer exists"))
                        : session(u.get())));
    }

    /** Revokes the refresh token; a token that is no longer live is not an error (a second logout). */
    public Future<Void> logout(String refreshToken, String address) {
        return refreshTokens.spend(refreshToken).compose(owner -> owner.isEmpty() ? Future.succeededFuture()
                : users.find(owner.get()).compose(u -> audit.record(u.map(User::username).orElse(null),
                        u.map(User::role).orElse(null), "auth.logout", null, "success", address, null)));
    }

    private Future<Session> session(User u) {
        return refreshTokens.issue(u.id()).map(refresh -> new Session(tokens.issue(u.principal()),
                tokens.ttl().toSeconds(), refresh, u));
    }

    public Future<List<User>> list(int limit, int offset) {
        return users.list(limit, offset);
    }

    public Future<Long> count() {
        return users.count();
    }

    public Future<User> get(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            return Future.failedFuture(new NotFoundException("No user " + username));
        }
        return users.find(username).compose(u -> u.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new NotFoundException("No user " + username))));
    }

    public Future<User> create(UserInput in) {
        if (in.username() == null || !USERNAME.matcher(in.username()).matches()) {
            return Future.failedFuture(new com.cns.gateway.api.errors.InvalidFieldException("username",
                    "Field 'username' must be 1 to 64 letters, digits or . _ @ -", null));
        }
        return checkPassword(in.password()).compose(v -> vertx.executeBlocking(() -> hasher.hash(in.password())))
                .compose(hash -> users.insert(new User(UUID.randomUUID(), in.username(), hash, in.role(), in.cameras(),
                        clock.instant(), clock.instant())))
                .compose(u -> u.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
                        new ConflictException("A user with this name exists", "username", in.username()))));
    }

    /** Changes a user's password, role or cameras; a new password ends the user's sessions (refresh tokens). */
    public Future<User> update(String username, UserInput in) {
        return get(username).compose(u -> {
            Future<String> hash = in.password() == null ? Future.succeededFuture(u.passwordHash())
                    : checkPassword(in.password()).compose(v -> vertx.executeBlocking(() -> hasher.hash(in.password())));
            Future<Void> admins = u.role() == Role.ADMIN && in.role() != null && in.role() != Role.ADMIN
                    ? lastAdminGuard(u) : Future.succeededFuture();
            return admins.compose(v -> hash).compose(h -> users.update(new User(u.id(), u.username(), h,
                            in.role() == null ? u.role() : in.role(), in.cameras() == null ? u.cameras() : in.cameras(),
                            u.createdAt(), clock.instant())))
                    .compose(o -> in.password() == null ? Future.succeededFuture(o)
                            : refreshTokens.revokeAll(u.id()).map(o))
                    .compose(o -> o.map(Future::succeededFuture)
                            .orElseGet(() -> Future.failedFuture(new NotFoundException("No user " + username))));
        });
    }

    public Future<Void> delete(String username) {
        return get(username).compose(u -> (u.role() == Role.ADMIN ? lastAdminGuard(u) : Future.<Void>succeededFuture())
                .compose(v -> users.delete(u.id())).mapEmpty());
    }

    private Future<Void> lastAdminGuard(User u) {
        return users.otherAdmins(u.id()).compose(n -> n > 0 ? Future.succeededFuture()
                : Future.failedFuture(new ConflictException("The last admin cannot be removed or demoted", "username",
                        u.username())));
    }

    private Future<Void> checkPassword(String password) {
        if (password == null || password.length() < minPasswordLength) {
            return Future.failedFuture(new com.cns.gateway.api.errors.InvalidFieldException("password",
                    "Field 'password' must be at least " + minPasswordLength + " characters", null));
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PasswordHasher.MAX_BYTES) {
            return Future.failedFuture(new com.cns.gateway.api.errors.InvalidFieldException("password",
                    "Field 'password' must be at most " + PasswordHasher.MAX_BYTES + " bytes", null));
        }
        return Future.succeededFuture();
    }

}
