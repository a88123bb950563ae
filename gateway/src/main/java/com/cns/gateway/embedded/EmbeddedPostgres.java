package com.cns.gateway.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * EmbeddedPostgres runs a PostgreSQL server of the machine's own binaries on a data directory of
 * the gateway's, for a gateway started with no {@code DATABASE_URL}. PostgreSQL refuses to run as
 * root, so as root it runs as the {@code postgres} system user (created if missing), as
 * research/java-dependencies.md §2 found works here. The server is detached from the JVM: after a
 * crash of the gateway (kill -9) it keeps running, and the next start adopts it through its
 * {@code postmaster.pid}, or stops it cleanly if it does not answer.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class.getName());
    public static final String USER = "postgres";

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final boolean durable;
    private final List<String> asUser;
    private int port;

    private EmbeddedPostgres(Path bin, Path dir, boolean durable) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.durable = durable;
        this.asUser = isRoot() ? List.of("runuser", "-u", USER, "--") : List.of();
    }

    /**
     * Starts (or adopts) the server for {@code dir}; {@code durable=false} turns off fsync for
     * throwaway test clusters.
     */
    public static EmbeddedPostgres start(Path dir, boolean durable) throws IOException, InterruptedException {
        Path bin = findBinaries().orElseThrow(() -> new IOException(
                "No PostgreSQL server binaries found (looked for pg_ctl in /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin and /usr/bin). "
                        + "Install them (apt-get install postgresql; see scripts/install-prerequisites.sh) or set "
                        + "DATABASE_URL to an existing server."));
        EmbeddedPostgres pg = new EmbeddedPostgres(bin, dir.toAbsolutePath().normalize(), durable);
        pg.prepare();
        pg.startOrAdopt();
        return pg;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabase(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("bad database name " + database);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
            var rs = c.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE " + database);
            }
        }
    }

    /** Stops the server (fast shutdown: sessions are ended, committed data is kept). */
    @Override
    public void close() throws IOException, InterruptedException {
        run(cmd(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                false);
    }

    private void prepare() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (isRoot()) {
            if (run(List.of("id", "-u", USER), false) != 0) {
                run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER), true);
            }
            run(List.of("chown", "-R", USER + ":", dir.toString()), true);
            allowTraversal(dir.getParent());
            if (run(List.of("runuser", "-u", USER, "--", "test", "-w", dir.toString()), false) != 0) {
                throw new IOException("The postgres user cannot reach " + dir + " (a parent directory is closed to it, "
                        + "as /root is). Choose a DATA_DIR outside it, e.g. DATA_DIR=/var/lib/cns-gateway, or set "
                        + "DATABASE_URL.");
            }
        }
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            LOG.info("Creating the embedded PostgreSQL cluster in " + data);
            run(cmd(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust", "-E", "UTF8",
                    "--no-sync"), true);
        }
    }

    private void startOrAdopt() throws IOException, InterruptedException {
        Path pidFile = data.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            long pid = lines.isEmpty() ? -1 : parse(lines.get(0));
            int oldPort = lines.size() > 3 ? (int) parse(lines.get(3)) : -1;
            boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (alive && oldPort > 0 && answers(oldPort)) {
                port = oldPort;
                LOG.info("Adopted the embedded PostgreSQL (pid " + pid + ", port " + port
                        + ") left running by an earlier gateway process");
                return;
            }
            if (alive) {
                LOG.warning("An earlier embedded PostgreSQL (pid " + pid + ") does not answer; stopping it");
                close();
            }
        }
        port = freePort();
        String opts = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        run(cmd(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", opts, "start"), true);
        LOG.info("Started the embedded PostgreSQL on 127.0.0.1:" + port + " (data in " + data + ")");
    }

    /**
     * The gateway's own data directory (the parent of the cluster) may have been created private
     * (mode 700); PostgreSQL's user must be able to pass through it, though not to list it.
     */
    private static void allowTraversal(Path parent) throws IOException {
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        var perms = java.nio.file.Files.getPosixFilePermissions(parent);
        if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
            perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(parent, perms);
            LOG.info("Made " + parent + " traversable (o+x) so that the postgres user can reach its cluster");
        }
    }

    private List<String> cmd(String... args) {
        List<String> c = new ArrayList<>(asUser);
        c.addAll(List.of(args));
        return c;
    }

    private int run(List<String> full, boolean mustSucceed) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", full));
        }
        if (mustSucceed && p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed (exit " + p.exitValue() + "): "
                    + new String(out, StandardCharsets.UTF_8).trim() + serverLogTail());
        }
        return p.exitValue();
    }

    private String serverLogTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("server.log"));
            return "\nserver.log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static Optional<Path> findBinaries() throws IOException {
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                Optional<Path> best = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(b -> (int) parse(b.getParent().getFileName().toString())));
                if (best.isPresent()) {
                    return best;
                }
            }
        }
        for (String dir : List.of("/usr/local/pgsql/bin", "/usr/bin")) {
            if (Files.isExecutable(Path.of(dir, "pg_ctl"))) {
                return Optional.of(Path.of(dir));
            }
        }
        return Optional.empty();
    }
}
