package org.runbooks.preflight;

/** A number of rows, counted ({@code exact}) or estimated by the database's planner. */
record RowCount(long rows, boolean exact) {
}
