# shellcheck shell=bash
# The copies, each into a fresh target table of the source's shape and each
# checked against the source afterwards: the raw ceiling (psql COPY piped into
# psql COPY), pgloader, and the product's backfill at a given parallelism.
#
# Expects bench/lib/common.sh and bench/lib/worker.sh.

# Rows per backfill chunk; bench/run.sh sets it (default 10,000, the product's).
BENCH_CHUNK_ROWS="${BENCH_CHUNK_ROWS:-10000}"

bench_fill_source() {
    local scale="$1" started ended
    started="$(bench_now)"
    bench_pgbench_init "$BENCH_SOURCE_DB" "$scale" pgbench.log
    ended="$(bench_now)"
    bench_record "pgbench -i (setup, not compared)" "$(bench_elapsed "$started" "$ended")" "$((scale * 100000))" "-" \
        "generates the source; includes vacuum and the primary key"
}

# The ceiling: the rows leave the source as COPY text and enter the target
# through COPY, with no per-chunk transaction, checkpoint or upsert. $2 says
# which of its runs this is (it runs at the start and at the end, as the
# machine's load may change in between).
bench_raw_copy() {
    local rows="$1" which="$2" started ended
    bench_fresh_target
    bench__log "raw COPY pipe: psql COPY TO STDOUT | psql COPY FROM STDIN"
    bench_cpu_mark raw-before
    started="$(bench_now)"
    bench_psql "$BENCH_SOURCE_DB" -c "copy $BENCH_TABLE to stdout" |
        bench_psql "$BENCH_TARGET_DB" -c "copy $BENCH_TABLE from stdin"
    ended="$(bench_now)"
    bench_cpu_mark raw-after
    bench_check_copy "raw COPY pipe"
    bench_record "raw COPY pipe (psql to psql)" "$(bench_elapsed "$started" "$ended")" "$rows" "-" \
        "$which; one transaction, text format, into the table with its primary key" \
        "$(bench_cpu_between raw-before raw-after)"
}

# pgloader reads PostgreSQL as a source since 3.5; the Debian package is used,
# installed when missing. Data only: the target table exists, as for the others.
# Its default 1 GiB Lisp heap is exhausted at scale 100 ("Heap exhausted, game
# over", a known pgloader problem), so it gets 4 GiB; 2 workers, one per core
# of the machine this was written on; otherwise its defaults.
bench_pgloader() {
    local rows="$1" started ended load="$BENCH_WORK/pgloader.load" version
    if ! command -v pgloader >/dev/null; then
        bench__log "installing pgloader (apt-get)"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q pgloader; } \
            >"$BENCH_WORK/apt.log" 2>&1 || true
    fi
    if ! command -v pgloader >/dev/null; then
        bench_record "pgloader" "-" "$rows" "-" "not run: the pgloader package did not install (see apt.log)"
        return 0
    fi
    version="$(pgloader --version 2>&1 | sed -n 1p)"
    bench_fresh_target
    cat >"$load" <<EOF
LOAD DATABASE
     FROM $(bench_pg_uri "$BENCH_SOURCE_DB")
     INTO $(bench_pg_uri "$BENCH_TARGET_DB")
 WITH data only, workers = 2, concurrency = 1
 INCLUDING ONLY TABLE NAMES MATCHING '$BENCH_TABLE' IN SCHEMA 'public';
EOF
    bench__log "pgloader ($version)"
    bench_cpu_mark pgloader-before
    started="$(bench_now)"
    if ! pgloader --dynamic-space-size 4096 "$load" >"$BENCH_WORK/pgloader.log" 2>&1; then
        bench_record "pgloader" "-" "$rows" "-" \
            "failed: $(grep -m1 -E 'Heap exhausted|ERROR|FATAL|fatal' "$BENCH_WORK/pgloader.log" | cut -c1-120)"
        return 0
    fi
    ended="$(bench_now)"
    bench_cpu_mark pgloader-after
    if [[ "$(bench_target_rows)" == "0" ]]; then
        bench_record "pgloader" "-" "$rows" "-" "not supported: $version copied no row from PostgreSQL (see pgloader.log)"
        return 0
    fi
    bench_check_copy "pgloader"
    bench_record "pgloader" "$(bench_elapsed "$started" "$ended")" "$rows" "-" "$version, data only, --dynamic-space-size 4096" \
        "$(bench_cpu_between pgloader-before pgloader-after)"
}

