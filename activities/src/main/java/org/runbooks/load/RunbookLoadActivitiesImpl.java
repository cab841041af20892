package org.runbooks.load;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.LoadedRunbook;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.api.ApprovalKeys;
import org.runbooks.gate.ApproverKeysFile;
import org.runbooks.model.Runbook;
import org.runbooks.parse.InvalidRunbookException;
import org.runbooks.parse.RunbookError;
import org.runbooks.parse.RunbookParser;
import org.runbooks.parse.RunbookPositions;
import org.runbooks.preflight.Finding;
import org.runbooks.preflight.FindingLevel;
import org.runbooks.preflight.Preflight;
import org.runbooks.preflight.PreflightReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Reads runbook files from the runbooks base directory only ({@link RunbookFiles}), checks them with {@link RunbookParser} against the connection names
 * the worker knows, then runs {@link Preflight} against the databases themselves, so that a runbook that cannot run
 * here fails before its first step, with every reason at once. Nothing is written.
 */
public class RunbookLoadActivitiesImpl implements RunbookLoadActivities {

    private static final Logger log = LoggerFactory.getLogger(RunbookLoadActivitiesImpl.class);

    /** Failure types a retry cannot fix. */
    public static final String INVALID_RUNBOOK = "InvalidRunbook";
    public static final String RUNBOOK_NOT_FOUND = RunbookFiles.RUNBOOK_NOT_FOUND;

    private final RunbookFiles files;
    private final ConnectionRegistry connections;
    private final Set<String> webhookNames;
    private final ApproverKeysFile approvers;

    /** Checks connection names, but not webhook names; names are relative to {@code baseDir}. */
    public RunbookLoadActivitiesImpl(Path baseDir, ConnectionRegistry connections) {
        this(baseDir, connections, null);
    }

    /** @param webhookNames the webhooks the worker can post to; a runbook naming another is refused */
    public RunbookLoadActivitiesImpl(Path baseDir, ConnectionRegistry connections, Set<String> webhookNames) {
        this(baseDir, connections, webhookNames, ApproverKeysFile.NONE);
    }

    /** @param approvers the allowed-signers file whose keys signed gates check decisions against */
    public RunbookLoadActivitiesImpl(Path baseDir, ConnectionRegistry connections, Set<String> webhookNames,
                                     ApproverKeysFile approvers) {
        this(RunbookFiles.in(baseDir), connections, webhookNames, approvers);
    }

    /** @param files where runbook files may be read from, and what their names are relative to */
    public RunbookLoadActivitiesImpl(RunbookFiles files, ConnectionRegistry connections, Set<String> webhookNames,
                                     ApproverKeysFile approvers) {
        this.approvers = approvers;
        this.files = files;
        this.connections = connections;
        this.webhookNames = webhookNames == null ? null : Set.copyOf(webhookNames);
    }

    @Override
    public LoadedRunbook loadRunbook(String file) {
        Path path = files.locate(file);
        try {
            byte[] bytes = Files.readAllBytes(path);
            String text = new String(bytes, StandardCharsets.UTF_8);
            Runbook runbook = new RunbookParser(connections.names(), webhookNames).parse(text, file);
            ApprovalKeys keys = approvalKeys();
            List<String> unsigned = ApproverKeysFile.problems(runbook, keys);
            if (!unsigned.isEmpty()) {
                throw ApplicationFailure.newNonRetryableFailure(file + ": " + String.join("; ", unsigned),
                        INVALID_RUNBOOK);
            }
            preflight(runbook, RunbookPositions.of(text, file));
            return new LoadedRunbook(file, sha256(bytes), runbook, keys);
        } catch (InvalidRunbookException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), INVALID_RUNBOOK, e.errors().toString());
        } catch (IOException e) {
            throw ApplicationFailure.newFailure("cannot read " + path + ": " + e.getMessage(), "RunbookUnreadable");
        }
    }

    private ApprovalKeys approvalKeys() {
        try {
            return approvers.read();
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidApprovers");
        }
    }

    /** Pre-flight errors fail the load like parse errors do, and are placed in the file alike; warnings are logged. */
    private void preflight(Runbook runbook, RunbookPositions positions) {
        PreflightReport report = new Preflight(connections).check(runbook);
        for (Finding finding : report.findings()) {
            if (finding.level() != FindingLevel.ERROR) {
                log.info("runbook={} pre-flight {}", runbook.name(), finding);
            }
        }
        if (!report.errors().isEmpty() && report.errors().stream().allMatch(Finding::unreachable)) {
            throw ApplicationFailure.newFailure("pre-flight cannot reach a database yet; retrying: "
                    + report.errors(), "DatabaseUnavailable");
        }
        if (report.hasErrors()) {
            List<RunbookError> errors = report.errors().stream()
                    .map(e -> positions.error(e.path(), e.message())).toList();
            throw new InvalidRunbookException(errors);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
