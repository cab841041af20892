# shellcheck shell=bash
# The product as an operator runs it: the shaded worker jar as its own process
# (the command line of worker/src/test/java/org/runbooks/worker/it/WorkerProcess.java,
# plus -Xmx512m), runbooks started and awaited with the Temporal CLI, and the
# worker's heap sampled every second by jstat while it works.
#
# Expects bench/lib/common.sh, JAVA_HOME and TEMPORAL_ADDRESS (services.sh).

BENCH_WORKER_HEAP="512m"
BENCH_WORKER_PID=""
BENCH_JSTAT_PID=""

# Builds the shaded jar unless it is newer than every source file. Never
# `mvn install`: the local Maven repository is shared with other builds.
bench_build_worker() {
    local jar="$BENCH_REPO/worker/target/runbooks-worker.jar"
    if [[ -f "$jar" ]] && [[ -z "$(find "$BENCH_REPO"/{workflows,activities,worker}/src/main \
        "$BENCH_REPO"/{workflows,activities,worker}/pom.xml "$BENCH_REPO/pom.xml" -newer "$jar" -print -quit)" ]]; then
        bench__log "worker jar is up to date: $jar"
        return 0
    fi
    bench__log "building the worker jar (mvn -B -ntp -pl worker -am package -DskipTests)"
    (cd "$BENCH_REPO" && mvn -B -ntp -q -pl worker -am package -DskipTests) >"$BENCH_WORK/mvn.log" 2>&1 ||
        bench__die "the worker jar did not build; see $BENCH_WORK/mvn.log"
}

# Starts the worker with connections legacy -> the source database and
# target -> the target database, runbook files read from $BENCH_WORK, and a
# heap limit of 512 MiB; returns once it polls its task queue.
bench_start_worker() {
    local log="$BENCH_WORK/worker.log"
    mkdir -p "$BENCH_WORK/runbooks" "$BENCH_WORK/reports"
    # Passwords reach the worker through its environment, as in production.
    (cd "$BENCH_WORK" && RUNBOOKS_CONNECTIONS_LEGACY_PASSWORD="$RUNBOOKS_PG_PASSWORD" \
        RUNBOOKS_CONNECTIONS_TARGET_PASSWORD="$RUNBOOKS_PG_PASSWORD" exec "$JAVA_HOME/bin/java" \
        "-Xmx$BENCH_WORKER_HEAP" \
        -Dmicronaut.server.port=-1 \
        "-Dtemporal.target=$TEMPORAL_ADDRESS" \
        "-Drunbooks.base-dir=$BENCH_WORK" \
        "-Drunbooks.reports.dir=$BENCH_WORK/reports" \
        "-Drunbooks.connections.legacy.url=$(bench_jdbc_url "$BENCH_SOURCE_DB")" \
        "-Drunbooks.connections.legacy.user=$RUNBOOKS_PG_USER" \
        "-Drunbooks.connections.target.url=$(bench_jdbc_url "$BENCH_TARGET_DB")" \
        "-Drunbooks.connections.target.user=$RUNBOOKS_PG_USER" \
        -jar "$BENCH_REPO/worker/target/runbooks-worker.jar") </dev/null >"$log" 2>&1 &
    BENCH_WORKER_PID=$!
    bench_await_line "$BENCH_WORKER_PID" "$log" "worker polling task queue" 120 "the worker's start" "$log"
    bench__log "worker running (pid $BENCH_WORKER_PID, -Xmx$BENCH_WORKER_HEAP), log $log"
    bench_sample_heap
}

# One jstat process samples the worker's heap every second for as long as the
# worker lives (cheaper than attaching jcmd every second on a busy machine);
# each line is stamped with the wall clock so a measurement can take the
# samples inside its own start and end.
bench_sample_heap() {
    "$JAVA_HOME/bin/jstat" -gc "$BENCH_WORKER_PID" 1000 > >(
        while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done >"$BENCH_WORK/heap.log"
    ) 2>"$BENCH_WORK/jstat.err" &
    BENCH_JSTAT_PID=$!
}

# The most heap in use (survivors + eden + old, MiB) in any sample between two
# bench_now readings, or "-" without samples.
bench_heap_max_mib() {
    awk -v from="$1" -v to="$2" '
        $2 == "S0C" { for (i = 2; i <= NF; i++) col[$i] = i; next }
        $1 >= from && $1 <= to && ("EU" in col) {
            used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]
            if (used > max) max = used
            seen = 1
        }
        END { if (seen) printf "%.0f", max / 1024; else print "-" }' "$BENCH_WORK/heap.log"
}

# Did the worker run out of heap at any point? (An OutOfMemoryError in an
# activity is retried by Temporal and could otherwise go unnoticed.)
bench_worker_oom() {
    grep -q "OutOfMemoryError" "$BENCH_WORK/worker.log"
}

bench_stop_worker() {
    if [[ -n "$BENCH_WORKER_PID" ]] && kill -0 "$BENCH_WORKER_PID" 2>/dev/null; then
        kill -TERM "$BENCH_WORKER_PID" 2>/dev/null || true
        wait "$BENCH_WORKER_PID" 2>/dev/null || true
    fi
    BENCH_WORKER_PID=""
    if [[ -n "$BENCH_JSTAT_PID" ]] && kill -0 "$BENCH_JSTAT_PID" 2>/dev/null; then
        kill -TERM "$BENCH_JSTAT_PID" 2>/dev/null || true
        wait "$BENCH_JSTAT_PID" 2>/dev/null || true
    fi
    BENCH_JSTAT_PID=""
}

# Runs runbook file $BENCH_WORK/runbooks/$1.yaml as workflow $1 with the
# README's commands, waits for its result (written to $BENCH_WORK/$1.json),
# and prints the wall-clock seconds from before the start to the result.
bench_run_runbook() {
    local id="$1" started ended
    started="$(bench_now)"
    temporal workflow start --type Runbook --task-queue runbooks --workflow-id "$id" \
        --input "{\"file\":\"runbooks/$id.yaml\",\"startedBy\":\"bench\"}" >/dev/null
    temporal workflow result --workflow-id "$id" --output json >"$BENCH_WORK/$id.json"
    ended="$(bench_now)"
    echo "$started $ended"
}
