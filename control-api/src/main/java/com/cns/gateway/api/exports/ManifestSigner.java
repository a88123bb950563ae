package com.cns.gateway.api.exports;

import static com.cns.gateway.api.db.PgTimes.utc;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;

/**
 * ManifestSigner signs export manifests with the gateway's Ed25519 key (the JDK's own Ed25519), the
 * same key on every instance: the first instance that needs it makes it and keeps it in
 * {@code gateway_shared_secrets}. A signed manifest is the manifest's compact JSON with one last
 * member, {@code signature}, added: the signed bytes are the text before {@code ,"signature":} and a
 * closing brace, which {@code scripts/verify-export.sh} recovers with {@code sed} and checks with
 * {@code openssl pkeyutl -verify}.
 */
public final class ManifestSigner {
    private static final String SECRET_NAME = "export_ed25519";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private ManifestSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The shared key: loaded, or made and stored once when no instance has made it yet. */
    public static Future<ManifestSigner> load(Pool pool, Clock clock) {
        byte[] fresh = encode(generate());
        return pool.preparedQuery("INSERT INTO gateway_shared_secrets (name, secret, created_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (name) DO NOTHING")
                .execute(Tuple.of(SECRET_NAME, Buffer.buffer(fresh), utc(clock.instant())))
                .compose(v -> pool.preparedQuery("SELECT secret FROM gateway_shared_secrets WHERE name = $1")
                        .execute(Tuple.of(SECRET_NAME)))
                .map(rows -> decode(rows.iterator().next().getBuffer("secret").getBytes()));
    }

    /** For tests and tools: a signer of a fresh key. */
    public static ManifestSigner fresh() {
        KeyPair k = generate();
        return new ManifestSigner(k.getPrivate(), k.getPublic());
    }

    /** The public key, X.509 SubjectPublicKeyInfo, as PEM. */
    public String publicKeyPem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(publicKey.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** The public key's DER, base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** {@code manifest} (which must not hold a {@code signature} member) signed: compact JSON text. */
    public String sign(JsonObject manifest) {
        if (manifest.containsKey("signature")) {
            throw new IllegalArgumentException("a manifest to sign holds no signature yet");
        }
        String body = manifest.encode();
        byte[] sig;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(body.getBytes(StandardCharsets.UTF_8));
            sig = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
        String signature = new JsonObject().put("algorithm", "Ed25519").put("publicKey", publicKeyBase64())
                .put("value", Base64.getEncoder().encodeToString(sig)).encode();
        return body.substring(0, body.length() - 1) + ",\"signature\":" + signature + "}";
    }

    /** Whether {@code signed} (as {@link #sign} wrote it) verifies with this signer's key. */
    public boolean verify(String signed) {
        int at = signed.lastIndexOf(",\"signature\":");
        if (at < 0) {
            return false;
        }
        String body = signed.substring(0, at) + "}";
        try {
            JsonObject sig = new JsonObject(signed).getJsonObject("signature");
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(publicKey);
            s.update(body.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(sig.getString("value")));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** Private key (PKCS#8) and public key (X.509), each after its length. */
    private static byte[] encode(KeyPair k) {
        byte[] priv = k.getPrivate().getEncoded();
        byte[] pub = k.getPublic().getEncoded();
        return ByteBuffer.allocate(8 + priv.length + pub.length).putInt(priv.length).put(priv).putInt(pub.length)
                .put(pub).array();
    }

    private static ManifestSigner decode(byte[] stored) {
        ByteBuffer b = ByteBuffer.wrap(stored);
        byte[] priv = new byte[b.getInt()];
        b.get(priv);
        byte[] pub = new byte[b.getInt()];
        b.get(pub);
        try {
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            return new ManifestSigner(f.generatePrivate(new PKCS8EncodedKeySpec(priv)),
                    f.generatePublic(new X509EncodedKeySpec(pub)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored export signing key cannot be read", e);
        }
    }
}
