package com.cns.gateway.milestone.soap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cns.gateway.milestone.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerCommandLoginTest {

    @Test
    void loginAnswerGivesTokenAndTimeToLive() {
        VmsToken t = ServerCommandLogin.parse(Fixtures.text("login-response.xml"));
        assertEquals("TOKEN#b41f9558-4069-45fa-a6fd-99ef44ff63aa#desktop-8rpfauh//ServerConnector#", t.value());
        assertEquals(Duration.ofHours(4), t.timeToLive());
        assertTrue(!t.toString().contains("b41f9558"), "the token itself is a secret");
    }

    @Test
    void tokenFaultCarriesXProtectErrorNumbers() {
        SoapFaultException e = assertThrows(SoapFaultException.class,
                () -> ServerCommandLogin.parse(Fixtures.text("fault-token-invalid.xml")));
        assertEquals(20001, e.errorNumber());
        assertEquals(2, e.subErrorNumber());
        assertTrue(e.isTokenError());
        assertEquals("soap:Client", e.faultCode());
    }

    @Test
    void requestEscapesTheCurrentTokenAndUsesTheServiceNamespace() {
        String first = ServerCommandLogin.request("8a5c1b2e-1111-2222-3333-444455556666", null);
        assertTrue(first.contains("<Login xmlns=\"http://videoos.net/2/XProtectCSServerCommand\">"));
        assertTrue(first.contains("<currentToken />"));
        String renewal = ServerCommandLogin.request("8a5c1b2e-1111-2222-3333-444455556666", "TOKEN#a<b#");
        assertTrue(renewal.contains("<currentToken>TOKEN#a&lt;b#</currentToken>"));
    }

    @Test
    void doctypeIsRefused() {
        assertThrows(SoapFaultException.class, () -> ServerCommandLogin.parse(
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
    }
}
