package org.runbooks.cutover;

import org.runbooks.model.CutoverStep;
import org.runbooks.model.StreamStep;
import org.runbooks.stream.StreamRunner;
import org.runbooks.stream.StreamSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * One stream a cutover switches, and the reverse stream (target to source, on the same key) its switch starts. The
 * reverse stream of a cutover's only stream is {@code <cutover id>-reverse}; with several streams each is
 * {@code <cutover id>-reverse-<stream id>}.
 */
record SwitchedStream(StreamStep forward, StreamSpec forwardSpec, StreamStep reverse, StreamSpec reverseSpec,
                      String reverseWorkflow) {

    static List<SwitchedStream> of(CutoverStep c, String runKey, String runbookWorkflow) {
        List<SwitchedStream> switched = new ArrayList<>();
        for (StreamStep forward : c.resolvedStreams()) {
            String reverseId = c.id() + "-reverse" + (c.resolvedStreams().size() == 1 ? "" : "-" + forward.id());
            StreamStep reverse = new StreamStep(reverseId, forward.to(), forward.from(), forward.key(), List.of());
            switched.add(new SwitchedStream(forward, StreamRunner.spec(forward, runKey), reverse,
                    StreamRunner.spec(reverse, runKey), StreamRunner.workflowId(runbookWorkflow, reverseId)));
        }
        return switched;
    }
}
