# shellcheck shell=bash
# The change-capture benchmark's parts (bench/stream.sh): a pgbench source whose four tables stream into two
# targets, ours through the product's stream engine (org.runbooks.stream.StreamBenchMain, one stream per table) and
# PostgreSQL's own logical replication, each timed catching up on the same backlog, then both sampled under a
# steady load.
#
# Expects bench/lib/common.sh, bench/lib/worker.sh (the jar) and bench/lib/cpu.sh.

BENCH_STREAM_OURS_DB="bench_stream_ours"
BENCH_STREAM_NATIVE_DB="bench_stream_native"
# table:key, in the order pgbench's tpcb-like transaction writes them; bench_stream_tables narrows them.
BENCH_STREAM_TABLES=(pgbench_accounts:aid pgbench_tellers:tid pgbench_branches:bid pgbench_history:hid)
# The marker: one last source transaction after the backlog, whose arrival in a target (looked up by key) says that
# target applied everything before it (native replication applies transactions whole and in commit order).
BENCH_STREAM_MARKER="bench/stream.sh marker"
BENCH_STREAM_OURS_PID=""
BENCH_STREAM_CLIENTS=2

# "all": the four tables (4 changes a transaction); "accounts": pgbench_accounts alone (1 change), one engine
# against one apply worker on the same table.
bench_stream_tables() {
    case "$1" in
        all) ;;
        accounts) BENCH_STREAM_TABLES=(pgbench_accounts:aid) ;;
        *) bench__die "unknown table set $1" ;;
    esac
}

bench__stream_table_names() {
    local t
    for t in "${BENCH_STREAM_TABLES[@]}"; do echo "${t%%:*}"; done
}

# The driver is a test class of activities (it reuses the stream ITs' helpers); `mvn package -DskipTests` in
# bench_build_worker compiles it too, this only catches a driver edited since.
bench_stream_build_driver() {
    local class="$BENCH_REPO/activities/target/test-classes/org/runbooks/stream/StreamBenchMain.class"
    if [[ -f "$class" ]] && [[ -z "$(find "$BENCH_REPO/activities/src/test/java/org/runbooks/stream" -newer "$class" \
        -print -quit)" ]]; then
        return 0
    fi
    bench__log "compiling the stream bench driver (mvn -B -ntp -q -pl workflows,activities test-compile)"
    (cd "$BENCH_REPO" && mvn -B -ntp -q -pl workflows,activities test-compile) >>"$BENCH_WORK/mvn.log" 2>&1 ||
        bench__die "the stream bench driver did not compile; see $BENCH_WORK/mvn.log"
}

# Runs StreamBenchMain with its arguments after the connection ones. BENCH_STREAM_JAR names another worker jar
# (an earlier build, to compare).
bench__stream_java() {
    local command="$1"
    shift
    # shellcheck disable=SC2046,SC2086 # the flags are words; BENCH_STREAM_JAVA_OPTS adds some (a profiler, say)
    "$JAVA_HOME/bin/java" "-Xmx$BENCH_WORKER_HEAP" $(services_worker_java_flags "$JAVA_HOME/bin/java") \
        ${BENCH_STREAM_JAVA_OPTS:-} \
        -cp "${BENCH_STREAM_JAR:-$BENCH_REPO/worker/target/runbooks-worker.jar}:$BENCH_REPO/activities/target/test-classes" \
        org.runbooks.stream.StreamBenchMain "$command" "$(bench_jdbc_url "$BENCH_SOURCE_DB")" \
        "$(bench_jdbc_url "$BENCH_STREAM_OURS_DB")" "$RUNBOOKS_PG_USER" "${RUNBOOKS_PG_PASSWORD:-}" "$@"
}

bench_stream_fill_source() {
    local scale="$1" started ended
    started="$(bench_now)"
    bench_pgbench_init "$BENCH_SOURCE_DB" "$scale" pgbench-init.log
    # pgbench_history has no key; pgbench inserts into it by column name, so a bigserial key fills itself.
    bench_psql "$BENCH_SOURCE_DB" -c "alter table pgbench_history add column hid bigserial primary key"
    ended="$(bench_now)"
    bench_record "pgbench -i (setup, not compared)" "$(bench_elapsed "$started" "$ended")" "$((scale * 100000))" "-" \
        "the source; pgbench_history given a bigserial primary key"
}

