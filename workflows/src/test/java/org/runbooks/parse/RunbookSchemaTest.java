package org.runbooks.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.runbooks.parse.MalformedCorpusTest.CORPUS;
import static org.runbooks.parse.MalformedCorpusTest.MALFORMED;
import static org.runbooks.parse.MalformedCorpusTest.PARSER;
import static org.runbooks.parse.MalformedCorpusTest.read;
import static org.runbooks.parse.MalformedCorpusTest.runbookFiles;

/**
 * Holds {@code runbooks/schema/runbook.schema.json} to the parser: every runbook the parser accepts, the schema
 * accepts; for every malformed one, the schema finds an error at (or around) each place the parser finds one, and
 * nowhere else, unless its .expect says {@code schema: accepts}, which lists in the corpus itself the checks only
 * the parser can make.
 */
class RunbookSchemaTest {

    private static final Path SCHEMA_FILE = Path.of("../runbooks/schema/runbook.schema.json");
    private static final Path RUNBOOKS = Path.of("../runbooks");
    private static final Path VALID = CORPUS.resolve("valid");
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    /** Keywords whose failure is about the whole mapping they apply to. */
    private static final Set<String> COMBINATORS =
            Set.of("oneOf", "anyOf", "allOf", "not", "if", "then", "else", "dependentSchemas");
    /** Keywords, besides properties, that step from a mapping or list into one of its values. */
    private static final Set<String> DESCENDING = Set.of("items", "additionalProperties", "propertyNames");
    /** Keywords whose errors name a field of the mapping they check. */
    private static final Set<String> NAMING_A_FIELD = Set.of("required", "additionalProperties", "propertyNames");

    /** Readers as strict as the parser's about text: a repeated key or a second document is an error, not data. */
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final JsonNode SCHEMA_JSON = readData(SCHEMA_FILE);
    private static final Schema SCHEMA = REGISTRY.getSchema(SCHEMA_JSON);

    static Stream<Path> validFiles() {
        Stream<Path> corpus = runbookFiles(VALID).stream().map(VALID::resolve);
        Stream<Path> shipped = runbookFiles(RUNBOOKS).stream().map(RUNBOOKS::resolve);
        return Stream.concat(corpus, shipped);
    }

    static Stream<String> malformedFiles() {
        return MalformedCorpusTest.malformedFiles();
    }

    @Test
    void schemaIsAValidDraft202012Schema() {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(DRAFT_2020_12));