# pgcopydb (the Debian package, installed when missing), the backfill's peer tool: `copy table-data` of the one
# table, split by pgcopydb itself into $2 parts on its integer key (--split-tables-larger-than a $2-th of the
# table's size, --table-jobs $2), into the fresh target table, which pgcopydb truncates first.
bench_pgcopydb() {
    local rows="$1" parts="$2" started ended version size dir="$BENCH_WORK/pgcopydb" used
    if ! command -v pgcopydb >/dev/null; then
        bench__log "installing pgcopydb (apt-get)"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q pgcopydb; } \
            >>"$BENCH_WORK/apt.log" 2>&1 || true
    fi
    if ! command -v pgcopydb >/dev/null; then
        bench_record "pgcopydb, $parts parts" "-" "$rows" "-" "not run: the pgcopydb package did not install (see apt.log)"
        return 0
    fi
    version="$(pgcopydb --version 2>/dev/null | sed -n 's/^pgcopydb version //p' | head -n1)"
    bench_fresh_target
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '[include-only-table]\npublic.%s\n' "$BENCH_TABLE" >"$BENCH_WORK/pgcopydb.filters"
    # pgcopydb splits a table into ceil(size / threshold) parts: a threshold just over size / parts gives $parts.
    size="$(bench_scalar "$BENCH_SOURCE_DB" "select pg_table_size('$BENCH_TABLE')")"
    bench__log "pgcopydb $version, copy table-data, $parts parts"
    bench_cpu_mark pgcopydb-before
    started="$(bench_now)"
    if ! pgcopydb copy table-data --source "$(bench_pg_uri "$BENCH_SOURCE_DB")" \
        --target "$(bench_pg_uri "$BENCH_TARGET_DB")" --dir "$dir" --filters "$BENCH_WORK/pgcopydb.filters" \
        --table-jobs "$parts" --split-tables-larger-than "$((size / parts + 1))" \
        >"$BENCH_WORK/pgcopydb-$parts.log" 2>&1; then
        bench_record "pgcopydb, $parts parts" "-" "$rows" "-" \
            "failed: $(grep -m1 -E 'ERROR|FATAL' "$BENCH_WORK/pgcopydb-$parts.log" | cut -c1-120)"
        return 0
    fi
    ended="$(bench_now)"
    bench_cpu_mark pgcopydb-after
    used="$(grep -o -m1 '[0-9]* COPY processes' "$BENCH_WORK/pgcopydb-$parts.log" | cut -d' ' -f1 || true)"
    bench_check_copy "pgcopydb, $parts parts"
    bench_record "pgcopydb, $parts parts" "$(bench_elapsed "$started" "$ended")" "$rows" "-" \
        "$version, copy table-data --table-jobs $parts --split-tables-larger-than $((size / parts + 1)) (${used:-?} COPY processes by its log)" \
        "$(bench_cpu_between pgcopydb-before pgcopydb-after)"
}

