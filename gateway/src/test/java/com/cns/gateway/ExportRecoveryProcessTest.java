package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.support.MediaProbe;
import com.cns.gateway.support.SimulatorProcess;
import com.cns.gateway.testsupport.GatewayProcess;
import com.cns.gateway.testsupport.Http;
import com.cns.gateway.testsupport.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An export survives the death of the instance writing it: the gateway is killed with SIGKILL
 * mid-export (the simulator and PostgreSQL run on), and a new gateway process takes the job over once
 * its lease runs out, writes it again from the start and completes it. The half-written file is never
 * served: while the job runs its file answers 409, and the completed file is whole (ffmpeg reads every
 * frame the manifest counts, the SHA-256 matches and the manifest verifies).
 */
class ExportRecoveryProcessTest {

    @Test
    void anExportWhoseInstanceIsKilledIsTakenOverAndCompletedWhole() throws Exception {
        Path dir = Files.createTempDirectory("cns-export-recovery");
        try (SimulatorProcess simulator = SimulatorProcess.start(dir.resolve("sim.log"))) {
            String simUrl = simulator.url;
            Map<String, String> env = Map.of("DATABASE_URL", TestDatabase.newDatabaseUrl(),
                    "MILESTONE_BASE_URL", simUrl, "MILESTONE_USERNAME", "admin",
                    "MILESTONE_PASSWORD", "admin", "DATA_DIR", dir.toString(), "EXPORT_LEASE", "3s");
            String exportId;
            String camera;
            try (GatewayProcess first = GatewayProcess.start(env, dir.resolve("gw1.log"))) {
                first.awaitReady(Duration.ofSeconds(60));
                String device = first.http.get("/api/v1/milestone/cameras?limit=1").json().getJsonArray("cameras")
                        .getJsonObject(0).getString("id");
                Http.Answer imported = first.http.post("/api/v1/cameras/import", "{\"milestoneDeviceId\":\"" + device + "\"}");
                assertEquals(201, imported.status(), imported.body());
                camera = imported.json().getString("id");
                Instant[] range = longRecording(first.http, camera);
                Http.Answer a = first.http.post("/api/v1/cameras/" + camera + "/exports", new JsonObject()
                        .put("startTime", range[0].toString()).put("endTime", range[1].toString()).encode());
                assertEquals(202, a.status(), a.body());
                exportId = a.json().getString("exportId");
                JsonObject job = null;
                for (int i = 0; i < 300; i++) {
                    job = first.http.get("/api/v1/exports/" + exportId).json();
                    if (job.getJsonObject("progress").getLong("processedMs") > 0) {
                        break;
                    }
                    Thread.sleep(50);
                }
                assertEquals("in_progress", job.getString("status"), "killed mid-export: " + job.encode());
                first.kill9();
            }
            try (GatewayProcess second = GatewayProcess.start(env, dir.resolve("gw2.log"))) {
                second.awaitReady(Duration.ofSeconds(60));
                JsonObject job = null;
                boolean sawRunningFile = false;
                for (int i = 0; i < 600; i++) {
                    job = second.http.get("/api/v1/exports/" + exportId).json();
                    if (!List.of("queued", "in_progress").contains(job.getString("status"))) {
                        break;
                    }
                    if (!sawRunningFile) {
                        assertEquals(409, second.http.bytes("/api/v1/exports/" + exportId + "/file").statusCode(),
                                "a running export's file is not served");
                        sawRunningFile = true;
                    }
                    Thread.sleep(200);
                }
                assertEquals("completed", job.getString("status"), job.encode());
                Http.Answer m = second.http.get("/api/v1/exports/" + exportId + "/manifest");
                JsonObject manifest = new JsonObject(m.body());
                assertNotEquals(manifest.getString("instanceId"), null);
                assertTrue(second.logText().contains(manifest.getString("instanceId")),
                        "the second instance wrote it: " + manifest.getString("instanceId"));
                HttpResponse<byte[]> f = second.http.bytes("/api/v1/exports/" + exportId + "/file");
                assertEquals(200, f.statusCode());
                Path file = dir.resolve("taken-over.mp4");
                Files.write(file, f.body());
                Path manifestFile = dir.resolve("taken-over.json");
                Files.writeString(manifestFile, m.body());
                MediaProbe.Run probe = MediaProbe.run("ffprobe", "-v", "warning", "-count_packets", "-show_entries",
                        "stream=nb_read_packets", "-of", "csv=p=0", file.toString());
                assertEquals("", probe.err().trim());
                assertEquals(manifest.getLong("frameCount"), Long.parseLong(new String(probe.out(),
                        StandardCharsets.UTF_8).trim()));
                MediaProbe.Run verify = MediaProbe.run(Path.of("..", "scripts", "verify-export.sh").toString(),
                        file.toString(), manifestFile.toString());
                assertEquals(0, verify.exit(), new String(verify.out()) + verify.err());
                try (var files = Files.list(dir.resolve("exports"))) {
                    assertEquals(List.of(exportId + ".mp4"), files.map(p -> p.getFileName().toString()).toList(),
                            "the half file of the killed instance is gone");
                }
            }
        } finally {
            TestDatabase.deleteTree(dir);
        }
    }

    /** Twenty minutes from a recorded sequence of the last week that is longer than that. */
    private static Instant[] longRecording(Http http, String camera) throws Exception {
        Instant now = Instant.now();
        for (int day = 2; day < 9; day++) {
            Instant to = now.minus(Duration.ofDays(day - 1));
            JsonArray seqs = http.get("/api/v1/cameras/" + camera + "/recordings/sequences?startTime="
                    + to.minus(Duration.ofDays(1)) + "&endTime=" + to).json().getJsonArray("sequences");
            for (int i = 0; i < seqs.size(); i++) {
                Instant a = Instant.parse(seqs.getJsonObject(i).getString("startTime"));
                Instant b = Instant.parse(seqs.getJsonObject(i).getString("endTime"));
                if (Duration.between(a, b).toMinutes() > 21) {
                    return new Instant[] {a.plusSeconds(30), a.plusSeconds(30).plus(Duration.ofMinutes(20))};
                }
            }
        }
        throw new AssertionError("no recorded sequence longer than 21 minutes in the last week");
    }

}
