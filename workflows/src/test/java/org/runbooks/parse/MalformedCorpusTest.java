package org.runbooks.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins every error message the parser gives, with its line and column, on a corpus of broken runbooks: each file in
 * {@code corpus/malformed/} has a sidecar {@code <file>.expect} listing its errors one per line as
 * {@code LINE:COLUMN PATH: MESSAGE}, in the order the parser reports them. A changed message, a moved position or a
 * check that stops firing fails here, so every change to what authors read is a deliberate one.
 */
class MalformedCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/corpus");
    static final Path MALFORMED = CORPUS.resolve("malformed");
    /** What the corpus is parsed against: the names a worker configured with these connections and webhooks knows. */
    static final RunbookParser PARSER =
            new RunbookParser(Set.of("legacy", "target", "warehouse"), Set.of("ops-channel"));

    private static final String EXPECT = ".expect";
    private static final int MINIMUM_FILES = 30;

    static Stream<String> malformedFiles() {
        return runbookFiles(MALFORMED).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void reportsExactlyTheExpectedErrors(String file) {
        Expectation expected = Expectation.of(MALFORMED.resolve(file + EXPECT));

        assertThat(errorLines(file)).as("errors of %s", file).isEqualTo(expected.errors());
    }

    @Test
    void corpusHasEnoughFilesAndEachHasItsExpectation() throws IOException {
        List<String> files = runbookFiles(MALFORMED);
        List<String> expectations;
        try (Stream<Path> listing = Files.list(MALFORMED)) {
            expectations = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(EXPECT))
                    .map(n -> n.substring(0, n.length() - EXPECT.length())).sorted().toList();
        }

        assertThat(files).hasSizeGreaterThanOrEqualTo(MINIMUM_FILES);
        assertThat(files.stream().filter(f -> f.endsWith(".json"))).hasSizeGreaterThanOrEqualTo(3);
        assertThat(expectations).as("every runbook has an .expect and every .expect a runbook").isEqualTo(files);
    }

    /** The parser's errors for a malformed file, in the .expect format; empty if the file parses. */
    private static List<String> errorLines(String file) {
        try {
            PARSER.parse(read(MALFORMED.resolve(file)), file);
            return List.of();
        } catch (InvalidRunbookException e) {
            return e.errors().stream().map(MalformedCorpusTest::line).toList();
        }
    }

    /** {@code LINE:COLUMN PATH: MESSAGE}; a line break inside a message is written as {@code \n}. */
    static String line(RunbookError error) {
        return error.line() + ":" + error.column() + " " + error.path() + ": "
                + error.message().replace("\n", "\\n");
    }

    /** The .yaml and .json files of a corpus folder, by name. */
    static List<String> runbookFiles(Path folder) {
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A malformed file's sidecar: its errors, and whether JSON Schema accepts the file because every error is one a
     * schema cannot express (first line {@code schema: accepts}).
     */
    record Expectation(boolean schemaAccepts, List<String> errors) {

        static final String SCHEMA_ACCEPTS = "schema: accepts";

        static Expectation of(Path sidecar) {
            List<String> lines = read(sidecar).lines().filter(l -> !l.isBlank()).toList();
            boolean accepts = !lines.isEmpty() && lines.get(0).equals(SCHEMA_ACCEPTS);
            return new Expectation(accepts, accepts ? lines.subList(1, lines.size()) : lines);
        }
    }
}
