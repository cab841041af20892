package org.runbooks;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.temporal.workflow.Workflow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Random;
import java.util.UUID;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workflow code is replayed from history, so it must not touch the world or read clocks and randomness except
 * through Temporal's {@link Workflow} API (rule 7 of the style guide). Side effects belong in activities.
 */
class DeterminismRulesTest {

    /**
     * Every package of this module: all run inside a workflow, the parser's too, since the phase dispatches each step
     * through the parser's list of kinds ({@code parse.StepKinds}), and the parser is pure (it reads no files).
     */
    static final String[] WORKFLOW_PACKAGES = {"org.runbooks.api..", "org.runbooks.model..", "org.runbooks.parse..",
        "org.runbooks.runbook..",
        "org.runbooks.phase..", "org.runbooks.step..", "org.runbooks.backfill..", "org.runbooks.validate..",
        "org.runbooks.gate..", "org.runbooks.wait..", "org.runbooks.flag..", "org.runbooks.sql..", "org.runbooks.notify..",
        "org.runbooks.load..", "org.runbooks.saga..", "org.runbooks.report..", "org.runbooks.ui..", "org.runbooks.cutover..", "org.runbooks.stream.."};

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.runbooks");
    }

    @Test
    void workflowCodeDoesNotDependOnIoThreadsClocksOrRandomness() {
        noWorldlyDependencies(WORKFLOW_PACKAGES).check(mainClasses);
    }

    @Test
    void workflowCodeDoesNotReadTheSystemClockOrMakeRandomIds() {
        noNondeterministicCalls(WORKFLOW_PACKAGES).check(mainClasses);
    }

    @Test
    void theRulesSeeTheWorkflowCodeAndNoTests() {
        assertThat(mainClasses.stream().map(JavaClass::getPackageName))
                .contains("org.runbooks.runbook", "org.runbooks.phase", "org.runbooks.backfill", "org.runbooks.saga");
        assertThat(mainClasses.stream().map(JavaClass::getPackageName).distinct()).as("every package is guarded")
                .allSatisfy(name -> assertThat(java.util.Arrays.stream(WORKFLOW_PACKAGES)
                        .anyMatch(guarded -> guarded.equals(name + ".."))).as(name).isTrue());
        assertThat(mainClasses.stream().map(JavaClass::getName)).doesNotContain(getClass().getName());
    }

    /** Each fixture below does one forbidden thing; the rules must name it, or they guard nothing. */
    @ParameterizedTest
    @ValueSource(classes = {
        UsesJdbc.class, UsesHttp.class, UsesFile.class, UsesPath.class, UsesRandom.class, UsesClock.class,
        UsesThread.class, ReadsCurrentTimeMillis.class, ReadsNanoTime.class, ReadsInstantNow.class,
        ReadsLocalDateTimeNow.class, MakesRandomUuid.class,
    })
    void rulesReportEachForbiddenUse(Class<?> fixture) {
        EvaluationResult result = determinismRules(fixture.getPackageName())
                .evaluate(new ClassFileImporter().importClasses(fixture));

        assertThat(result.hasViolation()).as("violation reported for %s", fixture.getSimpleName()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(
                line -> assertThat(line).contains(fixture.getName()));
    }

    @Test
    void rulesAllowTemporalsOwnClockAndPlainValues() {
        EvaluationResult result = determinismRules(UsesWorkflowClock.class.getPackageName())
                .evaluate(new ClassFileImporter().importClasses(UsesWorkflowClock.class));

        assertThat(result.getFailureReport().getDetails()).isEmpty();
    }

    private static ArchRule determinismRules(String... packages) {
        return CompositeArchRule.of(noWorldlyDependencies(packages)).and(noNondeterministicCalls(packages));
    }

    private static ArchRule noWorldlyDependencies(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat(resideInAnyPackage("java.sql..", "java.net..", "java.nio.file..")
                        .or(belongToAnyOf(File.class, Clock.class, Thread.class))
                        .or(assignableTo(Random.class)))
                .because("workflow code is replayed; I/O, threads, clocks and randomness belong in activities"
                        + " or go through io.temporal.workflow.Workflow");
    }

    private static ArchRule noNondeterministicCalls(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().callMethodWhere(call(System.class, "currentTimeMillis"))
                .orShould().callMethodWhere(call(System.class, "nanoTime"))
                .orShould().callMethodWhere(call(UUID.class, "randomUUID"))
                .orShould().callMethodWhere(DescribedPredicate.describe("java.time.*.now()",
                        (JavaMethodCall c) -> c.getName().equals("now")
                                && c.getTargetOwner().getPackageName().equals("java.time")))
                .because("Workflow.currentTimeMillis() and Workflow.randomUUID() replay the same values");
    }

    private static DescribedPredicate<JavaMethodCall> call(Class<?> owner, String method) {
        return DescribedPredicate.describe(owner.getName() + "." + method + "()",
                c -> c.getName().equals(method) && c.getTargetOwner().isEquivalentTo(owner));
    }

    static class UsesJdbc {
        Object connect() throws SQLException {
            return DriverManager.getConnection("jdbc:h2:mem:x");
        }
    }

    static class UsesHttp {
        Object endpoint() {
            return URI.create("http://example.org");
        }
    }

    static class UsesFile {
        boolean present() {
            return new File("runbook.yaml").exists();
        }
    }

    static class UsesPath {
        Object path() {
            return Path.of("runbook.yaml");
        }
    }

    static class UsesRandom {
        int roll() {
            return new Random().nextInt(6);
        }
    }

    static class UsesClock {
        Object clock() {
            return Clock.systemUTC();
        }
    }

    static class UsesThread {
        void pause() throws InterruptedException {
            Thread.sleep(10);
        }
    }

    static class ReadsCurrentTimeMillis {
        long now() {
            return System.currentTimeMillis();
        }
    }

    static class ReadsNanoTime {
        long now() {
            return System.nanoTime();
        }
    }

    static class ReadsInstantNow {
        Object now() {
            return Instant.now();
        }
    }

    static class ReadsLocalDateTimeNow {
        Object now() {
            return LocalDateTime.now();
        }
    }

    static class MakesRandomUuid {
        Object id() {
            return UUID.randomUUID();
        }
    }

    static class UsesWorkflowClock {
        Object startedAt() {
            return Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(Duration.ofMinutes(5));
        }

        Object id() {
            return Workflow.randomUUID();
        }
    }
}
