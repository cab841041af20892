package org.runbooks.runbook;

import org.runbooks.cutover.CutoverActivities;
import org.runbooks.cutover.FreezeRequest;
import org.runbooks.cutover.SequenceSyncRequest;
import org.runbooks.cutover.SequenceSyncResult;
import org.runbooks.cutover.ThawRequest;
import org.runbooks.cutover.WritesFrozen;
import org.runbooks.cutover.WritesThawed;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A cutover's freeze, thaw and sequences that remember what they were asked, and which freezes are in place. */
final class FakeCutover implements CutoverActivities {

    private final List<String> calls;
    final Set<String> frozen = ConcurrentHashMap.newKeySet();

    FakeCutover(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public SequenceSyncResult syncSequences(SequenceSyncRequest request) {
        calls.add("syncSequences:" + request.targetTable());
        return new SequenceSyncResult(List.of());
    }

    @Override
    public WritesFrozen freezeWrites(FreezeRequest request) {
        calls.add("freezeWrites:" + request.connection() + " " + request.tables());
        boolean added = frozen.add(request.freezeId());
        return new WritesFrozen(request.freezeId(), added ? List.of("trigger on " + request.tables()) : List.of(),
                List.of(), 1);
    }

    @Override
    public WritesThawed thawWrites(ThawRequest request) {
        boolean removed = frozen.remove(request.freezeId());
        calls.add("thawWrites:" + request.connection() + (removed ? "" : " (nothing)"));
        return new WritesThawed(request.freezeId(), removed ? List.of("trigger") : List.of());
    }
}
