package com.cns.gateway.api.http;

import com.cns.gateway.api.auth.AuthenticationException;
import com.cns.gateway.api.auth.ForbiddenException;
import com.cns.gateway.api.auth.SignatureException;
import com.cns.gateway.api.auth.TooManyRequestsException;
import com.cns.gateway.api.cameras.CameraGoneException;
import com.cns.gateway.api.cameras.CameraStatus;
import com.cns.gateway.api.errors.ConflictException;
import com.cns.gateway.api.errors.InvalidFieldException;
import com.cns.gateway.api.errors.NotFoundException;
import com.cns.gateway.api.errors.UpstreamRefusedException;
import com.cns.gateway.api.recordings.AlreadyRecordingException;
import com.cns.gateway.api.recordings.RecordingJson;
import com.cns.gateway.media.cache.ProductionsFullException;
import com.cns.gateway.media.playback.CameraNotSyncedException;
import com.cns.gateway.media.playback.NothingRecordedException;
import com.cns.gateway.media.playback.UnsupportedCodecException;
import com.cns.gateway.milestone.XProtectAuthenticationException;
import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XProtectUnavailableException;
import com.cns.gateway.transcoder.transcode.TranscodeException;
import static com.cns.gateway.api.http.JsonResponses.send;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * ApiFailureHandler renders every failure of the API as JSON with the right status: the services'
 * typed exceptions (not found, conflict, invalid field, refused upstream) and the routes' {@link ApiError}s; XProtect being unreachable as 503 with {@code Retry-After};
 * an XProtect answer the gateway cannot use as 502; routing failures (404, 405, 413) in the same
 * shape; anything else as 500, logged with its stack trace.
 */
