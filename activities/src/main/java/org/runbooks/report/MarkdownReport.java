package org.runbooks.report;

import org.runbooks.api.CheckResult;
import org.runbooks.api.CompensationRecord;
import org.runbooks.api.ControlEntry;
import org.runbooks.api.GateAuditEntry;
import org.runbooks.api.Knobs;
import org.runbooks.api.PhaseTiming;
import org.runbooks.api.RollbackTiming;
import org.runbooks.api.StepTiming;
import org.runbooks.api.ValidationReport;
import org.runbooks.ui.Durations;

import java.util.List;
import java.util.Locale;

/**
 * The migration report as Markdown, for the people who sign a migration off: the outcome first, then what ran and
 * when, the evidence, the sign-offs, the operator controls, the rollbacks and the compensation log. Every section is
 * there even when empty, saying so, so a reader can tell "none" from "missing".
 */
final class MarkdownReport {

    private final StringBuilder out = new StringBuilder();

    private MarkdownReport() {
    }

    static String render(MigrationReport report) {
        return new MarkdownReport().write(report);
    }

    private String write(MigrationReport r) {
        line("# Migration report: " + r.runbook());
        line("");
        if (r.description() != null && !r.description().isBlank()) {
            line(r.description().strip());
            line("");
        }
        table(List.of("", ""), List.of(
                List.of("Outcome", "**" + r.outcome() + "**"),
                List.of("Reason", r.reason() == null ? "none" : r.reason()),
                List.of("Workflow", code(r.workflowId()) + " run " + code(r.runId())),
                List.of("Runbook file", code(r.file()) + " sha256 " + code(r.sha256())),
                List.of("Owner", orNone(r.owner())),
                List.of("Started by", orNone(r.startedBy())),
                List.of("Started", r.startedAt()),
                List.of("Ended", r.endedAt() + " (" + Durations.seconds(r.millis()) + ")"),
                List.of("Rows copied", String.format(Locale.ROOT, "%,d", r.rowsCopied()))));
        phases(r.phases());
        evidence(r.evidence());
        gates(r.gates());
        controls(r.controls(), r.knobs());
        streams(r.streams());
        freezes(r.freezes());
        rollbacks(r.rollbacks(), r.compensations(), r.rolledBackDomains());
        section("Outcome");
        line("**" + r.outcome() + "**" + (r.reason() == null ? "" : ": " + r.reason()));
        return out.toString();
    }

    private void phases(List<PhaseTiming> phases) {
        section("Phases and steps");
        if (phases.isEmpty()) {
            line("No phase started.");
            return;
        }
        List<List<String>> rows = new java.util.ArrayList<>();
        for (PhaseTiming p : phases) {
            rows.add(List.of("**" + p.phase() + "**" + (p.domain() == null ? "" : " (domain " + p.domain() + ")"), "",
                    "", p.startedAt(), orNone(p.endedAt()), took(p.endedAt(), p.millis()), p.outcome()));
            for (StepTiming s : p.steps()) {
                rows.add(List.of("", s.step(), s.kind(), s.startedAt(), orNone(s.endedAt()),
                        took(s.endedAt(), s.millis()), s.outcome()));
            }
        }
        table(List.of("phase", "step", "kind", "started", "ended", "took", "outcome"), rows);
    }

    private void evidence(List<ValidationReport> evidence) {
        section("Validation evidence");
        if (evidence.isEmpty()) {
            line("No validation ran.");
            return;
        }
        for (ValidationReport v : evidence) {
            line("### " + v.stepId() + ": " + (v.passed() ? "passed" : "FAILED"));
            line("");
            if (v.repair() != null) {
                line(cell("Repaired " + v.repair().summary()));
                line("");
            }
            if (v.checks().isEmpty()) {
                line(cell(v.detail()));
                line("");
                continue;
            }
            table(List.of("check", "kind", "source", "target", "threshold", "verdict"), v.checks().stream()
                    .map(c -> List.of(c.name(), kind(c), orNone(c.sourceValue()), orNone(c.targetValue()),
                            orNone(c.threshold()), (c.passed() ? "passed: " : "FAILED: ") + c.detail()))
                    .toList());
        }
    }

    private void gates(List<GateAuditEntry> gates) {
        section("Gate decisions (sign-offs)");
        if (gates.isEmpty()) {
            line("No gate was decided.");
            return;
        }
        table(List.of("gate", "by", "decision", "comment", "accepted", "at", "key"), gates.stream()
                .map(g -> List.of(orNone(g.gate()), orNone(g.by()), orNone(g.decision()), orNone(g.comment()),
                        g.accepted() ? "yes" : "refused: " + g.refusal(), orNone(g.at()),
                        g.key() != null ? g.key() : g.accepted() && !"timeout".equals(g.by()) ? "self-declared" : "-"))
                .toList());
        List<GateAuditEntry> signed = gates.stream().filter(g -> g.signature() != null).toList();
        if (!signed.isEmpty()) {
            line("Each signed decision can be checked again, by anyone holding the allowed-signers file, with stock "
                    + "OpenSSH:");
            for (GateAuditEntry g : signed) {
                line("```\n" + verifyCommand(g) + "\n```");
            }
        } else {
            line("No decision was signed: approvers named themselves, and nothing proves who sent a decision.");
        }
    }

