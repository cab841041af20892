package org.runbooks.runbook;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.api.FlagRestore;
import org.runbooks.flag.FlagActivities;
import org.runbooks.flag.FlagChange;
import org.runbooks.flag.FlagValue;

import java.util.List;

/** The flag activities; a flag named {@link #failingFlag} cannot be set. */
final class FakeFlags implements FlagActivities {

    private final List<String> calls;
    volatile String failingFlag;

    FakeFlags(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public FlagValue setFlag(FlagChange change) {
        calls.add("setFlag:" + change.name() + "=" + change.percent());
        if (change.name().equals(failingFlag)) {
            throw ApplicationFailure.newFailure("flags table is locked", "DatabaseUnavailable");
        }
        return FlagValue.absent();
    }

    @Override
    public String restoreFlag(FlagRestore restore) {
        calls.add("restoreFlag:" + restore.name());
        return "removed flag " + restore.name();
    }
}
