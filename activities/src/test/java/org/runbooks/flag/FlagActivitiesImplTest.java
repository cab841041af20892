package org.runbooks.flag;

import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.runbooks.api.FlagRestore;
import org.runbooks.jdbc.TwoDatabases;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.runbooks.jdbc.TwoDatabases.ONE_ATTEMPT;
import static org.runbooks.jdbc.TwoDatabases.TARGET;
import static org.runbooks.jdbc.TwoDatabases.applicationFailureOf;

class FlagActivitiesImplTest {

    private static final String FLAG = "orders.read_v2";
    private static final String FLAG_ROW = "select percent, updated_by from runbook_flags where name = '" + FLAG + "'";

    private TwoDatabases db;
    private TestActivityEnvironment testEnv;
    private FlagActivities flags;

    @BeforeEach
    void setUp() {
        db = new TwoDatabases();
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(new FlagActivitiesImpl(db.registry));
        flags = testEnv.newActivityStub(FlagActivities.class, ONE_ATTEMPT);
    }

    @AfterEach
    void tearDown() {
        testEnv.close();
        db.close();
    }

    @Test
    void settingAFlagThatDidNotExistReturnsAbsentAndCreatesIt() {
        FlagValue previous = flags.setFlag(change("run-1/read-v2", 100));

        assertThat(previous).isEqualTo(FlagValue.absent());
        assertThat(db.rows(TARGET, FLAG_ROW)).containsExactly(List.of(100, "alice"));
    }

    @Test
    void settingAnExistingFlagReturnsItsPreviousValue() {
        flags.setFlag(change("run-1/canary", 25));

        FlagValue previous = flags.setFlag(change("run-1/read-v2", 100));

        assertThat(previous).isEqualTo(new FlagValue(true, 25));
        assertThat(db.rows(TARGET, FLAG_ROW)).containsExactly(List.of(100, "alice"));
    }

    @Test
    void repeatedSetWithTheSameKeyReturnsTheFirstPreviousValueAndRecordsOnce() {
        flags.setFlag(change("run-1/canary", 25));
        FlagValue first = flags.setFlag(change("run-1/read-v2", 100));

        FlagValue retried = flags.setFlag(change("run-1/read-v2", 100));

        assertThat(retried).isEqualTo(first).isEqualTo(new FlagValue(true, 25));
        assertThat(db.count(TARGET, "select count(*) from runbook_flag_changes where change_key = 'run-1/read-v2'"))
                .isEqualTo(1);
        assertThat(db.rows(TARGET, FLAG_ROW)).containsExactly(List.of(100, "alice"));
    }

    @Test
    void restorePutsBackTheValueTheChangeReplaced() {
        flags.setFlag(change("run-1/canary", 25));
        flags.setFlag(change("run-1/read-v2", 100));

        String restored = flags.restoreFlag(new FlagRestore("run-1/read-v2", TARGET, FLAG, "rollback"));

        assertThat(restored).isEqualTo("restored flag orders.read_v2 to 25%");
        assertThat(db.rows(TARGET, FLAG_ROW)).containsExactly(List.of(25, "rollback"));
        assertThat(db.rows(TARGET, "select restored from runbook_flag_changes where change_key = 'run-1/read-v2'"))
                .containsExactly(List.of(true));
    }

    @Test
    void restoreRemovesAFlagThatDidNotExistBefore() {
        flags.setFlag(change("run-1/read-v2", 100));

        String restored = flags.restoreFlag(new FlagRestore("run-1/read-v2", TARGET, FLAG, "rollback"));

        assertThat(restored).isEqualTo("removed flag orders.read_v2 (it did not exist before)");
        assertThat(db.rows(TARGET, FLAG_ROW)).isEmpty();
    }

    @Test
    void restoringTwiceLeavesTheSameValue() {
        flags.setFlag(change("run-1/canary", 25));
        flags.setFlag(change("run-1/read-v2", 100));
        FlagRestore restore = new FlagRestore("run-1/read-v2", TARGET, FLAG, "rollback");
        String first = flags.restoreFlag(restore);

        String second = flags.restoreFlag(restore);

        assertThat(second).isEqualTo(first);
        assertThat(db.rows(TARGET, FLAG_ROW)).containsExactly(List.of(25, "rollback"));
    }

    @Test
    void restoreLeavesAFlagChangedSinceBySomeoneElseAndReportsTheConflict() {
        flags.setFlag(change("run-1/canary", 25));
        flags.setFlag(change("run-1/read-v2", 100));
        db.execute(TARGET, "update runbook_flags set percent = 50, updated_by = 'carol' where name = '" + FLAG + "'");

        String restored = flags.restoreFlag(new FlagRestore("run-1/read-v2", TARGET, FLAG, "rollback"));

        assertThat(restored).isEqualTo("conflict: flag orders.read_v2 is at 50%, not the 100% this step set;"
                + " left as it is (it was 25% before)");
        assertThat(db.rows(TARGET, FLAG_ROW)).containsExactly(List.of(50, "carol"));
    }

    @Test
    void restoreLeavesAFlagDeletedSinceBySomeoneElseAndReportsTheConflict() {
        flags.setFlag(change("run-1/canary", 25));
        flags.setFlag(change("run-1/read-v2", 100));
        db.execute(TARGET, "delete from runbook_flags where name = '" + FLAG + "'");

        String restored = flags.restoreFlag(new FlagRestore("run-1/read-v2", TARGET, FLAG, "rollback"));

        assertThat(restored).isEqualTo("conflict: flag orders.read_v2 is absent, not the 100% this step set;"
                + " left as it is (it was 25% before)");
        assertThat(db.rows(TARGET, FLAG_ROW)).isEmpty();
    }

    @Test
    void restoreOfAChangeNeverMadeLeavesTheFlagAlone() {
        flags.setFlag(change("run-1/canary", 25));

        String restored = flags.restoreFlag(new FlagRestore("run-1/read-v2", TARGET, FLAG, "rollback"));

        assertThat(restored).isEqualTo("nothing to restore: flag orders.read_v2 was never changed by this step");
        assertThat(db.rows(TARGET, FLAG_ROW)).containsExactly(List.of(25, "alice"));
    }

    @Test
    void unknownConnectionFailsWithoutRetry() {
        ApplicationFailure failure = applicationFailureOf(
                () -> flags.setFlag(new FlagChange("run-1/read-v2", "archive", FLAG, 100, "alice")));

        assertThat(failure.getType()).isEqualTo("UnknownConnection");
        assertThat(failure.isNonRetryable()).isTrue();
    }

    private static FlagChange change(String key, int percent) {
        return new FlagChange(key, TARGET, FLAG, percent, "alice");
    }
}
