package org.runbooks.worker.codec;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AesGcmPayloadCodecTest {

    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final Payload PLAIN = Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8("{\"sql\":\"select sum(amount) from orders\"}")).build();

    private static AesGcmPayloadCodec codec(Map<String, String> keys, String current) {
        CodecSettings settings = new CodecSettings();
        settings.setKeys(keys);
        settings.setEncryptWith(current);
        return AesGcmPayloadCodec.of(settings);
    }

    @Test
    void anEncodedPayloadHidesItsDataAndDecodesBackExactly() {
        AesGcmPayloadCodec codec = codec(Map.of("k1", K1), null);

        Payload sealed = codec.encode(List.of(PLAIN)).get(0);

        assertThat(sealed.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("binary/encrypted");
        assertThat(sealed.getMetadataOrThrow("encryption-key-id").toStringUtf8()).isEqualTo("k1");
        assertThat(sealed.getData().toStringUtf8()).doesNotContain("select");
        assertThat(codec.decode(List.of(sealed))).containsExactly(PLAIN);
        assertThat(codec.encode(List.of(PLAIN)).get(0)).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void afterARotationOldPayloadsStillDecodeAndNewOnesUseTheNewKey() {
        Payload old = codec(Map.of("k1", K1), null).encode(List.of(PLAIN)).get(0);
        AesGcmPayloadCodec rotated = codec(Map.of("k1", K1, "k2", K2), "k2");

        assertThat(rotated.decode(List.of(old))).containsExactly(PLAIN);
        assertThat(rotated.encode(List.of(PLAIN)).get(0).getMetadataOrThrow("encryption-key-id").toStringUtf8())
                .isEqualTo("k2");
    }

    @Test
    void aPayloadSealedWithAKeyThisWorkerLacksOrAlteredFailsWithTheReason() {
        Payload byK2 = codec(Map.of("k2", K2), null).encode(List.of(PLAIN)).get(0);
        assertThatThrownBy(() -> codec(Map.of("k1", K1), null).decode(List.of(byK2)))
                .isInstanceOf(PayloadCodecException.class).hasMessageContaining("key 'k2'");

        byte[] data = byK2.getData().toByteArray();
        data[data.length - 1] ^= 1;
        Payload altered = byK2.toBuilder().setData(ByteString.copyFrom(data)).build();
        assertThatThrownBy(() -> codec(Map.of("k2", K2), null).decode(List.of(altered)))
                .isInstanceOf(PayloadCodecException.class).hasMessageContaining("altered");
    }

    @Test
    void aFailureMessageAndStackTraceGoIntoTheEncryptedPartAndComeBack() {
        var converter = codec(Map.of("k1", K1), null).dataConverter();

        var failure = converter.exceptionToFailure(new IllegalStateException("KPI revenue: 1234.50 vs 1234.49"));

        assertThat(failure.getMessage()).doesNotContain("1234");
        assertThat(failure.getStackTrace()).isEmpty();
        assertThat(failure.getEncodedAttributes().getMetadataOrThrow("encoding").toStringUtf8())
                .isEqualTo("binary/encrypted");
        assertThat(converter.failureToException(failure)).hasMessageContaining("KPI revenue: 1234.50 vs 1234.49");
    }

    @Test
    void unencryptedPayloadsPassThrough() {
        assertThat(codec(Map.of("k1", K1), null).decode(List.of(PLAIN))).containsExactly(PLAIN);
    }

    @Test
    void badKeysAreRefusedAtStartWithTheFix() {
        assertThatThrownBy(() -> codec(Map.of("k1", "c2hvcnQ="), null))
                .hasMessageContaining("must be 32 bytes").hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> codec(Map.of("k1", K1, "k2", K2), null))
                .hasMessageContaining("encrypt-with must name one of the keys");
        assertThatThrownBy(() -> codec(Map.of("k1", K1), "k9")).hasMessageContaining("'k9'");
    }
}
