package com.cns.gateway.api.auth;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Access is the gate every authenticated route passes, in order: who is asking (a bearer token, or
 * on playback routes a signed URL), within the user's rate limit, whether the camera the path names
 * is in the user's scope (404 when not, as if it did not exist), whether the role allows the action
 * (403 naming the role needed, audited), and, for audited actions, a row once the answer is sent.
 */
public final class Access {
    /** What the scope check needs to know of a camera: its source, or empty when there is no such camera. */
    public interface CameraSources extends Function<UUID, Future<Optional<String>>> {
    }

    private final TokenVerifier tokens;
    private final UrlSigner signer;
    private final RateLimiter rate;
    private final AuditLog audit;
    private final CameraSources cameras;

    public Access(TokenVerifier tokens, UrlSigner signer, RateLimiter rate, AuditLog audit, CameraSources cameras) {
        this.tokens = tokens;
        this.signer = signer;
        this.rate = rate;
        this.audit = audit;
        this.cameras = cameras;
    }

    public TokenVerifier tokens() {
        return tokens;
    }

    /**
     * Binds the request's principal: from {@code Authorization: Bearer}, or when {@code signedUrls}
     * from a URL {@link UrlSigner} signed (scoped to the camera of that URL alone).
     */
    public Handler<RoutingContext> authenticate(boolean signedUrls, String routeClass) {
        return ctx -> {
            String header = ctx.request().getHeader("Authorization");
            Future<Principal> who;
            if (header != null) {
                if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
                    ctx.fail(AuthenticationException.invalid("The Authorization header must be 'Bearer <token>'"));
                    return;
                }
                who = tokens.verify(header.substring(7).trim()).map(TokenVerifier.Verified::principal);
            } else if (signedUrls && ctx.queryParams().contains("h")) {
                UrlSigner.Verdict v = signer.verify(ctx.request().path(), ctx.queryParams());
                if (!v.valid()) {
                    audit.record(ctx, v.user(), null, "auth.signature", cameraOf(ctx), "denied", v.problem());
                    ctx.fail(new SignatureException(v.problem()));
                    return;
                }
                UUID camera = cameraOf(ctx);
                who = Future.succeededFuture(new Principal(v.user(), Role.VIEWER,
                        new CameraScope(false, Set.of(), camera == null ? Set.of() : Set.of(camera))));
            } else {
                ctx.fail(AuthenticationException.missing(signedUrls
                        ? "Sign in: send 'Authorization: Bearer <token>', or use the signed playlistUrl of playback/control"
                        : "Sign in: send 'Authorization: Bearer <token>' (POST /api/v1/auth/login gives one)"));
                return;
            }
            who.onSuccess(p -> {
                long wait = rate.tryConsume(p.username(), routeClass);
                if (wait > 0) {
                    ctx.fail(new TooManyRequestsException("Too many requests for " + p.username() + "; slow down", wait));
                    return;
                }
                p.bind(ctx);
                ctx.next();
            }).onFailure(e -> {
                if (e instanceof AuthenticationException a && a.code() != null) {
                    audit.record(ctx, null, null, "auth.token", cameraOf(ctx), "denied", a.getMessage());
                }
                ctx.fail(e);
            });
        };
    }

    /** A path's camera that the principal's scope does not hold answers 404 as an unknown camera would. */
    public Handler<RoutingContext> cameraInScope() {
        return ctx -> {
            UUID id = cameraOf(ctx);
            Principal p = Principal.of(ctx);
            if (id == null || p.cameras().all()) {
                ctx.next();
                return;
            }
            if (p.cameras().ids().contains(id)) {
                ctx.next();
                return;
            }
            cameras.apply(id).onSuccess(source -> {
                if (source.isPresent() && !p.cameras().allows(id, source.get())) {
                    ctx.fail(new com.cns.gateway.api.errors.CameraNotFoundException(id));
                } else {
                    ctx.next();
                }
            }).onFailure(ctx::fail);
        };
    }

    /** The principal's role must include {@code needed}; a refusal is audited. */
    public Handler<RoutingContext> require(Role needed, String action) {
        return ctx -> {
            Principal p = Principal.of(ctx);
            if (p.role().includes(needed)) {
                ctx.next();
                return;
            }
            String what = ctx.request().method() + " " + ctx.request().path();
            audit.record(ctx, p.username(), p.role(), action == null ? "access" : action, cameraOf(ctx), "denied",
                    what + " needs " + needed.label());
            ctx.fail(new ForbiddenException(needed, p.role(), what));
        };
    }

    /** One audit row for the action once the answer is sent: success below 400, denied at 401/403, else failure. */
    public Handler<RoutingContext> audited(String action) {
        return ctx -> {
            Principal p = Principal.of(ctx);
            UUID camera = cameraOf(ctx);
            ctx.addEndHandler(v -> {
                int status = ctx.response().getStatusCode();
                String outcome = status < 400 ? "success" : status == 401 || status == 403 ? "denied" : "failure";
                audit.record(ctx, p.username(), p.role(), action, camera, outcome, "HTTP " + status);
            });
            ctx.next();
        };
    }

    private static UUID cameraOf(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        if (raw == null || !ctx.request().path().startsWith("/api/v1/cameras/")) {
            return null;
        }
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }
}
