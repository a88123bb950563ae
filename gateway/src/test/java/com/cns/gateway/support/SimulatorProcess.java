package com.cns.gateway.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SimulatorProcess runs the Milestone simulator as a process of its own (its state outlives a gateway
 * that is killed), on a port it picks itself, read back from its log: a port picked here could be
 * taken before it binds.
 */
public final class SimulatorProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("simulator listening on (http://\\S+)");

    public final Process process;
    public final String url;

    private SimulatorProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts it, logging to {@code log}, and waits until it listens. */
    public static SimulatorProcess start(Path log) throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "com.cns.xprotect.simulator.SimulatorMain",
                "--port=0")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 300 && p.isAlive(); i++) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return new SimulatorProcess(p, m.group(1));
            }
            Thread.sleep(100);
        }
        p.destroy();
        throw new AssertionError("the simulator did not start:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
