package com.cns.xprotect.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jcifs.ntlmssp.NtlmFlags;
import jcifs.ntlmssp.Type3Message;
import jcifs.smb.NtlmUtil;

/**
 * NtlmVerifier is the IDP's side of HTTP NTLM for Windows users: it answers a negotiate message with
 * a challenge (kept per connection, as IIS does), and checks the NTLMv2 answer against the one
 * configured Windows user ({@code DOMAIN\\user}, password): NTProofStr = HMAC-MD5(NTOWFv2, server
 * challenge ‖ the client's blob), MS-NLMP §3.3.2. Message parsing and NTOWFv2 are jcifs-ng's; only
 * the comparison, which a real server does against its directory, is here.
 */
final class NtlmVerifier {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final jcifs.CIFSContext CIFS = context();

    private static jcifs.CIFSContext context() {
        try {
            return new jcifs.context.BaseContext(new jcifs.config.PropertyConfiguration(new java.util.Properties()));
        } catch (jcifs.CIFSException e) {
            throw new IllegalStateException(e);
        }
    }
    private final String domain;
    private final String user;
    private final String password;
    private final Map<Object, byte[]> challenges = new ConcurrentHashMap<>();

    NtlmVerifier(String domain, String user, String password) {
        this.domain = domain;
        this.user = user;
        this.password = password;
    }

    /** The challenge (a Type 2 message, base64) for a negotiate on {@code connection}. */
    String challenge(Object connection) {
        byte[] challenge = new byte[8];
        RANDOM.nextBytes(challenge);
        challenges.put(connection, challenge);
        int flags = NtlmFlags.NTLMSSP_NEGOTIATE_UNICODE | NtlmFlags.NTLMSSP_NEGOTIATE_NTLM
                | NtlmFlags.NTLMSSP_REQUEST_TARGET | NtlmFlags.NTLMSSP_TARGET_TYPE_DOMAIN
                | NtlmFlags.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NtlmFlags.NTLMSSP_NEGOTIATE_TARGET_INFO;
        byte[] target = domain.getBytes(StandardCharsets.UTF_16LE);
        // Target info: MsvAvNbDomainName, then MsvAvEOL (MS-NLMP §2.2.2.1).
        byte[] info = new byte[4 + target.length + 4];
        info[0] = 2;
        info[2] = (byte) target.length;
        info[3] = (byte) (target.length >> 8);
        System.arraycopy(target, 0, info, 4, target.length);
        try {
            jcifs.ntlmssp.Type2Message type2 = new jcifs.ntlmssp.Type2Message(CIFS, flags, challenge, domain);
            type2.setTargetInformation(info);
            return Base64.getEncoder().encodeToString(type2.toByteArray());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the authenticate message (Type 3, base64) on {@code connection} proves the configured user. */
    boolean verify(Object connection, String type3Base64) {
        byte[] challenge = challenges.remove(connection);
        if (challenge == null) {
            return false;
        }
        try {
            Type3Message m = new Type3Message(Base64.getDecoder().decode(type3Base64));
            byte[] nt = m.getNTResponse();
            if (nt == null || nt.length <= 24 || !user.equalsIgnoreCase(m.getUser())
                    || !domain.equalsIgnoreCase(m.getDomain())) {
                return false; // not NTLMv2 (v1 answers are 24 bytes), or another user
            }
            byte[] key = NtlmUtil.nTOWFv2(m.getDomain(), m.getUser(), password);
            Mac hmac = Mac.getInstance("HmacMD5");
            hmac.init(new SecretKeySpec(key, "HmacMD5"));
            hmac.update(challenge);
            hmac.update(nt, 16, nt.length - 16);
            return MessageDigest.isEqual(hmac.doFinal(), Arrays.copyOf(nt, 16));
        } catch (Exception e) {
            return false;
        }
    }

    void forget(Object connection) {
        challenges.remove(connection);
    }
}
