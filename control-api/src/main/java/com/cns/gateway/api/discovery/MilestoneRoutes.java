package com.cns.gateway.api.discovery;

import static com.cns.gateway.api.http.JsonResponses.send;

import com.cns.gateway.api.auth.Access;
import com.cns.gateway.api.auth.Principal;
import com.cns.gateway.api.auth.Role;
import com.cns.gateway.api.http.Routes;
import io.vertx.core.http.HttpMethod;
import com.cns.gateway.api.cameras.CameraRepository;
import com.cns.gateway.api.cameras.CameraSource;
import com.cns.gateway.api.cameras.MilestoneCameraMapper;
import com.cns.gateway.api.errors.NotFoundException;
import com.cns.gateway.api.http.ApiError;
import com.cns.gateway.api.http.RequestReader;
import com.cns.gateway.milestone.rest.XProtectCameraDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * MilestoneRoutes serves {@code /api/v1/milestone}: the discovery list of XProtect's cameras, bulk
 * sync jobs, and their progress.
 */
public final class MilestoneRoutes {
    private final XProtectCameraDirectory directory;
    private final CameraRepository cameras;
    private final SyncJobRunner runner;
    private final SyncHistoryRepository history;
    private final MilestoneCameraMapper mapper;

    public MilestoneRoutes(XProtectCameraDirectory directory, CameraRepository cameras, SyncJobRunner runner,
                           SyncHistoryRepository history, MilestoneCameraMapper mapper) {
        this.directory = directory;
        this.cameras = cameras;
        this.runner = runner;
        this.history = history;
        this.mapper = mapper;
    }

    public Router router(Vertx vertx, Routes.Table table, Access access) {
        Routes r = new Routes(Router.router(vertx), "/api/v1/milestone", table, access, false);
        r.get("/cameras", Role.ADMIN, this::list);
        r.audited(HttpMethod.POST, "/sync-all", Role.ADMIN, "camera.sync_all", this::syncAll);
        r.get("/sync-jobs/:id", Role.ADMIN, this::job);
        return r.router();
    }

    private void list(RoutingContext ctx) {
        var filter = new MilestoneCameraList.Filter(RequestReader.queryBool(ctx, "recording"),
                RequestReader.queryBool(ctx, "ptz"), RequestReader.queryBool(ctx, "imported"), blankToNull(ctx.queryParams().get("search")),
                RequestReader.queryInt(ctx, "limit", 100, 1, 1000),
                RequestReader.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE));
        Future.all(directory.cameras(), cameras.importedDeviceIds()).onSuccess(cf -> send(ctx, 200,
                MilestoneCameraList.render(cf.resultAt(0), cf.resultAt(1), filter, mapper::rtspUrl)))
                .onFailure(ctx::fail);
    }

    private void syncAll(RoutingContext ctx) {
        JsonObject b = RequestReader.body(ctx, true);
        String source = RequestReader.string(b, "sourceFilter", 64);
        Boolean autoImport = RequestReader.bool(b, "autoImport");
        CameraSource filter = source == null ? null : CameraSource.parse("sourceFilter", source);
        runner.start(filter, autoImport != null && autoImport, Principal.of(ctx).username()).onSuccess(job -> {
            ctx.response().putHeader("Location", "/api/v1/milestone/sync-jobs/" + job.publicId());
            send(ctx, 202, SyncJobJson.started(job));
        }).onFailure(ctx::fail);
    }

    private void job(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        UUID id;
        try {
            if (!raw.startsWith(SyncJob.ID_PREFIX)) {
                throw new IllegalArgumentException();
            }
            id = UUID.fromString(raw.substring(SyncJob.ID_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Path parameter 'id' must be a sync job id like sync_<uuid>, got '" + raw + "'");
        }
        history.find(id).onSuccess(o -> {
            if (o.isEmpty()) {
                ctx.fail(new NotFoundException("No sync job " + raw));
            } else {
                send(ctx, 200, SyncJobJson.of(o.get()));
            }
        }).onFailure(ctx::fail);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

}
