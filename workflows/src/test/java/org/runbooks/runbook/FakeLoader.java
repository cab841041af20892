package org.runbooks.runbook;

import org.runbooks.api.LoadedRunbook;
import org.runbooks.load.RunbookLoadActivities;
import org.runbooks.parse.RunbookParser;

import java.util.List;
import java.util.Set;

/** The loader: parses the runbook text the test gave. */
final class FakeLoader implements RunbookLoadActivities {

    private final List<String> calls;
    private final String runbookText;
    /** The approvers' keys the load returns, as a worker's allowed-signers file would give them. */
    volatile org.runbooks.api.ApprovalKeys approvals = org.runbooks.api.ApprovalKeys.NONE;

    FakeLoader(List<String> calls, String runbookText) {
        this.calls = calls;
        this.runbookText = runbookText;
    }

    @Override
    public LoadedRunbook loadRunbook(String file) {
        calls.add("loadRunbook:" + file);
        return new LoadedRunbook(file, "sha", new RunbookParser(Set.of("legacy", "target", "shop"), Set.of("ops-channel"))
                .parse(runbookText, file), approvals);
    }
}
