package org.runbooks.worker.cli;

import org.runbooks.model.Runbook;
import org.runbooks.parse.InvalidRunbookException;
import org.runbooks.parse.RunbookErrorLines;
import org.runbooks.parse.RunbookParser;
import org.runbooks.parse.RunbookPositions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One runbook file as the subcommands read it: parsed against the worker's connection names, or the problems
 * that stop it, each as one line ({@code file:line:col: path: message}).
 *
 * @param runbook   the parsed runbook, or null when there are problems
 * @param problems  one line each; empty when the file is valid
 * @param positions where each field of the file starts, to place pre-flight's findings; null when there are problems
 */
record RunbookFile(String name, Runbook runbook, List<String> problems, RunbookPositions positions) {

    static RunbookFile read(String name, Set<String> connectionNames, Set<String> webhookNames) {
        String text;
        try {
            text = Files.readString(Path.of(name));
        } catch (IOException e) {
            return new RunbookFile(name, null, List.of(name + ": cannot read: " + e), null);
        }
        try {
            return new RunbookFile(name, new RunbookParser(connectionNames, webhookNames).parse(text, name), List.of(),
                    RunbookPositions.of(text, name));
        } catch (InvalidRunbookException e) {
            return new RunbookFile(name, null, RunbookErrorLines.of(e.errors()), null);
        }
    }

    boolean valid() {
        return problems.isEmpty();
    }
}
