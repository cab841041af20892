#!/usr/bin/env bash
# The benchmark (issue 5), in one command, on throwaway services:
#
#   bash bench/run.sh [--scale N] [--chunk-rows R] [--note TEXT] [--results DIR]
#
# N is pgbench's scale: N x 100,000 rows in pgbench_accounts (default 100, 10
# million rows; 2 is a quick run). R is the backfill's chunkRows (default
# 10,000, the product's default). TEXT is added to the results' description.
# In one run, on one PostgreSQL 15 cluster and one Temporal dev server started
# by scripts/services.sh, it times:
#   - the raw ceiling: psql COPY TO STDOUT piped into psql COPY FROM STDIN,
#     first and last (the machine's load may change during a run);
#   - pgloader, PostgreSQL to PostgreSQL;
#   - pgcopydb (copy table-data), the table split into 2 and into 4 parts;
#   - the product's backfill at parallelism 1, 2 and 4, through the real worker
#     process (-Xmx512m, heap sampled every second) and the Temporal CLI;
#   - after changing, deleting and inserting one target row: the product's
#     validation against reladiff (twice each, alternately) and data-diff,
#     which must all name the same keys.
# Prints a Markdown table of seconds, rows/s, CPU-seconds of the databases,
# the worker, Temporal and the client programs during each copy (from /proc),
# and ratios against the targets (each from the fastest run of each measurement),
# and writes it with the machine's description to
# bench/results/<date>-scale<N>.md (-chunk<R> added when R is not 10,000), or to
# DIR with --results DIR, its scratch files then in DIR/.work-run (a test's run
# stays out of the repository's results). Scratch files and logs of the last
# run stay in bench/.work.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_REPO="$(dirname "$BENCH_DIR")"
BENCH_WORK="$BENCH_DIR/.work"

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
    exit 2
}

scale=100
chunk_rows=10000
note=""
results="$BENCH_DIR/results"
while (($#)); do
    case "$1" in
        --scale) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || usage; scale="$2"; shift 2 ;;
        --chunk-rows) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || usage; chunk_rows="$2"; shift 2 ;;
        --note) [[ $# -ge 2 ]] || usage; note="$2"; shift 2 ;;
        --results) [[ $# -ge 2 ]] || usage; results="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        -h | --help) usage ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
rows=$((scale * 100000))
[[ "$results" == "$BENCH_DIR/results" ]] || BENCH_WORK="$results/.work-run"

# shellcheck source=scripts/services.sh
source "$BENCH_REPO/scripts/services.sh"
# shellcheck source=bench/lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=bench/lib/worker.sh
source "$BENCH_DIR/lib/worker.sh"
# shellcheck source=bench/lib/cpu.sh
source "$BENCH_DIR/lib/cpu.sh"
# shellcheck source=bench/lib/copies.sh
source "$BENCH_DIR/lib/copies.sh"
# shellcheck source=bench/lib/validation.sh
source "$BENCH_DIR/lib/validation.sh"

BENCH_CHUNK_ROWS="$chunk_rows"
run_name="scale$scale"
options="--scale $scale"
if ((chunk_rows != 10000)); then
    run_name+="-chunk$chunk_rows"
    options+=" --chunk-rows $chunk_rows"
fi

cleanup() {
    bench_stop_worker
    services_stop
}
trap cleanup EXIT

rm -rf "$BENCH_WORK"
mkdir -p "$BENCH_WORK" "$results"
for tool in jq python3 awk; do
    command -v "$tool" >/dev/null || bench__die "$tool is required"
done

services_select_jdk || bench__die "no usable JDK"
services_install_temporal_cli || bench__die "Temporal CLI unavailable"
bench_build_worker
services_start_postgres || bench__die "PostgreSQL did not start"
services_start_temporal || bench__die "Temporal dev server did not start"

facts="$BENCH_WORK/facts.tsv"
{
    printf 'scale\t%s\nrows\t%s\ndate\t%s\n' "$scale" "$rows" "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'command\t`bash bench/run.sh %s`\n' "$options"
    printf 'CPU\t%s, %s cores (nproc)\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" "$(nproc)"
    printf 'memory\t%s GiB\n' "$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
    printf 'load average at start (1, 5, 15 min)\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'PostgreSQL\t%s, one throwaway cluster for source and targets (fsync off, as scripts/services.sh sets it)\n' \
        "$("$RUNBOOKS_PG_BIN/postgres" --version)"
    printf 'Temporal\t%s, dev server\n' "$(temporal --version)"
    printf 'worker\tjava -Xmx%s -jar worker/target/runbooks-worker.jar (%s)\n' "$BENCH_WORKER_HEAP" \
        "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
    [[ -z "$note" ]] || printf 'note\t%s\n' "$note"
} >"$facts"

bench_fill_source "$scale"
bench_raw_copy "$rows" "run 1 of 2, first"
bench_pgloader "$rows"
bench_pgcopydb "$rows" 2
bench_pgcopydb "$rows" 4
bench_start_worker
bench_warm_worker "$facts"
for parallelism in 1 2 4; do
    bench_backfill "$rows" "$parallelism"
done
# The target now holds the parallelism-4 copy: the validations compare it.
bench_validations "$rows"
bench_raw_copy "$rows" "run 2 of 2, last"
if bench_worker_oom; then
    printf 'worker heap\tOutOfMemoryError in the worker log (%s)\n' "$BENCH_WORK/worker.log" >>"$facts"
else
    printf 'worker heap\tno OutOfMemoryError under -Xmx%s; sampled with jstat -gc every second\n' \
        "$BENCH_WORKER_HEAP" >>"$facts"
fi
bench_stop_worker
printf 'load average at end (1, 5, 15 min)\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$facts"

report="$results/$(date -u +%Y-%m-%d)-$run_name.md"
python3 "$BENCH_DIR/lib/report.py" "$BENCH_WORK/results.tsv" "$facts" >"$report"
cat "$report"
bench__log "written to ${report#"$BENCH_REPO"/}"
# A comparison that named other keys than the three changed ones is a wrong
# answer, not a slow one: the run fails.
if grep -q "MISMATCH" "$BENCH_WORK/results.tsv"; then
    bench__die "a comparison did not name exactly the three changed keys (see the table)"
fi
