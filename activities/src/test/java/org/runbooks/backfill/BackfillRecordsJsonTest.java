package org.runbooks.backfill;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Results and heartbeat details recorded before key ranges existed still read, as histories hold them. */
class BackfillRecordsJsonTest {

    private final DataConverter converter = DefaultDataConverter.STANDARD_INSTANCE;

    @Test
    void resultRecordedBeforeKeyRangesReadsAsOneRange() {
        BackfillResult result = read("{\"rowsCopied\":25000,\"chunks\":3,\"targetRowsBefore\":0,\"firstKey\":[\"1\"],"
                + "\"lastKey\":[\"25000\"]}", BackfillResult.class);

        assertThat(result).isEqualTo(new BackfillResult(25_000, 3, 0, List.of("1"), List.of("25000"), 1));
    }

    @Test
    void checkpointRecordedBeforeKeyRangesReadsWithNoSlices() {
        BackfillCheckpoint checkpoint = read("{\"lastKey\":[\"600\"],\"firstKey\":[\"3\"],\"rowsCopied\":200,"
                + "\"chunks\":1,\"targetRowsBefore\":0}", BackfillCheckpoint.class);

        assertThat(checkpoint).isEqualTo(new BackfillCheckpoint(List.of("600"), List.of("3"), 200, 1, 0));
        assertThat(checkpoint.slices()).isEmpty();
    }

    @Test
    void checkpointWithSlicesSurvivesTheRoundTrip() {
        BackfillCheckpoint checkpoint = new BackfillCheckpoint(List.of("900"), List.of("1"), 300, 3, 0,
                List.of(new BackfillCheckpoint.Slice("id in [-inf, 500)", List.of("100"), 100, 1),
                        new BackfillCheckpoint.Slice("id in [500, +inf)", List.of("900"), 200, 2)));

        Payload payload = converter.toPayload(checkpoint).orElseThrow();

        assertThat(converter.fromPayload(payload, BackfillCheckpoint.class, BackfillCheckpoint.class))
                .isEqualTo(checkpoint);
    }

    private <T> T read(String json, Class<T> type) {
        Payload payload = Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFrom("json/plain", StandardCharsets.UTF_8))
                .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
                .build();
        return converter.fromPayload(payload, type, type);
    }
}