public final class ApiFailureHandler implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(ApiFailureHandler.class.getName());

    private final Routes.Table routes;

    /** {@code routes}: the declared routes, whose methods a 405 lists in {@code Allow}. */
    public ApiFailureHandler(Routes.Table routes) {
        this.routes = routes;
    }

    /** Whether Netty's HTTP decoder threw it: the client sent broken HTTP (a bad chunk size, a bad header). */
    private static boolean malformedHttp(Throwable t) {
        if (t == null) {
            return false;
        }
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(6, frames.length); i++) {
            if (frames[i].getClassName().startsWith("io.netty.handler.codec.")) {
                return true;
            }
        }
        return t instanceof io.netty.handler.codec.DecoderException;
    }

    private static JsonObject error(Throwable e) {
        return new JsonObject().put("error", e.getMessage());
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Throwable t = ctx.failure();
        if (t instanceof ApiError e) {
            send(ctx, e.status(), e.body());
        } else if (t instanceof AuthenticationException e) {
            // RFC 6750 section 3: the scheme, and why a token was refused when one came.
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"cns-media-gateway\""
                    + (e.code() == null ? "" : ", error=\"" + e.code() + "\", error_description=\""
                    + e.getMessage().replace("\"", "'") + "\""));
            send(ctx, 401, error(e).put("reason", e.code() == null ? "missing_token" : e.code()));
        } else if (t instanceof ForbiddenException e) {
            send(ctx, 403, error(e).put("requiredRole", e.needed().label()).put("role", e.role().label()));
        } else if (t instanceof SignatureException e) {
            send(ctx, 403, error(e).put("reason", "bad_signature"));
        } else if (t instanceof TooManyRequestsException e) {
            ctx.response().putHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            send(ctx, 429, error(e).put("retryAfterSeconds", e.retryAfterSeconds()));
        } else if (t instanceof AlreadyRecordingException e) {
            send(ctx, 409, RecordingJson.alreadyRecording(e));
        } else if (t instanceof ConflictException e) {
            send(ctx, 409, error(e).put(e.subjectField(), e.subject()));
        } else if (t instanceof CameraGoneException e) {
            send(ctx, 404, error(e).put("cameraId", e.cameraId().toString()).put("status", CameraStatus.ERROR.name()));
        } else if (t instanceof NotFoundException e) {
            send(ctx, 404, error(e));
        } else if (t instanceof InvalidFieldException e) {
            JsonObject body = error(e).put("field", e.field());
            if (e.max() != null) {
                body.put("max" + Character.toUpperCase(e.field().charAt(0)) + e.field().substring(1), e.max());
            }
            send(ctx, 400, body);
        } else if (t instanceof UpstreamRefusedException e) {
            send(ctx, 502, error(e));
        } else if (t instanceof NothingRecordedException e) {
            send(ctx, 404, new JsonObject().put("error", e.getMessage()));
        } else if (t instanceof ProductionsFullException e) {
            ctx.response().putHeader("Retry-After", "1");
            send(ctx, 503, new JsonObject().put("error", e.getMessage()).put("retryAfterSeconds", 1));
        } else if (t instanceof TranscodeException e) {
            LOG.warning(ctx.request().method() + " " + ctx.request().path() + ": 502, " + e.getMessage());
            send(ctx, 502, new JsonObject().put("error", "The recorded frames could not be decoded")
                    .put("detail", e.getMessage()));
        } else if (t instanceof CameraNotSyncedException e) {
            send(ctx, 409, new JsonObject().put("error", e.getMessage()));
        } else if (t instanceof UnsupportedCodecException e) {
            send(ctx, 415, new JsonObject().put("error", e.getMessage()).put("codec", e.codec().label)
                    .put("supportedCodecs", new io.vertx.core.json.JsonArray().add("H.264").add("H.265 (HEVC)")
                            .add("JPEG")));
        } else if (t instanceof XProtectUnavailableException e) {
            long retry = Math.max(1, (long) Math.ceil(e.retryAfter().toMillis() / 1000.0));
            ctx.response().putHeader("Retry-After", Long.toString(retry));
            String what = t instanceof XProtectAuthenticationException ? "XProtect refused the gateway's login"
                    : "XProtect is unavailable";
            send(ctx, 503, new JsonObject().put("error", what).put("detail", e.getMessage())
                    .put("retryAfterSeconds", retry));
        } else if (t instanceof XProtectException e) {
            LOG.warning(ctx.request().method() + " " + ctx.request().path() + ": 502, " + e.getMessage());
            send(ctx, 502, new JsonObject().put("error", "XProtect gave an answer the gateway cannot use")
                    .put("detail", e.getMessage()));
        } else if (t instanceof io.vertx.core.http.HttpClosedException) {
            // The client went away mid-request: there is no one to answer.
            ctx.response().reset();
        } else if (t instanceof io.vertx.ext.web.handler.HttpException e) {
            send(ctx, e.getStatusCode(), new JsonObject().put("error", e.getStatusCode() == 400
                    ? "Bad request: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
                    : e.getMessage()));
        } else if (t instanceof java.nio.charset.IllegalCharsetNameException
                || t instanceof java.nio.charset.UnsupportedCharsetException) {
            send(ctx, 400, new JsonObject().put("error", "The Content-Type names a charset that does not exist: "
                    + t.getMessage() + "; send JSON as UTF-8"));
        } else if (malformedHttp(t)) {
            ctx.response().putHeader("Connection", "close");
            send(ctx, 400, new JsonObject().put("error", "The request is malformed HTTP: " + t.getMessage()));
        } else if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                && pg.getSqlState().startsWith("22")) {
            // PostgreSQL's data exceptions: a value it cannot store (a NUL character, an out-of-range number).
            send(ctx, 400, new JsonObject().put("error", "A value of the request cannot be stored: "
                    + pg.getErrorMessage()));
        } else if (t != null) {
            LOG.log(Level.SEVERE, "Unhandled failure on " + ctx.request().method() + " " + ctx.request().path(), t);
            send(ctx, 500, new JsonObject().put("error", "Internal error"));
        } else {
            int status = ctx.statusCode();
            if (status == 405) {
                String allow = String.join(", ", routes.methodsOf(ctx.request().path()));
                ctx.response().putHeader("Allow", allow);
                send(ctx, 405, new JsonObject().put("error", "Method " + ctx.request().method() + " is not allowed on "
                        + ctx.request().path() + "; allowed: " + allow).put("allowed",
                        new io.vertx.core.json.JsonArray(routes.methodsOf(ctx.request().path()))));
                return;
            }
            String message = switch (status) {
                case 404 -> "No such resource: " + ctx.request().path();
                case 405 -> "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path();
                case 413 -> "Request body too large: the limit is " + (com.cns.gateway.api.ApiRouter.MAX_BODY_BYTES / 1024)
                        + " KiB";
                case 400 -> "Bad request";
                default -> "HTTP " + status;
            };
            send(ctx, status, new JsonObject().put("error", message));
        }
    }

}
