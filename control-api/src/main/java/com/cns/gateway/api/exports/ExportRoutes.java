package com.cns.gateway.api.exports;

import static com.cns.gateway.api.http.JsonResponses.send;

import com.cns.gateway.api.auth.AuditLog;
import com.cns.gateway.api.auth.Principal;
import com.cns.gateway.api.auth.Role;
import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.cameras.CameraSubRoutes;
import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.RequestReader;
import com.cns.gateway.api.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ExportRoutes serve evidence exports: {@code POST /api/v1/cameras/{id}/exports} starts one, and
 * {@code /api/v1/exports} lists them, reports one, serves its MP4 (with byte ranges) and its signed
 * manifest, cancels or removes it, and gives the public key manifests are signed with. Exports are
 * playback's: a viewer of the camera may export it, and sees only the exports of cameras in scope.
 * Creating, downloading and deleting leave audit rows naming the camera and the export.
 */
public final class ExportRoutes implements CameraSubRoutes {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final List<String> FORMATS = List.of("mp4");

    private final ExportService exports;
    private final CameraRepository cameras;
    private final AuditLog audit;

    public ExportRoutes(ExportService exports, CameraRepository cameras, AuditLog audit) {
        this.exports = exports;
        this.cameras = cameras;
        this.audit = audit;
    }

    /** {@code POST /api/v1/cameras/{id}/exports}. */
    @Override
    public void mount(Routes r) {
        r.post("/:id/exports", Role.VIEWER, this::create);
    }

    /** {@code /api/v1/exports...}. */
    public Router router(Vertx vertx, Routes.Table table, com.cns.gateway.api.auth.Access access) {
        Routes r = new Routes(Router.router(vertx), "/api/v1/exports", table, access, false);
        r.open(HttpMethod.GET, "/public-key", this::publicKey);
        r.get("/", Role.VIEWER, this::list);
        r.get("/:exportId", Role.VIEWER, this::one);
        r.get("/:exportId/file", Role.VIEWER, this::file);
        r.get("/:exportId/manifest", Role.VIEWER, this::manifest);
        r.delete("/:exportId", Role.VIEWER, this::delete);
        return r.router();
    }

