package com.cns.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.support.MediaProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What {@code deploy/} ships, checked by the tools that read it where they exist here: nginx's site
 * config runs in ClusterTest; the systemd unit passes {@code systemd-analyze verify}; the compose
 * file's Prometheus config passes {@code promtool check config} with the shipped rules; the compose
 * file and Kong's declarative config are read as YAML and checked against the repository and the API.
 */
class DeployConfigTest {
    private static final Path DEPLOY = Path.of("..", "deploy");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return (Map<String, Object>) new Yaml().load(Files.readString(file));
    }

    @Test
    void theSystemdUnitVerifies(@TempDir Path dir) throws Exception {
        Path unit = dir.resolve("cns-gateway.service");
        Files.copy(DEPLOY.resolve("systemd").resolve("cns-gateway.service"), unit);
        MediaProbe.Run run = MediaProbe.run("systemd-analyze", "verify", unit.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals("", (new String(run.out()) + run.err()).strip(), "no warning");
    }

    @Test
    void theComposePrometheusConfigLoadsTheShippedRules(@TempDir Path dir) throws Exception {
        Files.copy(DEPLOY.resolve("docker").resolve("prometheus.yml"), dir.resolve("prometheus.yml"));
        Files.copy(Path.of("..", "monitoring", "prometheus", "alerts.yml"), dir.resolve("alerts.yml"));
        MediaProbe.Run run = MediaProbe.run("promtool", "check", "config", dir.resolve("prometheus.yml").toString());
        assertEquals(0, run.exit(), new String(run.out()) + run.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileHasTheWholeStackAndEveryFileItMounts() throws Exception {
        Map<String, Object> compose = yaml(DEPLOY.resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertTrue(services.keySet().containsAll(List.of("nginx", "gateway-1", "gateway-2", "postgres", "prometheus",
                "grafana")), services.keySet().toString());
        for (String instance : List.of("gateway-1", "gateway-2")) {
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(instance)).get("environment");
            assertEquals(instance, env.get("INSTANCE_ID"));
            assertTrue(String.valueOf(env.get("DATABASE_URL")).contains("@postgres:5432/"), env.toString());
            assertEquals("${CNS_URL_SIGNING_SECRET:?set CNS_URL_SIGNING_SECRET in deploy/.env}",
                    env.get("AUTH_URL_SIGNING_SECRET"), "the gateways and nginx share one secret");
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Object> s : services.entrySet()) {
            Object volumes = ((Map<String, Object>) s.getValue()).get("volumes");
            for (Object v : volumes == null ? List.of() : (List<Object>) volumes) {
                String host = v.toString().split(":")[0];
                if (host.startsWith(".") && !Files.exists(DEPLOY.resolve(host))) {
                    missing.add(s.getKey() + ": " + host);
                }
            }
        }
        assertEquals(List.of(), missing, "every file the compose file mounts is in the repository");
        // Every variable the compose file needs is in the example environment file.
        String example = Files.readString(DEPLOY.resolve(".env.example"));
        var needed = Pattern.compile("\\$\\{([A-Z_]+)[:}]").matcher(Files.readString(DEPLOY.resolve("docker-compose.yml")));
        while (needed.find()) {
            assertTrue(example.contains("\n" + needed.group(1) + "="), needed.group(1) + " is in deploy/.env.example");
        }
    }

    /** Every path of the API (docs/openapi.yaml, which a test keeps equal to the router) has a Kong route. */
    @Test
    @SuppressWarnings("unchecked")
    void kongRoutesEveryPathOfTheApiToTheGateway() throws Exception {
        Map<String, Object> kong = yaml(DEPLOY.resolve("kong").resolve("kong.yml"));
        assertEquals("3.0", kong.get("_format_version"));
        Map<String, Object> service = ((List<Map<String, Object>>) kong.get("services")).get(0);
        String upstream = ((List<Map<String, Object>>) kong.get("upstreams")).get(0).get("name").toString();
        assertEquals(upstream, service.get("host"), "the service balances over the upstream of instances");
        List<Map<String, Object>> routes = ((List<Map<String, Object>>) service.get("routes")).stream()
                .filter(r -> !"dashboard".equals(r.get("name"))).toList();
        for (String planned : List.of("milestone-camera-discovery", "milestone-camera-import", "recording-start",
                "recording-stop", "recording-status", "playback-query", "playback-stream")) {
            assertTrue(routes.stream().anyMatch(r -> planned.equals(r.get("name"))), "the plan's route " + planned);
        }
        Map<String, Object> openapi = yaml(Path.of("..", "docs", "openapi.yaml"));
        List<String> unrouted = new ArrayList<>();
        for (String path : ((Map<String, Object>) openapi.get("paths")).keySet()) {
            String concrete = path.replace("{id}", "c36a8635-66c8-4d94-91ca-9d77980d8471")
                    .replaceAll("\\{[^}]+}", "x");
            if (routes.stream().noneMatch(r -> ((List<String>) r.get("paths")).stream().anyMatch(p -> p.startsWith("~")
                    ? Pattern.compile(p.substring(1)).matcher(concrete).lookingAt() : concrete.startsWith(p)))) {
                unrouted.add(path);
            }
        }
        for (String other : List.of("/ws", "/health/ready")) {
            if (routes.stream().noneMatch(r -> ((List<String>) r.get("paths")).stream().anyMatch(other::startsWith))) {
                unrouted.add(other);
            }
        }
        assertEquals(List.of(), unrouted, "paths no Kong route takes to the gateway");
    }
}
