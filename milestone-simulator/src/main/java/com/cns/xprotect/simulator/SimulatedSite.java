package com.cns.xprotect.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * SimulatedSite is the deterministic configuration of a fake XProtect system: one management
 * server, several recording servers, hardware on each and cameras on each hardware, in the JSON
 * shapes of the RESTful Config API (captured from a 2025 R1 server).
 */
public final class SimulatedSite {
    private static final String[] PLACES = {"Main Entrance", "Lobby", "Parking Level 1", "Parking Level 2",
        "Platform A", "Platform B", "Concourse", "Ticket Hall", "Bus Bay", "Loading Dock", "Gate 3", "Roof"};

    /** A recording server; its port is known once its listener is bound. */
    public static final class Recorder {
        public final String id;
        public final String name;
        volatile int port;
        volatile String webServerUri;

        Recorder(String id, String name) {
            this.id = id;
            this.name = name;
        }

        public int port() {
            return port;
        }

        public String webServerUri() {
            return webServerUri;
        }
    }

    /** A hardware device (an encoder or IP camera box) attached to a recording server. */
    public record Hardware(String id, String name, String address, String recorderId) {
    }

    /** A camera device; manual recording timeout is in minutes as the REST API names it. */
    public record Camera(String id, String name, String hardwareId, boolean enabled, boolean ptzEnabled,
                         boolean recordingEnabled, boolean manualRecordingTimeoutEnabled,
                         int manualRecordingTimeoutMinutes, int recordingFramerate) {
    }

    private final String siteId;
    private final String siteName;
    private final List<Recorder> recorders = new ArrayList<>();
    private final Map<String, Hardware> hardware = new LinkedHashMap<>();
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private final Map<String, CameraProfile> profiles = new LinkedHashMap<>();

    SimulatedSite(SimulatorOptions o) {
        Random random = new Random(o.seed());
        siteId = uuid(o.seed(), "site", 0);
        siteName = "XPROTECT-SIM";
        for (int r = 0; r < o.recorders(); r++) {
            recorders.add(new Recorder(uuid(o.seed(), "recorder", r), String.format("Recording Server %d", r + 1)));
        }
        for (int i = 0; i < o.cameras(); i++) {
            Recorder rec = recorders.get(i % recorders.size());
            String hwId = uuid(o.seed(), "hardware", i);
            String ip = "10.100." + (50 + i / 250) + "." + (1 + i % 250);
            String model = (i % 3 == 0) ? "AXIS Q6135-LE PTZ" : "AXIS P3245-LVE";
            hardware.put(hwId, new Hardware(hwId, model + " (" + ip + ")", "http://" + ip + "/", rec.id));
            String name = String.format("Camera %02d - %s", i + 1, PLACES[i % PLACES.length]);
            boolean enabled = i % 11 != 10;
            cameras.put(uuid(o.seed(), "camera", i), new Camera(uuid(o.seed(), "camera", i), name, hwId, enabled,
                    i % 3 == 0, i % 5 != 4, true, i % 4 == 1 ? 5 : 15, random.nextBoolean() ? 25 : 5));
            profiles.put(uuid(o.seed(), "camera", i),
                    i >= o.cameras() - o.hdCameras() ? CameraProfile.HD_1080 : CameraProfile.forIndex(i));
        }
    }