# Warms the worker up, unmeasured: a worker that has been running has long
# compiled its copy path, while a fresh JVM compiles it during its first
# chunks, which would charge the JIT to parallelism 1 alone. It copies the
# first 500,000 source rows (a scratch table of the source's shape) into the
# target at parallelism 2, the same direct-COPY path the measured runs take,
# then drops the scratch table. $1 is the facts file the report reads.
bench_warm_worker() {
    local facts="$1" id="bench-warm-up" outcome
    bench_fresh_target
    bench_psql "$BENCH_SOURCE_DB" -c "drop table if exists bench_warm_up" \
        -c "create table bench_warm_up as select * from $BENCH_TABLE where aid <= 500000" \
        -c "alter table bench_warm_up add primary key (aid)" -c "vacuum analyze bench_warm_up" >/dev/null
    bench_psql "$BENCH_TARGET_DB" -c "create table bench_warm_up (like $BENCH_TABLE including all)" >/dev/null
    cat >"$BENCH_WORK/runbooks/$id.yaml" <<EOF
apiVersion: runbook/v1
name: $id
owner: bench
description: bench/run.sh warms the worker up before the measured copies.
phases:
  - name: backfill
    steps:
      - id: copy-warm-up
        backfill:
          from: { connection: legacy, table: bench_warm_up }
          to:   { connection: target, table: bench_warm_up }
          key: [aid]
          chunkRows: $BENCH_CHUNK_ROWS
          parallelism: 2
          onRollback: keep
EOF
    bench__log "warming the worker up (workflow $id, not measured)"
    bench_run_runbook "$id" >/dev/null
    outcome="$(jq -r '.result.outcome' "$BENCH_WORK/$id.json")"
    [[ "$outcome" == "COMPLETED" ]] || bench__die "the warm-up ended $outcome; see $BENCH_WORK/$id.json"
    bench_psql "$BENCH_SOURCE_DB" -c "drop table bench_warm_up" >/dev/null
    printf 'warm-up\t%s\n' "before the measured runs the worker copied 500,000 rows once, unmeasured, so the JIT has compiled the copy path as in a worker that has been running" >>"$facts"
}

# The product: a one-step runbook (backfill pgbench_accounts into the target's
# pgbench_accounts with chunkRows 10,000, chunks growing while fast) started and awaited with the CLI.
bench_backfill() {
    local rows="$1" parallelism="$2" id="bench-backfill-p$2" times started ended outcome copied heap
    bench_fresh_target
    cat >"$BENCH_WORK/runbooks/$id.yaml" <<EOF
apiVersion: runbook/v1
name: $id
owner: bench
description: bench/run.sh copies pgbench_accounts in $parallelism key range(s).
phases:
  - name: backfill
    steps:
      - id: copy-accounts
        backfill:
          from: { connection: legacy, table: $BENCH_TABLE }
          to:   { connection: target, table: $BENCH_TABLE }
          key: [aid]
          chunkRows: $BENCH_CHUNK_ROWS
          parallelism: $parallelism
          onRollback: keep
EOF
    bench__log "backfill, parallelism $parallelism (workflow $id)"
    bench_cpu_mark "backfill-$parallelism-before"
    bench_run_runbook "$id" >"$BENCH_WORK/$id.times"
    bench_cpu_mark "backfill-$parallelism-after"
    times="$(cat "$BENCH_WORK/$id.times")"
    read -r started ended <<<"$times"
    outcome="$(jq -r '.result.outcome' "$BENCH_WORK/$id.json")"
    copied="$(jq -r '.result.rowsCopied' "$BENCH_WORK/$id.json")"
    if [[ "$outcome" != "COMPLETED" || "$copied" != "$rows" ]]; then
        bench__die "$id ended $outcome with $copied rows copied (expected COMPLETED, $rows); see $BENCH_WORK/$id.json"
    fi
    bench_check_copy "backfill p$parallelism"
    heap="$(bench_heap_max_mib "$started" "$ended")"
    bench_record "backfill, parallelism $parallelism" "$(bench_elapsed "$started" "$ended")" "$rows" "$heap" \
        "workflow start to result, chunkRows ${BENCH_CHUNK_ROWS} (chunks grow while fast)" \
        "$(bench_cpu_between "backfill-$parallelism-before" "backfill-$parallelism-after")"
}
