package com.cns.gateway.transcoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GStreamerRuntimeTest {

    @Test
    void everyRequiredElementIsInstalled() {
        GStreamerRuntime.Status s = GStreamerRuntime.init(GStreamerRuntime.REQUIRED_ELEMENTS);
        assertTrue(s.ready(), String.valueOf(s.error()));
        assertTrue(s.version().startsWith("GStreamer 1."), s.version());
    }

    @Test
    void aMissingElementIsNamedNotIgnored() {
        GStreamerRuntime.Status s = GStreamerRuntime.init(List.of("mpegtsmux", "nosuchelement"));
        assertFalse(s.ready());
        assertEquals(List.of("nosuchelement"), s.missingElements());
        assertTrue(s.error().contains("nosuchelement"));
    }
}
