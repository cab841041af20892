package org.runbooks.worker.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encrypts every payload the worker and its client write (inputs, results, signals, queries, memos, heartbeats,
 * failure details) with AES-256-GCM, so history holds ciphertext. A payload keeps the id of the key it was sealed
 * with; decryption picks that key, so a rotation adds a key and moves {@code encrypt-with} without making older
 * histories unreadable. Payloads that are not encrypted pass through (histories from before encryption was on).
 */
public final class AesGcmPayloadCodec implements PayloadCodec {

    /** The encoding an encrypted payload is marked with, as Temporal's samples name it. */
    public static final String ENCODING = "binary/encrypted";
    /** The metadata key that names the key a payload was encrypted with. */
    public static final String KEY_ID = "encryption-key-id";

    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final String current;
    private final SecureRandom random = new SecureRandom();

    private AesGcmPayloadCodec(Map<String, SecretKey> keys, String current) {
        this.keys = keys;
        this.current = current;
    }

    /**
     * The codec for {@code settings}; a key that is not base64 of 32 bytes, or an {@code encrypt-with} that names no
     * key, fails here, before the worker connects.
     */
    public static AesGcmPayloadCodec of(CodecSettings settings) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        settings.getKeys().forEach((id, base64) -> {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("runbooks.codec.keys." + id + " is not base64: " + e.getMessage());
            }
            if (raw.length != KEY_BYTES) {
                throw new IllegalArgumentException("runbooks.codec.keys." + id + " must be " + KEY_BYTES
                        + " bytes (make one with `openssl rand -base64 32`), not " + raw.length);
            }
            keys.put(id, new SecretKeySpec(raw, "AES"));
        });
        String current = settings.getEncryptWith();
        if (current == null || current.isBlank()) {
            if (keys.size() != 1) {
                throw new IllegalArgumentException("runbooks.codec.encrypt-with must name one of the keys "
                        + keys.keySet() + " when there are several");
            }
            current = keys.keySet().iterator().next();
        }
        if (!keys.containsKey(current)) {
            throw new IllegalArgumentException("runbooks.codec.encrypt-with names '" + current
                    + "', which is not among the keys " + keys.keySet());
        }
        return new AesGcmPayloadCodec(Map.copyOf(keys), current);
    }

    /**
     * The data converter that runs the SDK's default conversion and then this codec, and moves failure messages and
     * stack traces into an encrypted payload too (they are otherwise written to history as plain text).
     */
    public DataConverter dataConverter() {
        return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(this), true);
    }

    /** The id new payloads are encrypted with. */
    public String currentKeyId() {
        return current;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        return payloads.stream().map(this::encrypt).toList();
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        return payloads.stream().map(this::decrypt).toList();
    }

    private Payload encrypt(Payload plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(current.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.toByteArray());
            return Payload.newBuilder()
                    .putMetadata("encoding", ByteString.copyFromUtf8(ENCODING))
                    .putMetadata(KEY_ID, ByteString.copyFromUtf8(current))
                    .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new PayloadCodecException(e);
        }
    }

    private Payload decrypt(Payload payload) {
        ByteString encoding = payload.getMetadataOrDefault("encoding", ByteString.EMPTY);
        if (!encoding.toStringUtf8().equals(ENCODING)) {
            return payload;
        }
        String id = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY).toStringUtf8();
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new PayloadCodecException("the payload was encrypted with key '" + id + "', which this worker "
                    + "does not have (it has " + keys.keySet() + "): add it under runbooks.codec.keys");
        }
        byte[] data = payload.getData().toByteArray();
        if (data.length <= NONCE_BYTES) {
            throw new PayloadCodecException("an encrypted payload is too short to hold its nonce");
        }
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
        } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
            throw new PayloadCodecException("cannot decrypt a payload with key '" + id + "' (wrong key or altered "
                    + "history): " + e.getMessage(), e);
        }
    }
}