# A target database with the four tables' shape and rows (pgbench_history is empty after pgbench -i).
bench_stream_prepare_target() {
    local db="$1" table
    bench_psql postgres -c "drop database if exists $db with (force)" -c "create database $db"
    for table in $(bench__stream_table_names); do
        "$RUNBOOKS_PG_BIN/pg_dump" --schema-only --no-owner -t "$table" -h "$RUNBOOKS_PG_HOST" \
            -p "$RUNBOOKS_PG_PORT" -U "$RUNBOOKS_PG_USER" "$BENCH_SOURCE_DB" | bench_psql "$db" >/dev/null
        bench_psql "$BENCH_SOURCE_DB" -c "copy $table to stdout" | bench_psql "$db" -c "copy $table from stdin"
    done
    bench_psql "$db" -c "vacuum analyze" >/dev/null
}

# Both start positions, before the backlog: ours as StreamStart fixes it (a publication and a slot per stream), and
# native replication's slot with a disabled subscription on it. The slot is made beforehand because CREATE
# SUBSCRIPTION on the source's own cluster would wait for itself while creating one.
bench_stream_fix_start() {
    local tables
    bench__log "fixing the start positions: ours (StreamStart, one per table) and native (a slot)"
    bench__stream_java start "${BENCH_STREAM_TABLES[@]}" >"$BENCH_WORK/ours-start.log" 2>&1 ||
        bench__die "StreamStart failed; see $BENCH_WORK/ours-start.log"
    tables="$(bench__stream_table_names | paste -sd, -)"
    bench_psql "$BENCH_SOURCE_DB" -c "create publication bench_native_pub for table $tables" \
        -c "select pg_create_logical_replication_slot('bench_native', 'pgoutput')" >/dev/null
    bench_psql "$BENCH_STREAM_NATIVE_DB" -c "create subscription bench_native_sub connection
        'host=$RUNBOOKS_PG_HOST port=$RUNBOOKS_PG_PORT dbname=$BENCH_SOURCE_DB user=$RUNBOOKS_PG_USER'
        publication bench_native_pub with (create_slot = false, slot_name = 'bench_native', copy_data = false,
        enabled = false)"
}

# pgbench -n (no vacuum, no truncate of pgbench_history: a truncate stops a stream) with
# $BENCH_STREAM_CLIENTS clients, $1 transactions in all.
bench_stream_backlog() {
    local transactions="$1" changes="$2" started ended wal_before wal
    wal_before="$(bench_scalar "$BENCH_SOURCE_DB" "select pg_current_wal_lsn()")"
    bench__log "the backlog: pgbench -n tpcb-like, $transactions transactions"
    started="$(bench_now)"
    "$RUNBOOKS_PG_BIN/pgbench" -n -c "$BENCH_STREAM_CLIENTS" -j "$BENCH_STREAM_CLIENTS" \
        -t "$((transactions / BENCH_STREAM_CLIENTS))" -h "$RUNBOOKS_PG_HOST" -p "$RUNBOOKS_PG_PORT" \
        -U "$RUNBOOKS_PG_USER" "$BENCH_SOURCE_DB" >"$BENCH_WORK/pgbench-backlog.log" 2>&1 ||
        bench__die "pgbench failed; see $BENCH_WORK/pgbench-backlog.log"
    ended="$(bench_now)"
    bench_psql "$BENCH_SOURCE_DB" -c "update pgbench_accounts set filler = '$BENCH_STREAM_MARKER' where aid = 1"
    wal="$(bench_scalar "$BENCH_SOURCE_DB" "select pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_before')")"
    bench_record "backlog: pgbench -n (setup, not compared)" "$(bench_elapsed "$started" "$ended")" \
        "$changes" "-" "$transactions transactions and the marker: $changes changes to the streamed tables, $((wal / 1048576)) MiB of WAL"
}

