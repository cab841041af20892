package org.runbooks.runbook;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-ins for every activity, one per feature, that record each call, in order, as "method:step-or-flag" in one
 * shared list. The point of these tests is the workflow's ordering and decisions, so the activities only remember
 * what they were asked.
 */
final class FakeActivities {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final FakeLoader loader;
    final FakeBackfill backfill = new FakeBackfill(calls);
    final FakeValidation validation = new FakeValidation(calls);
    final FakeFlags flags = new FakeFlags(calls);
    final FakeSql sql = new FakeSql(calls);
    final FakeNotify notify = new FakeNotify(calls);
    final FakeReports report = new FakeReports(calls);
    final FakeStreams streams = new FakeStreams(calls);
    final FakeCutover cutover = new FakeCutover(calls);

    FakeActivities(String runbookText) {
        loader = new FakeLoader(calls, runbookText);
    }

    /** Every stand-in, to register with a worker. */
    Object[] all() {
        return new Object[] {loader, backfill, validation, flags, sql, notify, report, streams, cutover};
    }
}
