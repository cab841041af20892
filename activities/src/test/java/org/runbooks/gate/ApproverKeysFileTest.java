package org.runbooks.gate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.runbooks.model.Runbook;
import org.runbooks.parse.RunbookParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker's allowed-signers file as a runbook load reads it, and the signed gates it cannot serve. */
class ApproverKeysFileTest {

    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: signed
            phases:
              - name: decide
                steps:
                  - id: go
                    gate: { approvers: [alice, bob, carol], quorum: 2, signed: true }
            """;

    /** A public key made by ssh-keygen -t ed25519. */
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRF8OBYJ4w9EUCn+ZT4e1yqFp8k1U9tMKGAaYNCQqeq";

    @TempDir
    Path dir;

    private static Runbook runbook(String text) {
        return new RunbookParser(Set.of(), Set.of()).parse(text, "signed.yaml");
    }

    @Test
    void aSignedGateNeedsAFileAndAsManyApproversWithAKeyAsItsQuorum() throws Exception {
        String key = KEY;
        Path file = dir.resolve("allowed_signers");
        Files.writeString(file, "alice " + key + "\n");

        assertThat(ApproverKeysFile.problems(runbook(RUNBOOK), ApproverKeysFile.NONE.read())).containsExactly(
                "gate 'go' is signed, but the worker names no allowed-signers file (runbooks.approvals.allowed-signers)");
        assertThat(ApproverKeysFile.problems(runbook(RUNBOOK), new ApproverKeysFile(file, false).read()))
                .containsExactly("gate 'go' is signed and needs 2 approver(s) with a key, but bob, carol have no key in "
                        + file.toAbsolutePath());
        Files.writeString(file, "alice " + key + "\nbob " + key + "\n");
        assertThat(ApproverKeysFile.problems(runbook(RUNBOOK), new ApproverKeysFile(file, false).read())).isEmpty();
        assertThat(ApproverKeysFile.problems(runbook(RUNBOOK.replace(", signed: true", "")),
                new ApproverKeysFile(file, true).read())).as("required: every gate is signed").isEmpty();
        assertThat(ApproverKeysFile.problems(runbook(RUNBOOK.replace(", signed: true", "")),
                ApproverKeysFile.NONE.read())).as("no file, no signed gate: self-declared as before").isEmpty();
    }

    @Test
    void aMissingFileOrRequiredSignaturesWithoutAFileAreClearErrors() {
        assertThatThrownBy(() -> new ApproverKeysFile(null, true)).hasMessageContaining(
                "require-signatures is true but no runbooks.approvals.allowed-signers file is named");
        assertThatThrownBy(() -> new ApproverKeysFile(dir.resolve("nope"), false).read())
                .hasMessageContaining("cannot read the allowed-signers file");
    }
}
