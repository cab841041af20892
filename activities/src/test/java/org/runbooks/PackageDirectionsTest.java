package org.runbooks;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package directions of ARCHITECTURE.md for the activities: each step kind's implementation depends on what
 * every JDBC activity shares ({@code jdbc}) and on the contracts in workflows/, never on another kind; {@code jdbc}
 * depends on no kind; and no two packages depend on each other. {@code load} (which reads a runbook and runs the
 * pre-flight checks on it) and {@code preflight} sit above the kinds: they may use the kinds' key and column code. Only this module's classes are checked (workflows/
 * uses the same package names for the activity interfaces and payloads, which the kinds do depend on).
 */
class PackageDirectionsTest {

    private static final String[] KINDS = {"org.runbooks.backfill..", "org.runbooks.validate..",
        "org.runbooks.flag..", "org.runbooks.sql..", "org.runbooks.notify..", "org.runbooks.report..", "org.runbooks.cutover..", "org.runbooks.stream.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importThisModule() {
        classes = new ClassFileImporter().importPath(Path.of("target", "classes"));
    }

    @Test
    void theImportSeesTheWholeModule() {
        assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
                .contains("org.runbooks.backfill", "org.runbooks.backfill.pgcopy", "org.runbooks.validate",
                        "org.runbooks.jdbc", "org.runbooks.jdbc.dialect", "org.runbooks.jdbc.connect");
    }

    @Test
    void stepKindsNeverDependOnEachOther() {
        for (String kind : KINDS) {
            String[] others = Arrays.stream(KINDS).filter(k -> !k.equals(kind)).toArray(String[]::new);
            noClasses().that().resideInAPackage(kind)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .orShould().dependOnClassesThat().resideInAnyPackage("org.runbooks.preflight..",
                            "org.runbooks.plan..")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void jdbcDependsOnNoKind() {
        noClasses().that().resideInAPackage("org.runbooks.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage(KINDS)
                .orShould().dependOnClassesThat().resideInAnyPackage("org.runbooks.preflight..", "org.runbooks.plan..")
                .check(classes);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("org.runbooks.(*)..").should().beFreeOfCycles().check(classes);
    }
}
