package com.cns.gateway.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * EmbeddedPorts keeps the embedded simulator's recorder ports in {@code DATA_DIR} (recorder id = port),
 * so that after a restart its recording servers listen where the imported cameras' addresses point.
 * A missing or unreadable file means "any free ports".
 */
public final class EmbeddedPorts {
    private static final Logger LOG = Logger.getLogger(EmbeddedPorts.class.getName());

    private EmbeddedPorts() {
    }

    public static Map<String, Integer> read(Path file) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (!Files.isReadable(file)) {
            return out;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
            p.stringPropertyNames().forEach(k -> out.put(k, Integer.parseInt(p.getProperty(k).trim())));
        } catch (IOException | NumberFormatException e) {
            LOG.warning("Ignoring " + file + " (" + e.getMessage() + "): the embedded recorders take free ports");
            out.clear();
        }
        return out;
    }

    public static void write(Path file, Map<String, Integer> ports) {
        Properties p = new Properties();
        ports.forEach((k, v) -> p.setProperty(k, Integer.toString(v)));
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "Ports of the embedded XProtect simulator's recording servers (kept across restarts)");
            }
        } catch (IOException e) {
            LOG.warning("Could not keep the embedded recorders' ports in " + file + ": " + e.getMessage());
        }
    }
}
