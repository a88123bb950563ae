package com.cns.gateway.milestone.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.milestone.Fixtures;
import com.cns.gateway.milestone.XProtectException;
import com.cns.gateway.milestone.XpCamera;
import com.cns.gateway.milestone.XpHardware;
import com.cns.gateway.milestone.XpRecordingServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestConfigParserTest {

    @Test
    void camerasArrayReadsFlagsTimeoutAndHardwareParent() {
        List<XpCamera> cams = RestConfigParser.array(new JsonObject(Fixtures.text("cameras-page.json")),
                RestConfigParser::camera);
        assertEquals(2, cams.size());
        XpCamera c = cams.get(0);
        assertEquals("a8a8b9dc-3995-49ed-9b00-62caac2ce74a", c.id());
        assertEquals("GUANGZHOU T18156-AF (192.168.1.13) - Camera 1", c.name());
        assertTrue(c.ptzEnabled());
        assertTrue(c.recordingEnabled());
        assertEquals(15, c.manualRecordingTimeoutMinutes());
        assertEquals("5a94379d-468c-40ee-9c16-8d98be28e1dd", c.hardwareId());
        assertNull(c.recordingServer());
        assertFalse(cams.get(1).recordingEnabled());
        assertEquals(5, cams.get(1).manualRecordingTimeoutMinutes());
    }

    @Test
    void hardwareDataEnvelopeNamesItsRecordingServer() {
        XpHardware h = RestConfigParser.data(new JsonObject(Fixtures.text("hardware.json")), RestConfigParser::hardware);
        assertEquals("9f21d63b-6693-4dfc-ad0c-829f27ef9315", h.recordingServerId());
    }

    @Test
    void recordingServerUriIsOverriddenByHostOrById() {
        var entry = RestConfigParser.array(new JsonObject(Fixtures.text("recording-servers.json")),
                RestConfigParser::recordingServer).get(0);
        assertEquals(URI.create("https://desktop-8rpfauh.corp.local:7563/"), entry.webServerUri());

        XpRecordingServer plain = new RecorderUriResolver(Map.of()).resolve(entry);
        assertEquals(entry.webServerUri(), plain.effectiveUri());

        XpRecordingServer byHost = new RecorderUriResolver(Map.of("desktop-8rpfauh.corp.local",
                URI.create("https://10.0.0.5:7563/"))).resolve(entry);
        assertEquals(URI.create("https://10.0.0.5:7563/"), byHost.effectiveUri());
        assertEquals(entry.webServerUri(), byHost.webServerUri());

        XpRecordingServer byId = new RecorderUriResolver(Map.of("9f21d63b-6693-4dfc-ad0c-829f27ef9315",
                URI.create("http://rs1:7563/"))).resolve(entry);
        assertEquals(URI.create("http://rs1:7563/"), byId.effectiveUri());

        XpRecordingServer hostOnly = new RecorderUriResolver(Map.of("desktop-8rpfauh.corp.local",
                URI.create("//10.0.0.9"))).resolve(entry);
        assertEquals(URI.create("https://10.0.0.9:7563/"), hostOnly.effectiveUri());
    }

    @Test
    void missingEnvelopeIsAClearError() {
        XProtectException e = assertThrows(XProtectException.class, () -> RestConfigParser.array(
                new JsonObject(Fixtures.text("error-404.json")), RestConfigParser::camera));
        assertTrue(e.getMessage().contains("\"array\""));
        assertThrows(XProtectException.class, () -> RestConfigParser.data(new JsonObject("{\"array\":[]}"),
                RestConfigParser::hardware));
    }
}
