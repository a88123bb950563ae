package com.cns.xprotect.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * SimulatorOptions shape one simulated XProtect site: how many cameras and recording servers, the
 * basic user it accepts, token lifetimes, and whether it speaks https.
 *
 * @param recorderHost the host name recording servers advertise in {@code webServerUri}; an
 *                     internal name here exercises the gateway's recorder URI overrides
 * @param hdCameras    how many of the cameras (the last ones) record the 1920×1080 profile
 *                     ({@link CameraProfile#HD_1080}); its video is made only when there are any
 */
public record SimulatorOptions(
        String host,
        int port,
        int cameras,
        int recorders,
        boolean tls,
        String recorderHost,
        String username,
        String password,
        Duration idpTokenTtl,
        Duration vmsTokenTtl,
        long seed,
        int hdCameras) {

    public static SimulatorOptions defaults() {
        return new SimulatorOptions("127.0.0.1", 0, 12, 3, false, "127.0.0.1", "admin", "admin",
                Duration.ofHours(1), Duration.ofHours(4), 1L, 0);
    }

    public SimulatorOptions withPort(int p) {
        return new SimulatorOptions(host, p, cameras, recorders, tls, recorderHost, username, password,
                idpTokenTtl, vmsTokenTtl, seed, hdCameras);
    }

    public SimulatorOptions withCameras(int n, int r) {
        return new SimulatorOptions(host, port, n, r, tls, recorderHost, username, password, idpTokenTtl,
                vmsTokenTtl, seed, hdCameras);
    }

    public SimulatorOptions withTls(boolean on) {
        return new SimulatorOptions(host, port, cameras, recorders, on, recorderHost, username, password,
                idpTokenTtl, vmsTokenTtl, seed, hdCameras);
    }

    public SimulatorOptions withRecorderHost(String h) {
        return new SimulatorOptions(host, port, cameras, recorders, tls, h, username, password, idpTokenTtl,
                vmsTokenTtl, seed, hdCameras);
    }

    public SimulatorOptions withTokenTtls(Duration idp, Duration vms) {
        return new SimulatorOptions(host, port, cameras, recorders, tls, recorderHost, username, password, idp,
                vms, seed, hdCameras);
    }

    /** The last {@code n} cameras record the 1920×1080 profile. */
    public SimulatorOptions withHdCameras(int n) {
        return new SimulatorOptions(host, port, cameras, recorders, tls, recorderHost, username, password,
                idpTokenTtl, vmsTokenTtl, seed, n);
    }

    static final String USAGE = """
            Usage: java -jar xprotect-simulator.jar [options]   (--help: this text)
              --host=ADDR             address to listen on (default 127.0.0.1)
              --port=N                management server port (default 8081; 0 picks a free one)
              --cameras=N             number of cameras (default 12)
              --recorders=N           number of recording servers (default 3)
              --tls[=true|false]      serve https with the bundled test CA (see GET /simulator/tls/ca.pem)
              --recorder-host=NAME    host name recorders advertise in webServerUri (default 127.0.0.1)
              --username=U --password=P   the basic user accepted by the IDP (default admin/admin)
              --token-ttl=SECONDS     IDP access token lifetime (default 3600)
              --vms-token-ttl=SECONDS VMS token TimeToLive (default 14400)
              --seed=N                seed of the generated site (default 1)
              --hd-cameras=N          the last N cameras record 1920x1080 H.264 at 25 fps, ~4 Mb/s (default 0)
            """;

    /** Parses {@code --name=value} arguments; unknown or malformed ones are reported all at once. */
    public static SimulatorOptions parse(String[] args) {
        SimulatorOptions d = defaults().withPort(8081);
        String host = d.host();
        int port = d.port();
        int cameras = d.cameras();
        int recorders = d.recorders();
        boolean tls = false;
        String recorderHost = d.recorderHost();
        String user = d.username();
        String pass = d.password();
        long ttl = d.idpTokenTtl().toSeconds();
        long vmsTtl = d.vmsTokenTtl().toSeconds();
        long seed = d.seed();
        int hd = 0;
        List<String> problems = new ArrayList<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            String v = kv.length > 1 ? kv[1] : "";
            try {
                switch (kv[0]) {
                    case "--host" -> host = v;
                    case "--port" -> port = Integer.parseInt(v);
                    case "--cameras" -> cameras = Integer.parseInt(v);
                    case "--recorders" -> recorders = Integer.parseInt(v);
                    case "--tls" -> {
                        if (kv.length == 1 || v.equalsIgnoreCase("true")) {
                            tls = true;
                        } else if (v.equalsIgnoreCase("false")) {
                            tls = false;
                        } else {
                            problems.add("--tls takes true or false (or nothing), got '" + v + "'");
                        }
                    }
                    case "--recorder-host" -> recorderHost = v;
                    case "--username" -> user = v;
                    case "--password" -> pass = v;
                    case "--token-ttl" -> ttl = Long.parseLong(v);
                    case "--vms-token-ttl" -> vmsTtl = Long.parseLong(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--hd-cameras" -> hd = Integer.parseInt(v);
                    default -> problems.add("unknown option " + kv[0]);
                }
            } catch (NumberFormatException e) {
                problems.add(kv[0] + " needs a number, got '" + v + "'");
            }
        }
        if (cameras < 1 || recorders < 1) {
            problems.add("--cameras and --recorders must be at least 1");
        }
        if (hd < 0 || hd > cameras) {
            problems.add("--hd-cameras must be between 0 and --cameras");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems) + "\n" + USAGE);
        }
        return new SimulatorOptions(host, port, cameras, recorders, tls, recorderHost, user, pass,
                Duration.ofSeconds(ttl), Duration.ofSeconds(vmsTtl), seed, hd);
    }
}
