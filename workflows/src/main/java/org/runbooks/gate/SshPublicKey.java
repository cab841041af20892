package org.runbooks.gate;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * An OpenSSH public key as an allowed-signers file or a signature carries it: its type, its wire-format blob and
 * the fingerprint {@code ssh-keygen -l} prints ({@code SHA256:} and unpadded base64). Ed25519, ECDSA (NIST P-256,
 * P-384, P-521) and RSA keys of at least 2048 bits; BouncyCastle reads the blob.
 */
public final class SshPublicKey {

    static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");
    private static final int MIN_RSA_BITS = 2048;

    private final String type;
    private final byte[] blob;
    private final AsymmetricKeyParameter key;

    private SshPublicKey(String type, byte[] blob, AsymmetricKeyParameter key) {
        this.type = type;
        this.blob = blob;
        this.key = key;
    }

    /** Reads {@code "<type> <base64>"}, as the key part of an allowed-signers line; fails with the reason. */
    public static SshPublicKey parse(String typeAndBase64) {
        String[] parts = typeAndBase64 == null ? new String[0] : typeAndBase64.trim().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("a key is written '<type> <base64>', got '" + typeAndBase64 + "'");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not base64: " + e.getMessage());
        }
        SshPublicKey key = fromBlob(blob);
        if (!key.type.equals(parts[0])) {
            throw new IllegalArgumentException("the key says type '" + parts[0] + "' but holds a '" + key.type + "'");
        }
        return key;
    }

    /** Reads a wire-format key blob; fails with the reason. */
    static SshPublicKey fromBlob(byte[] blob) {
        String type;
        try {
            type = new SshWire(blob).text();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key cannot be read: " + e.getMessage());
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("key type '" + type + "' is not supported (supported: ssh-ed25519, "
                    + "ecdsa-sha2-nistp256/384/521, ssh-rsa of at least " + MIN_RSA_BITS + " bits)");
        }
        AsymmetricKeyParameter key;
        try {
            key = OpenSSHPublicKeyUtil.parsePublicKey(blob);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the " + type + " key cannot be read: " + e.getMessage());
        }
        if (key instanceof RSAKeyParameters rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("the RSA key has " + rsa.getModulus().bitLength() + " bits; at least "
                    + MIN_RSA_BITS + " are needed");
        }
        if (!(key instanceof Ed25519PublicKeyParameters || key instanceof ECPublicKeyParameters
                || key instanceof RSAKeyParameters)) {
            throw new IllegalArgumentException("key type '" + type + "' is not supported");
        }
        return new SshPublicKey(type, blob.clone(), key);
    }

    public String type() {
        return type;
    }

    AsymmetricKeyParameter key() {
        return key;
    }

    /** {@code SHA256:<base64>}, as {@code ssh-keygen -l} prints it. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code "<type> <base64>"}. */
    public String text() {
        return type + " " + Base64.getEncoder().encodeToString(blob);
    }

    boolean sameKey(SshPublicKey other) {
        return Arrays.equals(blob, other.blob);
    }
}
