# shellcheck shell=bash
# CPU-seconds per measurement, from /proc (bench/lib/cputree.py), as pidstat would count them: the PostgreSQL
# cluster (postmaster and every backend, walsender and apply worker, the ended ones included), the worker (or the
# stream bench's engine process), the Temporal dev server, and the clients (what this shell's finished foreground
# commands used: psql, pgbench, pgcopydb, pgloader, the Temporal CLI).
#
#   bench_cpu_mark before; ...the measured work...; bench_cpu_mark after
#   bench_cpu_between before after   # prints "databases 12.3 + worker 4.5 + Temporal 0.3 + clients 1.2 = 18.3"
#
# Expects BENCH_WORK and RUNBOOKS_PG_DATA; BENCH_WORKER_PID (or BENCH_CPU_WORKER_PID) and SERVICES_TEMPORAL_PID
# when those run. Must be called in the bench's own shell (not inside $(...)): "clients" is that shell's children.

bench_cpu_mark() {
    local postmaster worker="${BENCH_CPU_WORKER_PID:-${BENCH_WORKER_PID:-}}"
    postmaster="$(head -n1 "$RUNBOOKS_PG_DATA/postmaster.pid" 2>/dev/null || echo 0)"
    python3 "$BENCH_DIR/lib/cputree.py" "databases=$postmaster" "worker=${worker:-0}" \
        "Temporal=${SERVICES_TEMPORAL_PID:-0}" "clients=children:$BASHPID" >"$BENCH_WORK/cpu-$1.tsv"
}

# The CPU-seconds each tree used between two marks, and their sum, on one line.
bench_cpu_between() {
    awk -F'\t' 'NR == FNR { before[$1] = $2; next }
        { d = $2 - before[$1]; if (d < 0) d = 0; total += d
          out = out (out == "" ? "" : " + ") sprintf("%s %.1f", $1, d) }
        END { printf "%s = %.1f\n", out, total }' "$BENCH_WORK/cpu-$1.tsv" "$BENCH_WORK/cpu-$2.tsv"
}