        assertThat(metaSchema.validate(SCHEMA_JSON)).isEmpty();
        assertThat(SCHEMA_JSON.path("$schema").asText()).isEqualTo(DRAFT_2020_12);
    }

    @Test
    void validCorpusCoversYamlAndJson() {
        List<String> files = runbookFiles(VALID);

        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        assertThat(files.stream().filter(f -> f.endsWith(".json"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(runbookFiles(RUNBOOKS)).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void validRunbookPassesParserAndSchema(Path file) {
        String name = file.getFileName().toString();

        assertThatCode(() -> PARSER.parse(read(file), name)).doesNotThrowAnyException();
        assertThat(schemaErrors(readData(file))).as("schema errors for %s", file).isEmpty();
    }

    /**
     * The malformed files that hold data. A file whose text is broken (YAML or JSON syntax, a repeated key, two
     * documents) has nothing JSON Schema could validate; MalformedCorpusTest pins the parser's error for those.
     */
    static Stream<String> malformedData() {
        return malformedFiles().filter(file -> {
            try {
                parseData(MALFORMED.resolve(file));
                return true;
            } catch (JsonProcessingException e) {
                return false;
            }
        });
    }

    @Test
    void onlyFilesWithBrokenTextAreLeftToTheParser() {
        assertThat(malformedFiles().filter(file -> malformedData().noneMatch(file::equals)))
                .containsExactlyInAnyOrder("duplicate-key.json", "duplicate-key.yaml",
                        "json-syntax-error.json", "two-documents.yaml", "yaml-syntax-error.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedData")
    void schemaRejectsMalformedRunbookWhereTheParserDoes(String file) throws JsonProcessingException {
        JsonNode data = parseData(MALFORMED.resolve(file));
        MalformedCorpusTest.Expectation expected =
                MalformedCorpusTest.Expectation.of(MALFORMED.resolve(file + ".expect"));
        List<Error> errors = SCHEMA.validate(data);

        if (expected.schemaAccepts()) {
            assertThat(describe(errors)).as("%s is marked '%s': only the parser can find its errors", file,
                    MalformedCorpusTest.Expectation.SCHEMA_ACCEPTS).isEmpty();
            return;
        }
        List<String> schemaPlaces = errors.stream().map(RunbookSchemaTest::placeOf).toList();
        List<String> parserPlaces = expected.errors().stream().map(RunbookSchemaTest::pathOf).toList();
        for (String place : parserPlaces) {
            assertThat(schemaPlaces).as("in %s the schema also finds the parser's error at '%s'; it found %s",
                    file, place, describe(errors)).anyMatch(at -> related(place, at));
        }
        for (String at : schemaPlaces) {
            assertThat(parserPlaces).as("in %s the parser also finds the schema's error at '%s'; schema: %s",
                    file, at, describe(errors)).anyMatch(place -> related(place, at));
        }
    }

    private static List<String> schemaErrors(JsonNode data) {
        return describe(SCHEMA.validate(data));
    }

    private static List<String> describe(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }

    private static JsonNode readData(Path file) {
        try {
            return parseData(file);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(file + " is not valid YAML or JSON", e);
        }
    }

    /** An empty YAML document has no value; the schema sees null, as the parser does. */
    private static JsonNode parseData(Path file) throws JsonProcessingException {
        ObjectMapper mapper = file.toString().endsWith(".json") ? JSON : YAML;
        JsonNode data = mapper.readTree(read(file));
        return data == null || data.isMissingNode() ? NullNode.instance : data;
    }

    /** The field path of a line {@code LINE:COLUMN PATH: MESSAGE}; {@code (file)} is the document itself. */
    private static String pathOf(String expectLine) {
        String rest = expectLine.substring(expectLine.indexOf(' ') + 1);
        String path = rest.substring(0, rest.indexOf(": "));
        return path.equals("(file)") ? "" : path;
    }

    /**
     * Where a schema error is, written as the parser writes paths. A rule that combines subschemas (oneOf, if/then,
     * dependentSchemas, ...) is placed at the mapping it applies to, however deep its failing branch looked;
     * required and additionalProperties are placed at the field they name.
     */
    private static String placeOf(Error error) {
        NodePath instance = error.getInstanceLocation();
        NodePath evaluation = error.getEvaluationPath();
        int depth = 0;
        for (int i = 0; i < evaluation.getNameCount(); i++) {
            String keyword = String.valueOf(evaluation.getElement(i));
            if (COMBINATORS.contains(keyword)) {
                return parserPath(instance, depth);
            }
            if (keyword.equals("properties")) {
                depth++;
                i++;
            } else if (DESCENDING.contains(keyword)) {
                depth++;
            }
        }
        String path = parserPath(instance, instance.getNameCount());
        if (error.getProperty() != null && NAMING_A_FIELD.contains(error.getKeyword())) {
            return path.isEmpty() ? error.getProperty() : path + "." + error.getProperty();
        }
        return path;
    }

    /** The first {@code depth} steps of an instance location, as in {@code phases[0].steps[1].gate}. */
    private static String parserPath(NodePath location, int depth) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < Math.min(depth, location.getNameCount()); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    /** True when one path is the other or lies inside it. */
    private static boolean related(String a, String b) {
        return contains(a, b) || contains(b, a);
    }

    private static boolean contains(String outer, String inner) {
        return outer.isEmpty() || inner.equals(outer) || inner.startsWith(outer + ".") || inner.startsWith(outer + "[");
    }
}
