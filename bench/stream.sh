#!/usr/bin/env bash
# The change-capture benchmark (issue 15), in one command, on a throwaway PostgreSQL:
#
#   bash bench/stream.sh [--scale N] [--transactions T] [--tables all|accounts] [--rate R] [--seconds S]
#                        [--note TEXT] [--results DIR]
#
# N is pgbench's scale (default 10: 1,000,000 accounts); T the backlog's pgbench
# transactions (default N x 10,000; each makes 4 changes: 3 updates, 1 insert);
# "--tables accounts" streams pgbench_accounts alone on both sides (one of
# those changes a transaction; one engine against one apply worker);
# R the steady load's transactions per second (default 100) for S seconds
# (default 30). TEXT is added to the results' description. In one run it:
#   - fills the source with pgbench -i and gives pgbench_history a key (a
#     bigserial hid: a stream, and native replication of updates, need one),
#     and copies the four tables into two targets;
#   - fixes both start positions: the product's four streams (one per table,
#     as a runbook declares them; each a publication and a slot) and
#     PostgreSQL's own (one publication of the four tables, one slot, and a
#     disabled CREATE SUBSCRIPTION ... WITH (copy_data = false) in the second
#     target);
#   - makes the backlog: pgbench -n, tpcb-like, T transactions, then one
#     marker update whose arrival tells that a target applied all before it;
#   - times native replication's catch-up (ALTER SUBSCRIPTION ... ENABLE to
#     every change applied), then the product's (engine start to every change
#     applied, in a StreamBenchMain process: the worker jar plus the
#     activities' test classes; it idles while native runs), each with the
#     CPU-seconds of the databases and of our process;
#   - runs pgbench -R R for S seconds with both applying and samples, every
#     second, the age of the newest pgbench_history row in each target (now()
#     minus its transaction's start: the same probe for both) and the
#     product's own lag figure; prints p50, p95 and max (with --tables
#     accounts only the product's figure: pgbench_history is not streamed);
#   - checks every target table equals the source (count and hash sum).
# Writes a Markdown report to bench/results/<date>-stream-scale<N>[-accounts].md
# (to DIR with --results DIR, its scratch files then in DIR/.work-stream
# rather than bench/.work-stream; StreamBenchSmokeIT runs it so at scale 1).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_REPO="$(dirname "$BENCH_DIR")"

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
    exit 2
}

scale=10
transactions=""
rate=100
tables=all
seconds=30
note=""
results="$BENCH_DIR/results"
number='^[1-9][0-9]*$'
while (($#)); do
    case "$1" in
        --scale) [[ $# -ge 2 && "$2" =~ $number ]] || usage; scale="$2"; shift 2 ;;
        --transactions) [[ $# -ge 2 && "$2" =~ $number ]] || usage; transactions="$2"; shift 2 ;;
        --tables) [[ $# -ge 2 && "$2" =~ ^(all|accounts)$ ]] || usage; tables="$2"; shift 2 ;;
        --rate) [[ $# -ge 2 && "$2" =~ $number ]] || usage; rate="$2"; shift 2 ;;
        --seconds) [[ $# -ge 2 && "$2" =~ $number ]] || usage; seconds="$2"; shift 2 ;;
        --note) [[ $# -ge 2 ]] || usage; note="$2"; shift 2 ;;
        --results) [[ $# -ge 2 ]] || usage; results="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        -h | --help) usage ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
transactions="${transactions:-$((scale * 10000))}"
BENCH_WORK="$BENCH_DIR/.work-stream"
[[ "$results" == "$BENCH_DIR/results" ]] || BENCH_WORK="$results/.work-stream"
options="--scale $scale"
[[ "$transactions" == "$((scale * 10000))" ]] || options+=" --transactions $transactions"
[[ "$tables" == all ]] || options+=" --tables $tables"
[[ "$rate" == 100 ]] || options+=" --rate $rate"
[[ "$seconds" == 30 ]] || options+=" --seconds $seconds"

# shellcheck source=scripts/services.sh
source "$BENCH_REPO/scripts/services.sh"
# shellcheck source=bench/lib/common.sh
source "$BENCH_DIR/lib/common.sh"
# shellcheck source=bench/lib/worker.sh
source "$BENCH_DIR/lib/worker.sh"
# shellcheck source=bench/lib/cpu.sh
source "$BENCH_DIR/lib/cpu.sh"
# shellcheck source=bench/lib/streams.sh
source "$BENCH_DIR/lib/streams.sh"

bench_stream_tables "$tables"
per_transaction=$((${#BENCH_STREAM_TABLES[@]}))
changes=$((per_transaction * transactions + 1))
run_name="stream-scale$scale"
[[ "$tables" == all ]] || run_name+="-$tables"

cleanup() {
    bench_stream_stop_ours
    services_stop
}
trap cleanup EXIT

rm -rf "$BENCH_WORK"
mkdir -p "$BENCH_WORK" "$results"
for tool in python3 awk; do
    command -v "$tool" >/dev/null || bench__die "$tool is required"
done

services_select_jdk || bench__die "no usable JDK"
bench_build_worker
bench_stream_build_driver
services_start_postgres || bench__die "PostgreSQL did not start"

facts="$BENCH_WORK/facts.tsv"
{
    printf 'scale\t%s\ntransactions\t%s\ndate\t%s\n' "$scale" "$transactions" "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'command\t`bash bench/stream.sh %s`\n' "$options"
    printf 'CPU\t%s, %s cores (nproc)\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" "$(nproc)"
    printf 'memory\t%s GiB\n' "$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
    printf 'load average at start (1, 5, 15 min)\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'PostgreSQL\t%s, one throwaway cluster for the source and both targets (fsync off, as scripts/services.sh sets it)\n' \
        "$("$RUNBOOKS_PG_BIN/postgres" --version)"
    printf 'streamed\t%s\n' "$(bench__stream_table_names | paste -sd' ' -)"
    printf 'ours\tjava -Xmx%s, worker jar + activities test classes, org.runbooks.stream.StreamBenchMain (%s); Debezium embedded, pgoutput, one stream (slot, publication, engine) per table\n' \
        "$BENCH_WORKER_HEAP" "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
    printf 'native\tone publication of the streamed tables, one slot, CREATE SUBSCRIPTION ... WITH (copy_data = false), one apply worker\n'
    [[ -z "$note" ]] || printf 'note\t%s\n' "$note"
} >"$facts"

bench_stream_fill_source "$scale"
bench_stream_prepare_target "$BENCH_STREAM_OURS_DB"
bench_stream_prepare_target "$BENCH_STREAM_NATIVE_DB"
bench_stream_fix_start
bench_stream_backlog "$transactions" "$changes"
bench_stream_catch_up_native "$changes"
bench_stream_catch_up_ours "$changes"
bench_stream_steady "$rate" "$seconds"
bench_stream_check
bench_stream_stop_ours
printf 'load average at end (1, 5, 15 min)\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$facts"

report="$results/$(date -u +%Y-%m-%d)-$run_name.md"
python3 "$BENCH_DIR/lib/stream_report.py" "$BENCH_WORK/results.tsv" "$BENCH_WORK/lag.tsv" "$facts" >"$report"
cat "$report"
bench__log "written to ${report#"$BENCH_REPO"/}"