# Ours: StreamBenchMain runs the streams (one per table) until caught up ($1 changes applied), then stays, applying and
# reporting its lag every second, until bench_stream_stop_ours.
bench_stream_catch_up_ours() {
    local expected="$1" out="$BENCH_WORK/ours.out" line
    rm -f "$BENCH_WORK/ours.stop"
    bench__log "ours: ${#BENCH_STREAM_TABLES[@]} stream(s) catching up on $expected changes"
    bench__stream_java run "$expected" "$BENCH_WORK/ours.stop" "${BENCH_STREAM_TABLES[@]}" \
        >"$out" 2>"$BENCH_WORK/ours.log" &
    BENCH_STREAM_OURS_PID=$!
    BENCH_CPU_WORKER_PID="$BENCH_STREAM_OURS_PID"
    bench_await_line "$BENCH_STREAM_OURS_PID" "$out" '^starting' 60 "our streams' start" "$BENCH_WORK/ours.log"
    bench_cpu_mark ours-before
    bench_await_line "$BENCH_STREAM_OURS_PID" "$out" '^caught-up' 3600 "our catch-up" "$BENCH_WORK/ours.log"
    bench_cpu_mark ours-after
    line="$(grep -m1 '^caught-up' "$out")"
    grep '^apply-time' "$out" >"$BENCH_WORK/apply-time.txt" || true
    bench_record "catch-up, ours (${#BENCH_STREAM_TABLES[@]} stream(s))" "$(awk '{ printf "%.2f", $2 }' <<<"$line")" \
        "$(awk '{ print $3 }' <<<"$line")" "-" \
        "engine start to every change applied ($(awk '{ printf "%.2f s from the first change applied, %.0f changes/s", $4, ($4 > 0 ? $3 / $4 : 0) }' <<<"$line")); a fresh JVM, its JIT compiling included" \
        "$(bench_cpu_between ours-before ours-after)"
    printf 'ours, time inside batches (applying and committing, per stream)\t%s\n' \
        "$(awk '{ printf "%s%s %s s in %s batches", (NR > 1 ? "; " : ""), $2, $5, $3 }' "$BENCH_WORK/apply-time.txt")" >>"$facts"
}

# Native: ALTER SUBSCRIPTION ... ENABLE, then wait inside the target until the marker is there (looked up by key
# every 20 ms). $1: changes, for the rate. The wait commits every round: a transaction held open for the whole wait
# would keep the target's dead row versions from being pruned and slow the apply (pgbench_branches' few rows take
# every transaction's update: 67 s instead of about 5 at scale 10).
bench_stream_catch_up_native() {
    local changes="$1" started ended
    bench__log "native: the subscription catching up on $changes changes"
    bench_cpu_mark native-before
    started="$(bench_now)"
    bench_psql "$BENCH_STREAM_NATIVE_DB" -c "alter subscription bench_native_sub enable" -c "
        do \$\$ declare give_up timestamptz := clock_timestamp() + interval '1 hour'; begin
            loop
                exit when exists (select 1 from pgbench_accounts where aid = 1 and filler = '$BENCH_STREAM_MARKER');
                if clock_timestamp() > give_up then raise exception 'not caught up after an hour'; end if;
                commit;
                perform pg_sleep(0.02);
            end loop;
        end \$\$"
    ended="$(bench_now)"
    bench_cpu_mark native-after
    bench_record "catch-up, native logical replication" "$(bench_elapsed "$started" "$ended")" "$changes" "-" \
        "ALTER SUBSCRIPTION ENABLE to every change applied" "$(bench_cpu_between native-before native-after)"
}

# The newest pgbench_history row's age in database $1, seconds.
bench__stream_newest_age() {
    bench_scalar "$1" "select coalesce(extract(epoch from clock_timestamp()::timestamp - mtime), -1)
        from pgbench_history order by hid desc limit 1"
}

