package org.runbooks.api;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.Test;
import org.runbooks.api.CheckResult.Kind;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reports travel through workflow histories as JSON; runbooks in flight carry reports written before checks existed. */
class ValidationReportTest {

    private static final DataConverter JSON = DefaultDataConverter.STANDARD_INSTANCE;

    @Test
    void reportRecordedBeforeChecksExistedReadsBackWithNoChecks() {
        // Exactly as a v1 worker wrote it into the recorded histories.
        String old = "{\"stepId\":\"parity\",\"sourceRows\":25000,\"targetRows\":25000,\"sourceChecksum\":\"ab\","
                + "\"targetChecksum\":\"ab\",\"passed\":true,"
                + "\"detail\":\"row counts agree (source 25000, target 25000, tolerance 0); checksums equal\"}";

        ValidationReport report = JSON.fromPayload(json(old), ValidationReport.class, ValidationReport.class);

        assertThat(report).isEqualTo(new ValidationReport("parity", 25000, 25000, "ab", "ab", true,
                "row counts agree (source 25000, target 25000, tolerance 0); checksums equal"));
        assertThat(report.checks()).isEmpty();
    }

    @Test
    void explicitNullChecksReadBackAsEmpty() {
        String withNull = "{\"stepId\":\"parity\",\"passed\":false,\"detail\":\"x\",\"checks\":null}";

        ValidationReport report = JSON.fromPayload(json(withNull), ValidationReport.class, ValidationReport.class);

        assertThat(report.checks()).isEmpty();
    }

    @Test
    void checksKeepTheirKindAsReadableNamesThroughJson() {
        ValidationReport report = new ValidationReport("numbers", 0, 0, null, null, false,
                "KPI revenue differs by 1", List.of(
                new CheckResult("row-count", Kind.ROW_COUNT, true, "5", "5", "±0", "row counts agree"),
                new CheckResult("revenue", Kind.KPI, false, "10", "11", "±0", "KPI revenue differs by 1")));

        Payload payload = JSON.toPayload(report).orElseThrow();

        assertThat(payload.getData().toStringUtf8()).contains("\"kind\":\"row-count\"", "\"kind\":\"kpi\"");
        assertThat(JSON.fromPayload(payload, ValidationReport.class, ValidationReport.class)).isEqualTo(report);
    }

    private static Payload json(String text) {
        return Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8(text))
                .build();
    }
}
