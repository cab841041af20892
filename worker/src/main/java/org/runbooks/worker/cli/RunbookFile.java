package org.runbooks.worker.cli;

import org.runbooks.model.Runbook;
import org.runbooks.parse.InvalidRunbookException;
import org.runbooks.parse.RunbookError;
import org.runbooks.parse.RunbookParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One runbook file as the subcommands read it: parsed against the worker's connection names, or the problems
 * that stop it, each as one line ({@code file:line:col: path: message}).
 *
 * @param runbook  the parsed runbook, or null when there are problems
 * @param problems one line each; empty when the file is valid
 */
record RunbookFile(String name, Runbook runbook, List<String> problems) {

    static RunbookFile read(String name, Set<String> connectionNames, Set<String> webhookNames) {
        String text;
        try {
            text = Files.readString(Path.of(name));
        } catch (IOException e) {
            return new RunbookFile(name, null, List.of(name + ": cannot read: " + e));
        }
        try {
            return new RunbookFile(name, new RunbookParser(connectionNames, webhookNames).parse(text, name), List.of());
        } catch (InvalidRunbookException e) {
            return new RunbookFile(name, null, e.errors().stream().map(RunbookError::toString).toList());
        }
    }

    boolean valid() {
        return problems.isEmpty();
    }
}
