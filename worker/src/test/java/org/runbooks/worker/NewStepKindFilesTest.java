package org.runbooks.worker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's "Adding a step kind" lists every file that names the {@code catchUp} kind, and that list is the whole
 * cost of a kind: nine files. Each Java file of the main code that names the kind's types ({@code CatchUpStep},
 * {@code CatchUpRunner}, ...) or its {@code StepKind.CATCH_UP} is on the list, and nothing else is, so a switch over
 * the kinds that creeps back into a central file fails here.
 */
class NewStepKindFilesTest {

    private static final Path ROOT = Path.of("..");
    /** The kind's own types, and its enum constant (not {@code DEFAULT_CATCH_UP}, a cutover's default). */
    private static final Pattern NAMES_THE_KIND = Pattern.compile("\\bCatchUp[A-Z]\\w*|(?<![A-Z_])CATCH_UP\\b");
    private static final Pattern PATH = Pattern.compile("`([\\w./-]+/[\\w.-]+\\.\\w+)`");

    @Test
    void theFilesReadmeListsForTheCatchUpKindAreExactlyTheFilesThatNameIt() throws IOException {
        List<String> listed = listedFiles();

        assertThat(listed).as("README's list of the catchUp kind's files").hasSize(9);
        for (String file : listed) {
            assertThat(ROOT.resolve(file)).as(file).exists();
        }
        assertThat(listed.stream().filter(f -> !f.endsWith(".java")))
                .allSatisfy(file -> assertThat(Files.readString(ROOT.resolve(file))).as(file).contains("catchUp"));
        assertThat(new TreeSet<>(listed.stream().filter(f -> f.endsWith(".java")).toList()))
                .isEqualTo(javaFilesNamingTheKind());
    }

    /** The paths README's "Adding a step kind" names before it counts them. */
    private static List<String> listedFiles() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n### Adding a step kind\n");
        assertThat(start).as("README has an Adding a step kind section").isNotNegative();
        int end = readme.indexOf("\nNine files.", start);
        assertThat(end).as("the section counts its files").isPositive();
        List<String> paths = new ArrayList<>();
        Matcher m = PATH.matcher(readme.substring(start, end));
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }

    private static TreeSet<String> javaFilesNamingTheKind() throws IOException {
        TreeSet<String> naming = new TreeSet<>();
        for (String module : List.of("workflows", "activities", "worker")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (NAMES_THE_KIND.matcher(Files.readString(file)).find()) {
                        naming.add(ROOT.relativize(file).toString().replace('\\', '/'));
                    }
                }
            }
        }
        return naming;
    }
}
