package org.runbooks.api;

import java.util.List;

/** A waiting gate as {@code status} shows it, with the commands that decide it. */
public record GateView(String gate, String phase, List<String> approvers, int quorum, List<String> approvedBy,
                       String approveCommand, String rejectCommand) {
}
