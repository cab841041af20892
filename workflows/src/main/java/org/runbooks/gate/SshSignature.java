package org.runbooks.gate;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A signature made by stock OpenSSH, {@code ssh-keygen -Y sign -n <namespace>} (the SSHSIG format of OpenSSH's
 * PROTOCOL.sshsig): the signer's public key, the namespace, the hash of the message and the signature over them.
 * Accepts the armored text ssh-keygen writes, or its base64 body alone (newlines and armor lines removed), which
 * fits in a one-line JSON input. Checking is pure computation, so workflow code may do it.
 */
public final class SshSignature {

    /** The namespace every approval is signed in: {@code ssh-keygen -Y sign -n runbook-approval}. */
    public static final String NAMESPACE = "runbook-approval";

    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);

    private final SshPublicKey key;
    private final String namespace;
    private final byte[] reserved;
    private final String hashAlgorithm;
    private final byte[] signature;
    private final String compact;

    private SshSignature(SshPublicKey key, String namespace, byte[] reserved, String hashAlgorithm, byte[] signature,
                         String compact) {
        this.key = key;
        this.namespace = namespace;
        this.reserved = reserved;
        this.hashAlgorithm = hashAlgorithm;
        this.signature = signature;
        this.compact = compact;
    }

    /** Reads an armored or bare SSHSIG; fails with a reason a person can act on. */
    public static SshSignature parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the signature is empty");
        }
        String body = text.replace("\\n", "\n")
                .replaceAll("-----BEGIN SSH SIGNATURE-----", "")
                .replaceAll("-----END SSH SIGNATURE-----", "")
                .replaceAll("\\s+", "");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signature is not base64 (paste what ssh-keygen -Y sign wrote)");
        }
        try {
            SshWire wire = new SshWire(bytes);
            byte[] magic = wire.raw(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("it is not an SSH signature (no SSHSIG preamble)");
            }
            int version = wire.uint32();
            if (version != 1) {
                throw new IllegalArgumentException("SSH signature version " + version + " is not supported");
            }
            SshPublicKey key = SshPublicKey.fromBlob(wire.bytes());
            String namespace = wire.text();
            byte[] reserved = wire.bytes();
            String hash = wire.text();
            byte[] signature = wire.bytes();
            if (!hash.equals("sha256") && !hash.equals("sha512")) {
                throw new IllegalArgumentException("hash algorithm '" + hash + "' is not supported");
            }
            return new SshSignature(key, namespace, reserved, hash, signature, body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the signature cannot be read: " + e.getMessage());
        }
    }

    public SshPublicKey key() {
        return key;
    }

    public String namespace() {
        return namespace;
    }

    /** The base64 body, without armor or newlines: what the audit trail keeps for anyone to check again. */
    public String compact() {
        return compact;
    }

    /** Whether this signature, by its own key, is over exactly {@code message} in its namespace. */
    public boolean signs(String message) {
        byte[] data = signedData(message.getBytes(StandardCharsets.UTF_8));
        SshWire wire = new SshWire(signature);
        try {
            String format = wire.text();
            byte[] raw = wire.bytes();
            if (key.key() instanceof Ed25519PublicKeyParameters ed) {
                if (!format.equals("ssh-ed25519")) {
                    return false;
                }
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(false, ed);
                signer.update(data, 0, data.length);
                return signer.verifySignature(raw);
            }
            if (key.key() instanceof RSAKeyParameters rsa) {
                Digest digest = switch (format) {
                    case "rsa-sha2-256" -> new SHA256Digest();
                    case "rsa-sha2-512" -> new SHA512Digest();
                    default -> null; // ssh-rsa signs with SHA-1, which is refused
                };
                if (digest == null) {
                    return false;
                }
                RSADigestSigner signer = new RSADigestSigner(digest);
                signer.init(false, rsa);
                signer.update(data, 0, data.length);
                return signer.verifySignature(raw);
            }
            if (key.key() instanceof ECPublicKeyParameters ec) {
                if (!format.equals(key.type())) {
                    return false;
                }
                SshWire point = new SshWire(raw);
                BigInteger r = new BigInteger(point.bytes());
                BigInteger s = new BigInteger(point.bytes());
                int bits = ec.getParameters().getCurve().getFieldSize();
                Digest digest = bits <= 256 ? new SHA256Digest() : bits <= 384 ? new SHA384Digest() : new SHA512Digest();
                byte[] hash = new byte[digest.getDigestSize()];
                digest.update(data, 0, data.length);
                digest.doFinal(hash, 0);
                ECDSASigner signer = new ECDSASigner();
                signer.init(false, ec);
                return signer.verifySignature(hash, r, s);
            }
            return false;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** What the signer's key signed: the preamble, namespace, reserved field, hash algorithm and the message's hash. */
    private byte[] signedData(byte[] message) {
        Digest digest = hashAlgorithm.equals("sha512") ? new SHA512Digest() : new SHA256Digest();
        byte[] hash = new byte[digest.getDigestSize()];
        digest.update(message, 0, message.length);
        digest.doFinal(hash, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.writeBytes(SshWire.string(namespace));
        out.writeBytes(SshWire.string(reserved));
        out.writeBytes(SshWire.string(hashAlgorithm));
        out.writeBytes(SshWire.string(hash));
        return out.toByteArray();
    }
}
