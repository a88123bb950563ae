package com.cns.gateway.milestone.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.milestone.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecorderCommandMessagesTest {

    @Test
    void requestPutsTheTokenInTheBodyAndGuidsInTheServiceNamespace() {
        String xml = RecorderCommandMessages.deviceListRequest("StartManualRecording", "TOKEN#x&y#",
                List.of("a8a8b9dc-3995-49ed-9b00-62caac2ce74a"));
        assertTrue(xml.contains("<StartManualRecording xmlns=\"http://videoos.net/2/XProtectCSRecorderCommand\">"));
        assertTrue(xml.contains("<token>TOKEN#x&amp;y#</token>"));
        assertTrue(xml.contains("<deviceIds><guid>a8a8b9dc-3995-49ed-9b00-62caac2ce74a</guid></deviceIds>"));
        assertEquals("http://videoos.net/2/XProtectCSRecorderCommand/StopManualRecording",
                RecorderCommandMessages.action("StopManualRecording"));
    }

    @Test
    void resultsArePerDevice() {
        var results = RecorderCommandMessages.parseResults(Fixtures.text("start-manual-recording-response.xml"));
        assertEquals(2, results.size());
        assertTrue(results.get(0).succeeded());
        assertFalse(results.get(1).succeeded());
        assertEquals("Unknown device", results.get(1).message());
        var infos = RecorderCommandMessages.parseInfos(Fixtures.text("is-manual-recording-response.xml"));
        assertTrue(infos.get(0).isManualRecording());
        assertFalse(infos.get(1).isManualRecording());
    }

    @Test
    void missingTokenFaultIs20001Slash1() {
        SoapFaultException e = assertThrows(SoapFaultException.class,
                () -> RecorderCommandMessages.parseResults(Fixtures.text("fault-no-token.xml")));
        assertEquals(1, e.subErrorNumber());
        assertTrue(e.isTokenError());
    }
}