    private static String uuid(long seed, String kind, int n) {
        return UUID.nameUUIDFromBytes((seed + "/" + kind + "/" + n).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public List<Recorder> recorders() {
        return Collections.unmodifiableList(recorders);
    }

    public List<Camera> cameras() {
        return List.copyOf(cameras.values());
    }

    public Camera camera(String id) {
        return cameras.get(id);
    }

    /** How a camera records (codec, frame rate, GOP); null for an unknown camera. */
    public CameraProfile profile(String cameraId) {
        return profiles.get(cameraId);
    }

    public Hardware hardware(String id) {
        return hardware.get(id);
    }

    public List<Hardware> hardwareList() {
        return List.copyOf(hardware.values());
    }

    public Recorder recorder(String id) {
        return recorders.stream().filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }

    /** The recording server that stores a camera's video. */
    public Recorder recorderOf(Camera c) {
        return recorder(hardware.get(c.hardwareId()).recorderId());
    }

    /**
     * Moves a camera's hardware to another recording server, as XProtect's failover does when the
     * camera's own recording server fails; false for an unknown camera or recorder.
     */
    public synchronized boolean move(String cameraId, String recorderId) {
        Camera c = cameras.get(cameraId);
        if (c == null || recorder(recorderId) == null) {
            return false;
        }
        Hardware h = hardware.get(c.hardwareId());
        hardware.put(h.id(), new Hardware(h.id(), h.name(), h.address(), recorderId));
        return true;
    }

    /** Changes a camera's name, as an administrator would in the Management Client. */
    public synchronized void rename(String cameraId, String name) {
        Camera c = cameras.get(cameraId);
        cameras.put(cameraId, new Camera(c.id(), name, c.hardwareId(), c.enabled(), c.ptzEnabled(),
                c.recordingEnabled(), c.manualRecordingTimeoutEnabled(), c.manualRecordingTimeoutMinutes(),
                c.recordingFramerate()));
    }

    JsonObject siteJson() {
        return new JsonObject().put("displayName", siteName).put("id", siteId).put("name", siteName)
                .put("description", "").put("computerName", siteName).put("domainName", "xprotect.test")
                .put("lastModified", "2025-10-27T15:03:52.8070000Z").put("timeZone", "UTC")
                .put("relations", new JsonObject().put("self", ref("sites", siteId)));
    }

    JsonObject recorderJson(Recorder r) {
        return new JsonObject().put("displayName", r.name).put("enabled", true).put("id", r.id).put("name", r.name)
                .put("description", "").put("hostName", r.name.toLowerCase().replace(' ', '-'))
                .put("portNumber", r.port).put("webServerUri", r.webServerUri)
                .put("activeWebServerUri", r.webServerUri).put("publicAccessEnabled", false)
                .put("publicWebserverHostName", "").put("publicWebserverPort", 0).put("timeZoneName", "UTC")
                .put("version", "25.1.6451.1").put("lastModified", "2025-10-27T15:03:52.8070000Z")
                .put("relations", new JsonObject().put("parent", ref("sites", siteId)).put("self", ref("recordingServers", r.id)));
    }

    JsonObject hardwareJson(Hardware h) {
        return new JsonObject().put("displayName", h.name()).put("enabled", true).put("id", h.id()).put("name", h.name())
                .put("address", h.address()).put("userName", "root").put("model", h.name().split(" \\(")[0])
                .put("description", "").put("hardwareDriverPath", ref("hardwareDrivers", "ae1b1bfb-6c05-4f4e-a32f-05f6b4d6c3c1"))
                .put("lastModified", "2025-10-27T15:03:52.8070000Z")
                .put("relations", new JsonObject().put("parent", ref("recordingServers", h.recorderId()))
                        .put("self", ref("hardware", h.id())));
    }

    JsonObject cameraJson(Camera c) {
        return new JsonObject().put("displayName", c.name()).put("enabled", c.enabled()).put("id", c.id())
                .put("name", c.name()).put("channel", 0).put("description", "")
                .put("createdDate", "0001-01-01T00:00:00.0000000").put("lastModified", "2025-10-27T15:03:52.8070000Z")
                .put("gisPoint", "POINT EMPTY").put("shortName", "").put("icon", 0).put("coverageDirection", 0)
                .put("coverageDepth", 0).put("coverageFieldOfView", 0).put("recordingFramerate", c.recordingFramerate())
                .put("recordKeyframesOnly", false).put("recordOnRelatedDevices", true).put("ptzEnabled", c.ptzEnabled())
                .put("recordingEnabled", c.recordingEnabled()).put("prebufferEnabled", true)
                .put("prebufferInMemory", true).put("prebufferSeconds", 3).put("edgeStorageEnabled", false)
                .put("edgeStoragePlaybackEnabled", false)
                .put("manualRecordingTimeoutEnabled", c.manualRecordingTimeoutEnabled())
                .put("manualRecordingTimeoutMinutes", c.manualRecordingTimeoutMinutes())
                .put("recordingStorage", ref("storages", "0605d1b6-16bb-4adf-a32c-ef0a1991f951"))
                .put("failoverSetting", "FullSupport")
                .put("relations", new JsonObject().put("parent", ref("hardware", c.hardwareId()))
                        .put("self", ref("cameras", c.id())));
    }

    static JsonArray array(List<JsonObject> items) {
        return new JsonArray(new ArrayList<>(items));
    }

    private static JsonObject ref(String type, String id) {
        return new JsonObject().put("type", type).put("id", id);
    }
}
