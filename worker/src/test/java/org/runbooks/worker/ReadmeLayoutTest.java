package org.runbooks.worker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's layout table matches the tree: every path it names exists, every top-level directory and every script
 * and document has a row, and each module's row names exactly its packages (under {@code org.runbooks}, dotted below
 * the first level), so a package added, moved or removed fails here until README says so.
 */
class ReadmeLayoutTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern PACKAGE_LIKE = Pattern.compile("[a-z]+(\\.[a-z]+)*");

    @Test
    void everyPathTheLayoutNamesExistsAndEveryTopLevelDirectoryScriptAndDocumentHasARow() throws IOException {
        Map<String, String> rows = layout();
        for (String path : rows.keySet()) {
            assertThat(ROOT.resolve(path)).as("README layout path %s", path).exists();
        }
        List<String> named = new ArrayList<>(rows.keySet());
        rows.values().forEach(role -> named.addAll(codeSpans(role)));
        try (Stream<Path> top = Files.list(ROOT)) {
            top.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && !name.equals("target"))
                    .forEach(dir -> assertThat(rows.keySet()).as("README layout rows")
                            .anySatisfy(path -> assertThat(path).startsWith(dir + "/")));
        }
        for (String dir : List.of("scripts", "docs", "bench")) {
            try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
                files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                        .filter(file -> !file.startsWith("."))
                        .forEach(file -> assertThat(named).as("README layout names of %s/", dir)
                                .anySatisfy(n -> assertThat(n).isIn(file, dir + "/" + file)));
            }
        }
    }

    @Test
    void eachModuleRowNamesExactlyItsPackages() throws IOException {
        Map<String, String> rows = layout();
        for (String module : List.of("workflows", "activities", "worker")) {
            TreeSet<String> named = new TreeSet<>(codeSpans(rows.get(module + "/")).stream()
                    .filter(s -> PACKAGE_LIKE.matcher(s).matches()).toList());
            assertThat(named).as("packages README's %s/ row names", module).isEqualTo(packages(module));
        }
    }

    /** The packages under {@code org.runbooks} in {@code module}'s main code, dotted: {@code backfill.pgcopy}. */
    private static TreeSet<String> packages(String module) throws IOException {
        Path base = ROOT.resolve(module).resolve("src/main/java/org/runbooks");
        try (Stream<Path> dirs = Files.walk(base)) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.equals(base))
                    .map(d -> base.relativize(d).toString().replace('/', '.'))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** The rows of README's {@code ## Layout} table: path (without its backquotes) to role. */
    private static Map<String, String> layout() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Layout\n");
        assertThat(start).as("README has a Layout section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start, end).split("\n")) {
            Matcher row = Pattern.compile("^\\| `([^`]+)` \\| (.*) \\|$").matcher(line);
            if (row.matches()) {
                rows.put(row.group(1), row.group(2));
            }
        }
        assertThat(rows).as("README's layout rows").isNotEmpty();
        return rows;
    }

    private static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }
}
