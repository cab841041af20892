package org.runbooks.parse;

import org.runbooks.model.Step;
import org.runbooks.model.StreamStep;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What a step may be tied to when every step is read: the stream steps that start before it. */
final class Ties {

    private final Checks checks;
    private final Map<String, StreamStep> started;
    private final Map<String, Step> steps;
    private final String stepPath;

    Ties(Checks checks, Map<String, StreamStep> started, Map<String, Step> steps, String stepPath) {
        this.checks = checks;
        this.started = started;
        this.steps = steps;
        this.stepPath = stepPath;
    }

    /** The stream steps that start before this step, in no particular order. */
    Collection<StreamStep> startedStreams() {
        return started.values();
    }

    /**
     * {@code step} with the stream step {@code name} it names ({@code resolve}); {@code step} itself when it names
     * none, or when no stream step of that name starts before it (an error at {@code field.stream} then).
     */
    <S extends Step> Step toStream(S step, String name, String field, Function<StreamStep, S> resolve) {
        if (name == null) {
            return step;
        }
        StreamStep stream = stream(name, field + ".stream");
        return stream == null ? step : resolve.apply(stream);
    }

    /**
     * {@code step} with the stream steps {@code names} it names, in their order ({@code resolve}); {@code step} itself
     * when any of them is not a stream step that starts before it (an error at {@code field.streams[i]} then).
     */
    <S extends Step> Step toStreams(S step, List<String> names, String field,
                                    Function<List<StreamStep>, S> resolve) {
        List<StreamStep> streams = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            StreamStep stream = stream(names.get(i), field + (names.size() > 1 ? ".streams[" + i + "]" : ".stream"));
            if (stream != null) {
                streams.add(stream);
            }
        }
        return streams.isEmpty() || streams.size() < names.size() ? step : resolve.apply(streams);
    }

    /** Reports an error at {@code field} of this step. */
    void error(String field, String message) {
        checks.error(stepPath + "." + field, message);
    }

    private StreamStep stream(String name, String path) {
        StreamStep stream = started.get(name);
        if (stream == null) {
            checks.error(stepPath + "." + path, steps.get(name) == null
                    ? "no step '" + name + "' in this runbook"
                    : "'" + name + "' is not a stream step that comes before this one");
        }
        return stream;
    }
}
