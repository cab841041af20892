package org.runbooks.preflight;

/** How much a pre-flight finding matters, and what an operator does about it. */
public enum FindingLevel {
    /** The runbook cannot run as written here: fix the runbook or the database, then check again. Blocks a start. */
    ERROR,
    /** It will run, but not quite as one might expect (for example, a rollback that keeps rows): read it. */
    WARNING,
    /** A fact worth knowing before the start, such as whether the target already holds rows. */
    INFO
}
