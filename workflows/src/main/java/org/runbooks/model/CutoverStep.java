package org.runbooks.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Switches the application from a stream's source to its target, as one durable sequence: pre-check the stream's
 * lag, freeze writes on the source, let the stream catch up to the position taken at the freeze (or thaw and abort on
 * its own), set the target's sequences past the source's, start a reverse stream (target to source) while writes are
 * still frozen, flip the flags, thaw. Rolling back after it is the same in reverse, and loses nothing.
 *
 * @param stream         the id of the stream step it switches
 * @param maxLag         the pre-check: the stream must be less than this behind before anything is frozen
 * @param catchUp        how long the stream gets, writes frozen, to apply everything up to the freeze
 * @param freeze         the source tables whose writes are frozen (default: the stream's source table)
 * @param sequenceMargin how far past the source's next value each target sequence starts
 * @param reverse        whether to start the reverse stream (default true; without it a rollback cannot bring the
 *                       target's writes back, and the parser says so)
 * @param settle         how long the flags are given to reach every application before the freeze is lifted: as long
 *                       as an application may cache a flag (default 1 s), so none writes to the source after the thaw
 * @param flags          the flags that send the application's reads and writes to the target, flipped at the switch
 * @param resolved       the stream step named by {@code stream}, filled in by the parser
 * @param streams        every stream the step switches, {@code stream} first: one sequence switches them all (one
 *                       freeze, one catch-up bound, one flip, one thaw); null in a step recorded before it: {@code
 *                       stream} alone
 * @param resolvedStreams the stream steps named by {@code streams}, in their order, filled in by the parser; null in a
 *                       step recorded before it: {@code resolved} alone
 * @param freezeFlag     {@code freeze: {flag}}: a flag the application reads and stops writing on, set at the freeze and
 *                       restored at the thaw; null: none
 * @param freezeSql      {@code freeze: {sql}}: SQL that refuses the application's writes (a REVOKE, say), applied at
 *                       the freeze and its revert run at the thaw; null: none
 */
public record CutoverStep(String id, String stream, Duration maxLag, Duration catchUp, List<String> freeze,
                          long sequenceMargin, boolean reverse, Duration settle, List<FlagStep> flags,
                          StreamStep resolved, List<String> streams, List<StreamStep> resolvedStreams,
                          FlagStep freezeFlag, SqlStep freezeSql)
        implements Step {

    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CATCH_UP = Duration.ofSeconds(30);
    /** How long the pre-check waits for the lag to come under {@link #maxLag} before it fails the step. */
    public static final Duration PRE_CHECK_WITHIN = Duration.ofMinutes(2);
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);

    public CutoverStep {
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
        flags = flags == null ? List.of() : List.copyOf(flags);
        streams = streams == null || streams.isEmpty() ? (stream == null ? List.of() : List.of(stream))
                : List.copyOf(streams);
        resolvedStreams = resolvedStreams == null || resolvedStreams.isEmpty()
                ? (resolved == null ? List.of() : List.of(resolved)) : List.copyOf(resolvedStreams);
    }

    /**
     * This step with the stream steps it names, in the order of {@link #streams}; the freeze defaults to their source
     * tables, unless the runbook freezes by a flag or SQL alone.
     */
    public CutoverStep resolve(List<StreamStep> streamSteps) {
        List<String> tables = freeze;
        if (tables.isEmpty() && freezeFlag == null && freezeSql == null) {
            tables = streamSteps.stream().map(s -> s.from().table()).distinct().toList();
        }
        return new CutoverStep(id, stream, maxLag, catchUp, tables, sequenceMargin, reverse, settle, flags,
                streamSteps.get(0), streams, streamSteps, freezeFlag, freezeSql);
    }

    /**
     * The tables frozen on each source connection, connections in the order the streams name them: a {@link #freeze}
     * table goes to the connection of the first stream that reads it, any other table to the first stream's source
     * (the parser refuses such a table when the streams read from several connections).
     */
    public Map<String, List<String>> freezeByConnection() {
        Map<String, List<String>> byConnection = new LinkedHashMap<>();
        for (String table : freeze) {
            String connection = resolvedStreams.stream().filter(s -> s.from().table().equals(table)).findFirst()
                    .orElse(resolvedStreams.get(0)).from().connection();
            byConnection.computeIfAbsent(connection, k -> new ArrayList<>()).add(table);
        }
        byConnection.replaceAll((k, v) -> List.copyOf(v));
        return byConnection;
    }

    @Override
    public StepKind kind() {
        return StepKind.CUTOVER;
    }
}
