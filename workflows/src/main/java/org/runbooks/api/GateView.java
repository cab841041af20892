package org.runbooks.api;

import java.util.List;

/**
 * A waiting gate as {@code status} shows it, with the commands that decide it. On a signed gate the commands sign
 * the statements with ssh-keygen first, and {@code approveStatement}/{@code rejectStatement} are the exact texts to
 * sign; on a gate that is not signed they are null and {@code approvers} are self-declared.
 */
public record GateView(String gate, String phase, List<String> approvers, int quorum, List<String> approvedBy,
                       String approveCommand, String rejectCommand, boolean signed, String approveStatement,
                       String rejectStatement) {

    /** A gate whose approvers are self-declared. */
    public GateView(String gate, String phase, List<String> approvers, int quorum, List<String> approvedBy,
                    String approveCommand, String rejectCommand) {
        this(gate, phase, approvers, quorum, approvedBy, approveCommand, rejectCommand, false, null, null);
    }
}