# pgbench -R $1 for $2 seconds with both applying. Every second: each target's newest row age minus the source's
# at the same moment (the source's own gap between transactions is not lag), and ours' lag figure (StreamLag).
# Samples from the first 2 s are left out: the newest row is then still the backlog's.
bench_stream_steady() {
    local rate="$1" seconds="$2" pid started now source ours native
    bench__log "steady load: pgbench -R $rate for $seconds s, lag sampled every second"
    : >"$BENCH_WORK/lag.tsv"
    "$RUNBOOKS_PG_BIN/pgbench" -n -c "$BENCH_STREAM_CLIENTS" -j "$BENCH_STREAM_CLIENTS" -R "$rate" -T "$seconds" \
        -h "$RUNBOOKS_PG_HOST" -p "$RUNBOOKS_PG_PORT" -U "$RUNBOOKS_PG_USER" "$BENCH_SOURCE_DB" \
        >"$BENCH_WORK/pgbench-steady.log" 2>&1 &
    pid=$!
    started="$(bench_now)"
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        now="$(bench_now)"
        awk -v a="$started" -v b="$now" 'BEGIN { exit !(b - a >= 2) }' || continue
        kill -0 "$pid" 2>/dev/null || break
        bench__stream_table_names | grep -qx pgbench_history || continue
        source="$(bench__stream_newest_age "$BENCH_SOURCE_DB")"
        ours="$(bench__stream_newest_age "$BENCH_STREAM_OURS_DB")"
        native="$(bench__stream_newest_age "$BENCH_STREAM_NATIVE_DB")"
        awk -v s="$source" -v o="$ours" -v n="$native" 'BEGIN {
            d = o - s; printf "ours (newest row age behind the source)\t%.3f\n", (d < 0 ? 0 : d)
            d = n - s; printf "native (newest row age behind the source)\t%.3f\n", (d < 0 ? 0 : d) }' \
            >>"$BENCH_WORK/lag.tsv"
    done
    wait "$pid" || bench__die "pgbench -R failed; see $BENCH_WORK/pgbench-steady.log"
    awk -v from="$(awk -v a="$started" 'BEGIN { printf "%d", (a + 2) * 1000 }')" \
        -v to="$(awk -v a="$(bench_now)" 'BEGIN { printf "%d", a * 1000 }')" \
        '$1 == "lag" && $2 >= from && $2 <= to { printf "ours (its own StreamLag figure, worst stream)\t%s\n", $3 }' \
        "$BENCH_WORK/ours.out" >>"$BENCH_WORK/lag.tsv"
    printf 'steady load\tpgbench -n -c %s -R %s -T %s: %s\n' "$BENCH_STREAM_CLIENTS" "$rate" "$seconds" \
        "$(grep -m1 '^tps' "$BENCH_WORK/pgbench-steady.log" || echo '?')" >>"$facts"
}

# Fails the bench unless, within 10 minutes, every streamed table of both targets equals the source's (row count
# and hash sum, computed by PostgreSQL).
bench_stream_check() {
    local deadline=$((SECONDS + 600)) table db sql fingerprint
    for table in $(bench__stream_table_names); do
        sql="select count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) from $table t"
        fingerprint="$(bench_scalar "$BENCH_SOURCE_DB" "$sql")"
        for db in "$BENCH_STREAM_OURS_DB" "$BENCH_STREAM_NATIVE_DB"; do
            # Ours applies each table on its own stream: a table may still be a moment behind.
            until [[ "$(bench_scalar "$db" "$sql")" == "$fingerprint" ]]; do
                ((SECONDS < deadline)) || bench__die "$db.$table differs from the source after 10 minutes"
                sleep 0.5
            done
        done
        bench__log "$table: both targets == source (rows:hash sum $fingerprint)"
    done
    printf 'checked\tevery streamed table of both targets equals the source after the run (row count and hash sum of every row)\n' \
        >>"$facts"
}

bench_stream_stop_ours() {
    if [[ -n "$BENCH_STREAM_OURS_PID" ]] && kill -0 "$BENCH_STREAM_OURS_PID" 2>/dev/null; then
        touch "$BENCH_WORK/ours.stop"
        wait "$BENCH_STREAM_OURS_PID" 2>/dev/null || bench__log "ours ended with an error; see $BENCH_WORK/ours.log"
    fi
    BENCH_STREAM_OURS_PID=""
}
