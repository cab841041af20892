package org.runbooks.gate;

import org.runbooks.api.ApprovalKeys;
import org.runbooks.api.ApproverKey;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signatures made by the real ssh-keygen, checked by our reader, for each supported key type. */
class SshSignatureTest {

    @TempDir
    static Path dir;
    static SshKeygen keygen;

    private static final String STATEMENT = ApprovalStatement.of("orders-1", "go-no-go", true, 1,
            ApprovalStatement.evidenceDigest(List.of()));

    @BeforeAll
    static void keygen() {
        keygen = new SshKeygen(dir);
    }

    @ParameterizedTest
    @CsvSource({"ed25519,0", "ecdsa,256", "ecdsa,384", "ecdsa,521", "rsa,3072"})
    void aSignatureByEachKeyTypeVerifiesOverItsStatementOnly(String type, int bits) throws Exception {
        Path key = keygen.key("alice-" + type + bits, type, bits);
        String armored = keygen.sign(key, SshSignature.NAMESPACE, STATEMENT);

        SshSignature signature = SshSignature.parse(armored);

        assertThat(signature.namespace()).isEqualTo(SshSignature.NAMESPACE);
        assertThat(signature.key().sameKey(SshPublicKey.parse(keygen.publicKey(key)))).isTrue();
        assertThat(signature.signs(STATEMENT)).isTrue();
        assertThat(signature.signs(STATEMENT.replace("decision=approve", "decision=reject"))).isFalse();
        assertThat(signature.signs(STATEMENT + " ")).isFalse();
        assertThat(SshSignature.parse(signature.compact()).signs(STATEMENT)).as("compact form").isTrue();
    }

    @Test
    void theFingerprintIsTheOneSshKeygenPrints() throws Exception {
        Path key = keygen.key("fingerprinted", "ed25519", 0);
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").start();
        String printed = new String(p.getInputStream().readAllBytes()).split("\\s+")[1];

        assertThat(SshPublicKey.parse(keygen.publicKey(key)).fingerprint()).isEqualTo(printed);
    }

    @Test
    void aSignedDecisionIsRefusedForAnotherApproversKeyAnotherNamespaceOrAnotherStatement() throws Exception {
        Path alice = keygen.key("alice", "ed25519", 0);
        Path mallory = keygen.key("mallory", "ed25519", 0);
        ApprovalKeys keys = new ApprovalKeys(false, "allowed_signers", List.of(
                new ApproverKey("alice", keygen.publicKey(alice))));

        SignedDecision good = SignedDecision.check("alice", keygen.sign(alice, SshSignature.NAMESPACE, STATEMENT),
                STATEMENT, keys);
        assertThat(good.accepted()).isTrue();
        assertThat(good.key()).isEqualTo(SshPublicKey.parse(keygen.publicKey(alice)).fingerprint());

        assertThat(SignedDecision.check("alice", keygen.sign(mallory, SshSignature.NAMESPACE, STATEMENT), STATEMENT,
                keys).refusal()).contains("which is not a key of 'alice'");
        assertThat(SignedDecision.check("alice", keygen.sign(alice, "git", STATEMENT), STATEMENT, keys).refusal())
                .contains("namespace 'git'");
        assertThat(SignedDecision.check("alice", keygen.sign(alice, SshSignature.NAMESPACE, "another"), STATEMENT,
                keys).refusal()).contains("not over this decision's statement");
        assertThat(SignedDecision.check("bob", keygen.sign(alice, SshSignature.NAMESPACE, STATEMENT), STATEMENT,
                keys).refusal()).contains("'bob' has no key");
        assertThat(SignedDecision.check("alice", null, STATEMENT, keys).refusal()).contains("signed decisions only");
        assertThat(SignedDecision.check("alice", "bm90IGEgc2lnbmF0dXJl", STATEMENT, keys).refusal())
                .contains("no SSHSIG preamble");
    }

    @Test
    void anAllowedSignersFileIsReadAsSshKeygenReadsItAndPatternsAreRefused() throws Exception {
        String alice = keygen.publicKey(keygen.key("alice-file", "ed25519", 0));
        String bob = keygen.publicKey(keygen.key("bob-file", "ecdsa", 256));
        String text = "# approvers\n\nalice,alice@example.com " + alice + " laptop\n"
                + "bob namespaces=\"git,runbook-approval\" " + bob + "\n"
                + "carol namespaces=\"git\" " + bob + "\n";

        assertThat(AllowedSigners.parse(text, "signers")).extracting(ApproverKey::principal)
                .containsExactly("alice", "alice@example.com", "bob");
        assertThatThrownBy(() -> AllowedSigners.parse("*@example.com " + alice, "signers"))
                .hasMessageContaining("signers:1: principal '*@example.com' is a pattern");
        assertThatThrownBy(() -> AllowedSigners.parse("\nalice cert-authority " + alice, "signers"))
                .hasMessageContaining("signers:2: option 'cert-authority' is not supported");
        assertThatThrownBy(() -> AllowedSigners.parse("alice ssh-ed25519 AAAA", "signers"))
                .hasMessageStartingWith("signers:1:");
    }
}
