package org.runbooks;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.runbooks.parse.StepKinds;
import org.runbooks.step.PlanLines;
import org.runbooks.step.StepRunner;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package directions of ARCHITECTURE.md for this module: the contract ({@code api}) and the model depend on
 * nothing else of ours; a step kind's package depends on the contract, the model and the shared step code, never on
 * another kind (one exception below); nothing depends on the runbook or the phase workflow; only the one list of
 * kinds, {@code parse.StepKinds}, names each kind's runner and plan lines; and no two packages depend on each other. Only this module's classes are imported: activities/ reuses the package names.
 */
class PackageDirectionsTest {

    private static final String[] KINDS = {"org.runbooks.backfill..", "org.runbooks.validate..", "org.runbooks.gate..",
        "org.runbooks.wait..", "org.runbooks.flag..", "org.runbooks.sql..", "org.runbooks.notify..",
        "org.runbooks.load..", "org.runbooks.cutover..", "org.runbooks.stream.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importThisModule() {
        classes = new ClassFileImporter().importPath(Path.of("target", "classes"));
    }

    @Test
    void theImportSeesTheWholeModule() {
        assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
                .contains("org.runbooks.api", "org.runbooks.model", "org.runbooks.runbook", "org.runbooks.phase",
                        "org.runbooks.backfill", "org.runbooks.validate", "org.runbooks.gate", "org.runbooks.wait",
                        "org.runbooks.step", "org.runbooks.saga", "org.runbooks.ui");
    }

    @Test
    void theModelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.runbooks.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.runbooks.api..", "org.runbooks.parse..",
                        "org.runbooks.runbook..", "org.runbooks.phase..", "org.runbooks.step..", "org.runbooks.saga..",
                        "org.runbooks.report..", "org.runbooks.ui..")
                .orShould().dependOnClassesThat().resideInAnyPackage(KINDS)
                .check(classes);
    }

    @Test
    void theContractDependsOnlyOnTheModel() {
        noClasses().that().resideInAPackage("org.runbooks.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.runbooks.parse..", "org.runbooks.runbook..",
                        "org.runbooks.phase..", "org.runbooks.step..", "org.runbooks.saga..", "org.runbooks.report..",
                        "org.runbooks.ui..")
                .orShould().dependOnClassesThat().resideInAnyPackage(KINDS)
                .check(classes);
    }

    @Test
    void stepKindsDependOnTheContractTheModelAndTheStepCodeOnly() {
        for (String kind : KINDS) {
            String[] others = java.util.Arrays.stream(KINDS).filter(k -> !k.equals(kind))
                    .filter(k -> !(kind.equals("org.runbooks.validate..")
                            && (k.equals("org.runbooks.backfill..") || k.equals("org.runbooks.stream.."))))
                    .filter(k -> !(kind.equals("org.runbooks.cutover..")
                            && (k.equals("org.runbooks.stream..") || k.equals("org.runbooks.flag..")
                            || k.equals("org.runbooks.sql.."))))
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage(kind)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .orShould().dependOnClassesThat().resideInAnyPackage("org.runbooks.runbook..",
                            "org.runbooks.phase..", "org.runbooks.parse..", "org.runbooks.report..",
                            "org.runbooks.saga..")
                    .because("a step kind's package is the one place to read about it; the exceptions are"
                            + " validate's key repair, which re-copies keys through the backfill's activity, its live"
                            + " comparison, which waits for the stream that keeps its target in step, and the"
                            + " cutover, which switches a stream, flips flags and runs a freeze's SQL through the sql"
                            + " kind's activity (exactly once per key, like a sql step's)")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void onlyTheListOfKindsNamesEachKindsRunnerAndPlanLines() {
        noClasses().that().resideOutsideOfPackages(KINDS).and().doNotHaveFullyQualifiedName(StepKinds.class.getName())
                .should().dependOnClassesThat().implement(StepRunner.class)
                .orShould().dependOnClassesThat().implement(PlanLines.class)
                .because("the phase and plan hand each step to the parts parse.StepKinds lists for its kind; a"
                        + " switch over the kinds elsewhere is one more file each new kind would have to edit")
                .check(classes);
    }

    @Test
    void eachRunnerAndEachKindsPlanLinesLiveInTheirKindsPackage() {
        classes().that().implement(StepRunner.class).or().implement(PlanLines.class)
                .should().resideInAnyPackage(KINDS)
                .check(classes);
    }

    @Test
    void nothingDependsOnTheRunbookOrThePhaseWorkflow() {
        noClasses().that().resideOutsideOfPackage("org.runbooks.runbook..")
                .should().dependOnClassesThat().resideInAPackage("org.runbooks.runbook..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("org.runbooks.phase..")
                .should().dependOnClassesThat().resideInAPackage("org.runbooks.phase..")
                .check(classes);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("org.runbooks.(*)..").should().beFreeOfCycles().check(classes);
    }
}
