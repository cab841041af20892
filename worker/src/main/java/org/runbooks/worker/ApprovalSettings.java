package org.runbooks.worker;

import io.micronaut.context.annotation.ConfigurationProperties;
import org.runbooks.gate.ApproverKeysFile;

import java.nio.file.Path;

/**
 * Who may decide signed gates, under {@code runbooks.approvals:}. {@code allowed-signers}: an OpenSSH
 * allowed-signers file (principal, key type, key per line, as {@code ssh-keygen -Y verify} and git read it), whose
 * principals are approver names; read again each time a runbook starts. {@code require-signatures}: when true, every
 * gate takes signed decisions only, whatever its runbook says. Without a file, approvers are self-declared.
 */
@ConfigurationProperties("runbooks.approvals")
public class ApprovalSettings {

    private String allowedSigners;
    private boolean requireSignatures;

    public String getAllowedSigners() {
        return allowedSigners;
    }

    public void setAllowedSigners(String allowedSigners) {
        this.allowedSigners = allowedSigners == null || allowedSigners.isBlank() ? null : allowedSigners;
    }

    public boolean isRequireSignatures() {
        return requireSignatures;
    }

    public void setRequireSignatures(boolean requireSignatures) {
        this.requireSignatures = requireSignatures;
    }

    /** The file as the load activity reads it; fails when signatures are required and no file is named. */
    ApproverKeysFile keysFile() {
        return new ApproverKeysFile(allowedSigners == null ? null : Path.of(allowedSigners), requireSignatures);
    }
}