    /** The {@code ssh-keygen -Y verify} command that checks a signed decision offline. */
    static String verifyCommand(GateAuditEntry g) {
        return "printf '%s' '" + g.statement() + "' | ssh-keygen -Y verify -f allowed_signers -I " + g.by()
                + " -n runbook-approval -s <(printf '%s\\n' '-----BEGIN SSH SIGNATURE-----' '" + g.signature()
                + "' '-----END SSH SIGNATURE-----')";
    }

    private void controls(List<ControlEntry> controls, Knobs knobs) {
        section("Operator controls (pause, resume, tune, rollback)");
        if (controls.isEmpty()) {
            line("No operator command.");
        } else {
            table(List.of("command", "by", "detail", "at"), controls.stream()
                    .map(c -> List.of(c.command(), orNone(c.by()), orNone(c.detail()), c.at())).toList());
        }
        if (knobs != null) {
            line("Knobs at the end: chunkRows " + (knobs.chunkRows() == null ? "as each step says" : knobs.chunkRows())
                    + ", rowsPerSecond " + (knobs.rowsPerSecond() == null ? "as each step says"
                    : knobs.rowsPerSecond() == 0 ? "no limit" : knobs.rowsPerSecond())
                    + (knobs.paused() ? ", paused by " + knobs.pausedBy() : ", not paused") + ".");
            line("");
        }
    }

    /** Each stream as it last reported: how it ended, how far behind, how many changes it applied. */
    private void streams(List<org.runbooks.api.StreamView> streams) {
        if (streams.isEmpty()) {
            return;
        }
        section("Streams");
        table(List.of("stream", "state", "lag (s)", "changes applied", "applied up to", "detail", "at"),
                streams.stream().map(s -> List.of(s.step(), s.state(),
                        s.lagSeconds() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", s.lagSeconds()),
                        String.format(Locale.ROOT, "%,d", s.changesApplied()), orNone(s.appliedPosition()),
                        orNone(s.detail()), orNone(s.at()))).toList());
    }

    /**
     * Each switch's and switch back's write freeze: how long the application's writes were refused, and how much of
     * that came before the flags moved (what the application waits, plus its flag cache).
     */
    private void freezes(List<org.runbooks.api.WriteFreeze> freezes) {
        if (freezes.isEmpty()) {
            return;
        }
        section("Write freezes");
        table(List.of("step", "direction", "frozen", "writes refused (ms)", "flags moved after (ms)", "thawed",
                        "stages"),
                freezes.stream().map(f -> List.of(f.step(), f.direction(), f.connection(),
                        String.format(Locale.ROOT, "%,d", f.frozenMillis()),
                        String.format(Locale.ROOT, "%,d", f.beforeFlipMillis()), orNone(f.at()),
                        orNone(f.stagesLine().isEmpty() ? null : f.stagesLine()))).toList());
    }

    private void rollbacks(List<RollbackTiming> rollbacks, List<CompensationRecord> log, List<String> domains) {
        section("Rollbacks and compensation log");
        if (rollbacks.isEmpty() && log.isEmpty()) {
            line("Nothing was rolled back.");
            return;
        }
        if (!domains.isEmpty()) {
            line("Domains rolled back: " + String.join(", ", domains) + ".");
            line("");
        }
        table(List.of("rolled back", "reason", "started", "took", "compensations", "failed"), rollbacks.stream()
                .map(b -> List.of(b.domain() == null ? "everything" : "domain " + b.domain(), orNone(b.reason()),
                        b.startedAt(), Durations.seconds(b.millis()), String.valueOf(b.compensations()),
                        String.valueOf(b.failed()))).toList());
        table(List.of("step", "action", "result", "detail"), log.stream()
                .map(c -> List.of(c.stepId(), c.action(), c.succeeded() ? "done" : "FAILED", orNone(c.detail())))
                .toList());
    }

    private void section(String title) {
        line("## " + title);
        line("");
    }

    private void table(List<String> header, List<List<String>> rows) {
        line("| " + String.join(" | ", header.stream().map(MarkdownReport::cell).toList()) + " |");
        line("|" + " --- |".repeat(header.size()));
        for (List<String> row : rows) {
            line("| " + String.join(" | ", row.stream().map(MarkdownReport::cell).toList()) + " |");
        }
        line("");
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    /** A table cell: a pipe would end it and a line break would end the row. */
    static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
    }

    private static String kind(CheckResult check) {
        return check.kind() == null ? "" : check.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String took(String endedAt, long millis) {
        return endedAt == null ? "did not finish" : Durations.seconds(millis);
    }

    private static String code(String text) {
        return text == null ? "none" : "`" + text + "`";
    }

    private static String orNone(String text) {
        return text == null ? "none" : text;
    }
}
