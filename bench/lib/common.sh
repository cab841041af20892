# shellcheck shell=bash
# Shared by every bench/lib file: logging, wall-clock timing, psql against the
# throwaway cluster that scripts/services.sh started, fresh target databases,
# and the results file each measurement appends one line to.
#
# Expects RUNBOOKS_PG_* (from services_start_postgres) and BENCH_WORK (a
# scratch directory) to be set.

# The database pgbench fills; the copies go to BENCH_TARGET_DB.
BENCH_SOURCE_DB="bench_source"
BENCH_TARGET_DB="bench_target"
BENCH_TABLE="pgbench_accounts"

bench__log() {
    echo "[bench] $*" >&2
}

bench__die() {
    bench__log "ERROR: $*"
    exit 1
}

# Wall-clock seconds with microseconds, for differences only.
bench_now() {
    echo "$EPOCHREALTIME"
}

# Seconds between two bench_now readings, two decimals.
bench_elapsed() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

# psql on database $1 of the throwaway cluster; stops at the first error.
bench_psql() {
    local db="$1"
    shift
    PGOPTIONS="-c client_min_messages=warning" "$RUNBOOKS_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUNBOOKS_PG_HOST" -p "$RUNBOOKS_PG_PORT" \
        -U "$RUNBOOKS_PG_USER" -d "$db" "$@"
}

# One value from one query.
bench_scalar() {
    bench_psql "$1" -At -c "$2"
}

# A libpq URI for database $1, the form pgloader, reladiff and data-diff take.
# data-diff fails on a URI without a password, and the throwaway cluster
# trusts loopback connections (it never asks), so an empty one is written as
# "unused".
bench_pg_uri() {
    echo "postgresql://$RUNBOOKS_PG_USER:${RUNBOOKS_PG_PASSWORD:-unused}@$RUNBOOKS_PG_HOST:$RUNBOOKS_PG_PORT/$1"
}

# A JDBC URL for database $1, the form the worker takes.
bench_jdbc_url() {
    echo "jdbc:postgresql://$RUNBOOKS_PG_HOST:$RUNBOOKS_PG_PORT/$1"
}

# Drops and recreates the target database with an empty table of exactly the
# source table's shape (columns, storage parameters, primary key), so every
# contender writes into the same kind of table, index included. FORCE ends any
# session still open on it.
bench_fresh_target() {
    bench_psql postgres -c "drop database if exists $BENCH_TARGET_DB with (force)" \
        -c "create database $BENCH_TARGET_DB"
    "$RUNBOOKS_PG_BIN/pg_dump" --schema-only --no-owner -t "$BENCH_TABLE" -h "$RUNBOOKS_PG_HOST" \
        -p "$RUNBOOKS_PG_PORT" -U "$RUNBOOKS_PG_USER" "$BENCH_SOURCE_DB" | bench_psql "$BENCH_TARGET_DB" >/dev/null
}

# Rows in the target table; every copy is checked against the source's count.
bench_target_rows() {
    bench_scalar "$BENCH_TARGET_DB" "select count(*) from $BENCH_TABLE"
}

# Fails the bench unless the target holds exactly the source's rows: the row
# count and a sum of 64-bit hashes of every row's text, both computed by
# PostgreSQL (a string_agg md5 would pass PostgreSQL's 1 GB value limit at
# scale 100). The source's fingerprint is computed once.
BENCH_SOURCE_FINGERPRINT=""
bench_check_copy() {
    local what="$1" sql target
    sql="select count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) from $BENCH_TABLE t"
    if [[ -z "$BENCH_SOURCE_FINGERPRINT" ]]; then
        BENCH_SOURCE_FINGERPRINT="$(bench_scalar "$BENCH_SOURCE_DB" "$sql")"
    fi
    target="$(bench_scalar "$BENCH_TARGET_DB" "$sql")"
    if [[ "$BENCH_SOURCE_FINGERPRINT" != "$target" ]]; then
        bench__die "$what: target differs from source (rows:hash sum $target, source $BENCH_SOURCE_FINGERPRINT)"
    fi
    bench__log "$what: target == source (rows:hash sum $target)"
}

# Appends one measurement: name, seconds, rows, max worker heap in MiB (or -),
# a note, and optionally its CPU-seconds (bench_cpu_between's line). bench/lib/report.py renders the file.
bench_record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" >>"$BENCH_WORK/results.tsv"
}

# pgbench -i at scale $2 into a new database $1, its output in $BENCH_WORK/$3.
bench_pgbench_init() {
    local db="$1" scale="$2" log="$BENCH_WORK/$3"
    bench_psql postgres -c "create database $db"
    bench__log "pgbench -i -s $scale ($((scale * 100000)) rows in pgbench_accounts)"
    "$RUNBOOKS_PG_BIN/pgbench" -i -q -s "$scale" -h "$RUNBOOKS_PG_HOST" -p "$RUNBOOKS_PG_PORT" \
        -U "$RUNBOOKS_PG_USER" "$db" >"$log" 2>&1 || bench__die "pgbench -i failed; see $log"
}

# Waits until a line of file $2 matches $3, for as long as process $1 lives and at most $4 seconds; $5 says what
# is awaited and $6 is the log to look at when it never comes.
bench_await_line() {
    local pid="$1" file="$2" pattern="$3" seconds="$4" what="$5" log="$6" deadline=$((SECONDS + $4))
    until grep -q "$pattern" "$file" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || bench__die "exited before $what; see $log"
        ((SECONDS < deadline)) || bench__die "no $what within $seconds s; see $log"
        sleep 0.1
    done
}
