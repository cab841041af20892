package org.runbooks.api;

/** One operator command (pause, resume, tune, rollback) as the control log in {@code status} keeps it. */
public record ControlEntry(String command, String by, String detail, String at) {
}