    private void create(RoutingContext ctx) {
        UUID id = RequestReader.pathUuid(ctx, "id");
        JsonObject body = RequestReader.body(ctx, false);
        var start = RequestReader.instant("startTime", RequestReader.string(body, "startTime", 64));
        var end = RequestReader.instant("endTime", RequestReader.string(body, "endTime", 64));
        String format = RequestReader.string(body, "format", 16);
        format = format == null ? "mp4" : format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new ApiError(400, "format '" + format + "' is not one of " + String.join(", ", FORMATS),
                    new JsonObject().put("supportedFormats", new JsonArray(FORMATS)));
        }
        boolean burn = Boolean.TRUE.equals(RequestReader.bool(body, "burnTimestamp"));
        String description = RequestReader.string(body, "description", 2000);
        Principal who = Principal.of(ctx);
        String fmt = format;
        cameras.require(id).compose(camera -> exports.create(camera, start, end, fmt, burn, description, who))
                .onSuccess(job -> {
                    audit.record(ctx, who.username(), who.role(), "export.create", id, "success",
                            job.exportId() + " " + start + "/" + end);
                    ctx.response().putHeader("Location", "/api/v1/exports/" + job.exportId());
                    send(ctx, 202, job.toJson());
                }).onFailure(ctx::fail);
    }

    private void list(RoutingContext ctx) {
        String cameraParam = ctx.queryParams().get("camera");
        UUID camera = null;
        if (cameraParam != null) {
            try {
                camera = UUID.fromString(cameraParam);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("camera must be a camera id (a UUID), got '" + cameraParam + "'");
            }
        }
        String statusParam = ctx.queryParams().get("status");
        ExportJob.Status status = null;
        if (statusParam != null) {
            try {
                status = ExportJob.Status.of(statusParam);
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "status '" + statusParam + "' is not one of queued, in_progress, completed, "
                        + "failed, cancelled", new JsonObject().put("field", "status"));
            }
        }
        int limit = RequestReader.queryInt(ctx, "limit", 100, 1, 1000);
        int offset = RequestReader.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        Principal who = Principal.of(ctx);
        exports.jobs().list(camera, status, who.cameras(), limit, offset).onSuccess(jobs -> {
            JsonArray out = new JsonArray();
            jobs.forEach(j -> out.add(j.toJson()));
            send(ctx, 200, new JsonObject().put("exports", out).put("limit", limit).put("offset", offset));
        }).onFailure(ctx::fail);
    }

    private Future<Boolean> inScope(Principal who, ExportJob job) {
        if (who.cameras().all() || who.cameras().ids().contains(job.cameraId())) {
            return Future.succeededFuture(true);
        }
        return cameras.source(job.cameraId()).map(source -> source.isPresent()
                && who.cameras().allows(job.cameraId(), source.get()));
    }

    /** The job the path names, if the caller's scope holds its camera (404 as if it did not exist otherwise). */
    private Future<ExportJob> job(RoutingContext ctx) {
        String exportId = ctx.pathParam("exportId");
        Principal who = Principal.of(ctx);
        return exports.require(exportId).compose(job -> inScope(who, job).map(ok -> {
            if (!ok) {
                throw ApiError.notFound("export " + exportId + " not found");
            }
            return job;
        }));
    }

    private void one(RoutingContext ctx) {
        job(ctx).onSuccess(j -> send(ctx, 200, j.toJson())).onFailure(ctx::fail);
    }

    private static ExportJob completed(ExportJob j) {
        if (j.status() != ExportJob.Status.COMPLETED) {
            throw new ApiError(409, "export " + j.exportId() + " is " + j.status().label() + ", not completed"
                    + (j.error() == null ? "" : ": " + j.error()), new JsonObject().put("status", j.status().label()));
        }
        return j;
    }

    private void manifest(RoutingContext ctx) {
        job(ctx).map(ExportRoutes::completed).onSuccess(j -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Disposition", "attachment; filename=\"" + j.fileName().replace(".mp4", ".manifest.json") + "\"")
                .putHeader("Cache-Control", "private, no-cache")
                .end(j.manifest())).onFailure(ctx::fail);
    }

    private void publicKey(RoutingContext ctx) {
        exports.signer().onSuccess(s -> {
            if ("application/json".equals(ctx.request().getHeader("Accept"))) {
                send(ctx, 200, new JsonObject().put("algorithm", "Ed25519").put("publicKeyPem", s.publicKeyPem())
                        .put("publicKey", s.publicKeyBase64()));
            } else {
                ctx.response().putHeader("Content-Type", "application/x-pem-file").end(s.publicKeyPem());
            }
        }).onFailure(ctx::fail);
    }

    private void file(RoutingContext ctx) {
        Principal who = Principal.of(ctx);
        job(ctx).map(ExportRoutes::completed).onSuccess(j -> {
            Path file = exports.file(j);
            ctx.vertx().fileSystem().exists(file.toString()).onSuccess(exists -> {
                if (!exists) {
                    ctx.fail(new ApiError(404, "the file of export " + j.exportId() + " is not on this instance ("
                            + "written by " + j.ownerInstance() + "); instances of a cluster must share EXPORT_DIR"));
                    return;
                }
                long size = j.sizeBytes();
                long from = 0;
                long to = size - 1;
                String range = ctx.request().getHeader("Range");
                var res = ctx.response();
                res.putHeader("Accept-Ranges", "bytes").putHeader("Content-Type", "video/mp4")
                        .putHeader("Content-Disposition", "attachment; filename=\"" + j.fileName() + "\"")
                        .putHeader("ETag", "\"" + j.sha256() + "\"").putHeader("Cache-Control", "private, max-age=3600");
                if (range != null) {
                    Matcher m = RANGE.matcher(range.trim());
                    boolean ok = m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty());
                    if (ok) {
                        if (m.group(1).isEmpty()) {
                            from = Math.max(0, size - Long.parseLong(m.group(2)));
                        } else {
                            from = Long.parseLong(m.group(1));
                            to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                        }
                        ok = from <= to && from < size;
                    }
                    if (!ok) {
                        res.putHeader("Content-Range", "bytes */" + size);
                        ctx.fail(new ApiError(416, "Range '" + range + "' is not satisfiable: the file has " + size
                                + " bytes; ask for one range such as bytes=0-1023"));
                        return;
                    }
                    res.setStatusCode(206).putHeader("Content-Range", "bytes " + from + "-" + to + "/" + size);
                }
                if (from == 0) {
                    audit.record(ctx, who.username(), who.role(), "export.download", j.cameraId(), "success",
                            j.exportId() + (range == null ? "" : " " + range));
                }
                res.sendFile(file.toString(), from, to - from + 1).onFailure(e -> {
                    if (!res.ended()) {
                        ctx.fail(e);
                    }
                });
            }).onFailure(ctx::fail);
        }).onFailure(ctx::fail);
    }

    private void delete(RoutingContext ctx) {
        Principal who = Principal.of(ctx);
        job(ctx).compose(j -> exports.cancelOrDelete(j.id()).map(done -> {
            audit.record(ctx, who.username(), who.role(), "export.delete", j.cameraId(), "success",
                    j.exportId() + (j.status().finished() ? " removed" : " cancelled"));
            return done;
        })).onSuccess(done -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }
}
