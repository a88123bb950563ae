package com.cns.gateway.milestone.idp;

import com.cns.gateway.milestone.XProtectAuthenticationException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.Properties;
import jcifs.CIFSContext;
import jcifs.config.PropertyConfiguration;
import jcifs.context.BaseContext;
import jcifs.ntlmssp.NtlmFlags;
import jcifs.ntlmssp.Type1Message;
import jcifs.ntlmssp.Type2Message;
import jcifs.ntlmssp.Type3Message;

/**
 * NtlmTokenRequest asks the XProtect IDP for a Windows user's token: {@code POST /IDP/connect/token}
 * with {@code grant_type=windows_credentials}, authenticated by HTTP NTLM (research/milestone-protocols.md
 * §1: the API Gateway does not pass NTLM through, so this goes to the IDP directly). The three legs
 * (negotiate, the server's challenge, the NTLMv2 answer) go over one connection (the client given has
 * one), and the NTLM messages are jcifs-ng's: no NTLM of our own.
 */
final class NtlmTokenRequest {
    private static final CIFSContext CIFS = context();
    private final WebClient http;
    private final URI endpoint;
    private final String domain;
    private final String user;
    private final String password;
    private final java.time.Duration timeout;

    NtlmTokenRequest(WebClient singleConnection, URI endpoint, String domainUser, String password,
                     java.time.Duration timeout) {
        int slash = domainUser.indexOf('\\');
        this.http = singleConnection;
        this.endpoint = endpoint;
        this.domain = slash < 0 ? "" : domainUser.substring(0, slash);
        this.user = slash < 0 ? domainUser : domainUser.substring(slash + 1);
        this.password = password;
        this.timeout = timeout;
    }

    private static CIFSContext context() {
        try {
            Properties p = new Properties();
            // NTLMv2 only (LAN Manager level 3): never LM or NTLMv1 answers.
            p.setProperty("jcifs.smb.lmCompatibility", "3");
            return new BaseContext(new PropertyConfiguration(p));
        } catch (jcifs.CIFSException e) {
            throw new IllegalStateException("jcifs-ng could not be configured", e);
        }
    }

    Future<HttpResponse<Buffer>> send() {
        Type1Message negotiate = new Type1Message(CIFS, Type1Message.getDefaultFlags(CIFS) | NtlmFlags.NTLMSSP_REQUEST_TARGET,
                domain, null);
        return post("NTLM " + Base64.getEncoder().encodeToString(negotiate.toByteArray())).compose(challenge -> {
            String header = challenge.getHeader("WWW-Authenticate");
            if (challenge.statusCode() != 401 || header == null || !header.toUpperCase(Locale.ROOT).startsWith("NTLM ")) {
                return challenge.statusCode() == 200 ? Future.succeededFuture(challenge)
                        : Future.failedFuture(new XProtectAuthenticationException("XProtect identity provider gave no "
                                + "NTLM challenge (answered " + challenge.statusCode() + "): is " + endpoint
                                + " the IDP itself, with Windows authentication enabled?"));
            }
            try {
                Type2Message type2 = new Type2Message(Base64.getDecoder().decode(header.substring(5).trim()));
                Type3Message answer = new Type3Message(CIFS, type2, null, password, domain, user, null,
                        Type3Message.getDefaultFlags(CIFS, type2));
                return post("NTLM " + Base64.getEncoder().encodeToString(answer.toByteArray()));
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                return Future.failedFuture(new XProtectAuthenticationException(
                        "XProtect identity provider's NTLM challenge could not be answered: " + e.getMessage()));
            }
        });
    }

    private Future<HttpResponse<Buffer>> post(String authorization) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "windows_credentials")
                .add("client_id", "GrantValidatorClient");
        return http.postAbs(endpoint.toString()).timeout(timeout.toMillis()).putHeader("Authorization", authorization)
                .putHeader("Connection", "keep-alive").sendForm(form);
    }
}
