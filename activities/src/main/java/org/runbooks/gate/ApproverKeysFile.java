package org.runbooks.gate;

import org.runbooks.api.ApprovalKeys;

import org.runbooks.model.GateStep;
import org.runbooks.model.Phase;
import org.runbooks.model.Runbook;
import org.runbooks.model.Step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's allowed-signers file ({@code runbooks.approvals.allowed-signers}), read each time a runbook loads so
 * that a key added or revoked in the file counts from the next runbook on. With {@code required}, every gate is a
 * signed gate.
 */
public final class ApproverKeysFile {

    private final Path file;
    private final boolean required;

    /** No file: approvers are self-declared, unless a runbook marks a gate {@code signed}, which is then refused. */
    public static final ApproverKeysFile NONE = new ApproverKeysFile(null, false);

    public ApproverKeysFile(Path file, boolean required) {
        if (required && file == null) {
            throw new IllegalArgumentException("runbooks.approvals.require-signatures is true but no "
                    + "runbooks.approvals.allowed-signers file is named");
        }
        this.file = file == null ? null : file.toAbsolutePath().normalize();
        this.required = required;
    }

    /** The keys now in the file; fails with the file, line and reason when it cannot be read. */
    public ApprovalKeys read() {
        if (file == null) {
            return ApprovalKeys.NONE;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new ApprovalKeys(required, file.toString(), AllowedSigners.parse(text, file.toString()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the allowed-signers file " + file + ": " + e);
        }
    }

    /**
     * What keeps {@code runbook} from running with these keys: a signed gate when no file is configured, or one
     * whose approvers with a key are fewer than its quorum, so that it could never pass. Empty when it can run; an
     * approver without a key simply cannot decide.
     */
    public static List<String> problems(Runbook runbook, ApprovalKeys keys) {
        List<String> problems = new ArrayList<>();
        for (Phase phase : runbook.phases()) {
            for (Step step : phase.steps()) {
                if (!(step instanceof GateStep gate) || !(gate.signed() || keys.required())) {
                    continue;
                }
                if (!keys.configured()) {
                    problems.add("gate '" + gate.id() + "' is signed, but the worker names no allowed-signers file "
                            + "(runbooks.approvals.allowed-signers)");
                    continue;
                }
                List<String> keyless = gate.approvers().stream().filter(a -> keys.of(a).isEmpty()).toList();
                if (gate.approvers().size() - keyless.size() < gate.quorum()) {
                    problems.add("gate '" + gate.id() + "' is signed and needs " + gate.quorum() + " approver(s) with "
                            + "a key, but " + String.join(", ", keyless) + " ha" + (keyless.size() == 1 ? "s" : "ve")
                            + " no key in " + keys.source());
                }
            }
        }
        return problems;
    }
}
