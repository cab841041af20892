# shellcheck shell=bash
# Validation, timed on the same two tables: the target after a backfill, with
# one row changed, one deleted and one inserted; the product's validate step
# (through the worker) against reladiff and data-diff (from PyPI, in venvs
# under bench/.venv). Every tool must name exactly those three keys.
#
# Expects bench/lib/common.sh and bench/lib/worker.sh, and BENCH_DIR (bench/).

BENCH_EXPECTED_KEYS=""

# reladiff, with its PostgreSQL driver, in its own venv.
bench_install_reladiff() {
    local venv="$BENCH_DIR/.venv/reladiff"
    [[ -x "$venv/bin/reladiff" ]] && return 0
    bench__log "installing reladiff into $venv"
    python3 -m venv "$venv" && "$venv/bin/pip" install -q 'reladiff[postgresql]' >"$BENCH_WORK/pip-reladiff.log" 2>&1
}

# data-diff 0.11.2 (its last release) imports dbt at start-up. Unpinned, pip
# picks a dbt whose build downloads a binary from outside the registry, and
# pydantic 2, which data-diff's models reject: pin both, and psycopg2-binary
# stands in for psycopg2 (the same module, without a compiler).
bench_install_data_diff() {
    local venv="$BENCH_DIR/.venv/data-diff"
    [[ -x "$venv/bin/data-diff" ]] && "$venv/bin/data-diff" --version >/dev/null 2>&1 && return 0
    bench__log "installing data-diff into $venv"
    python3 -m venv "$venv" && "$venv/bin/pip" install -q 'data-diff==0.11.2' 'dbt-core~=1.7.0' \
        'pydantic<2' psycopg2-binary >"$BENCH_WORK/pip-data-diff.log" 2>&1 &&
        "$venv/bin/data-diff" --version >/dev/null 2>&1
}

# Changes the target (a backfill's exact copy) in three places, one per kind
# of difference, and remembers which keys a comparison must report.
bench_mutate_target() {
    local rows="$1" changed=$(($1 / 3)) deleted=$((2 * $1 / 3)) inserted=$(($1 + 1))
    bench_psql "$BENCH_TARGET_DB" \
        -c "update $BENCH_TABLE set abalance = abalance + 1 where aid = $changed" \
        -c "delete from $BENCH_TABLE where aid = $deleted" \
        -c "insert into $BENCH_TABLE (aid, bid, abalance, filler) values ($inserted, 1, 0, 'bench')"
    BENCH_EXPECTED_KEYS="missing=$deleted extra=$inserted changed=$changed"
    bench__log "target changed: aid $changed updated, $deleted deleted, $inserted inserted"
}

# A note for the table: whether a tool named exactly the three keys.
bench__keys_note() {
    local found="$1"
    if [[ "$found" == "$BENCH_EXPECTED_KEYS" ]]; then
        echo "found the 3 keys ($found)"
    else
        echo "MISMATCH: found '$found', expected '$BENCH_EXPECTED_KEYS'"
    fi
}

# The product: a runbook with one validate step (row count and the checksum of
# every column, keyed on aid), started and awaited with the CLI. It fails,
# so the runbook ends ROLLED_BACK with the differences in its evidence.
# $2 is the run's number.
bench_validate_ours() {
    local rows="$1" run="$2" id="bench-validate-$2" times started ended found heap
    cat >"$BENCH_WORK/runbooks/$id.yaml" <<EOF
apiVersion: runbook/v1
name: $id
owner: bench
description: bench/run.sh compares pgbench_accounts on both sides after changing three target rows.
phases:
  - name: validate
    steps:
      - id: parity
        validate:
          between: { source: legacy.$BENCH_TABLE, target: target.$BENCH_TABLE }
          key: [aid]
          rowCount: { tolerance: 0 }
          checksum: { columns: all }
EOF
    bench__log "validation through the runbook (workflow $id)"
    times="$(bench_run_runbook "$id")"
    read -r started ended <<<"$times"
    found="$(python3 "$BENCH_DIR/lib/diffkeys.py" runbook "$BENCH_WORK/$id.json")" ||
        bench__die "cannot read the differences from $BENCH_WORK/$id.json"
    heap="$(bench_heap_max_mib "$started" "$ended")"
    bench_record "validation, runbook" "$(bench_elapsed "$started" "$ended")" "$rows" "$heap" \
        "run $run; $(bench__keys_note "$found")"
}

# reladiff or data-diff (same command line: they share their origin), comparing
# every column, keyed on aid, with each tool's defaults otherwise; JSON lines out.
# $4 is the run's number.
bench_validate_tool() {
    local rows="$1" name="$2" command="$3" run="$4" out started ended found version
    out="$BENCH_WORK/$name-$run.jsonl"
    version="$("$command" --version 2>&1 | tail -n1)"
    bench__log "$name $version"
    started="$(bench_now)"
    # Exit status 1 means "differences found" for these tools; the output decides.
    "$command" "$(bench_pg_uri "$BENCH_SOURCE_DB")" "$BENCH_TABLE" "$(bench_pg_uri "$BENCH_TARGET_DB")" \
        "$BENCH_TABLE" -k aid -c bid -c abalance -c filler --json >"$out" 2>"$BENCH_WORK/$name-$run.err" || true
    ended="$(bench_now)"
    if ! grep -q '^\[' "$out"; then
        bench_record "$name" "-" "$rows" "-" "failed: $(tail -n1 "$BENCH_WORK/$name-$run.err" | cut -c1-120)"
        return 0
    fi
    found="$(python3 "$BENCH_DIR/lib/diffkeys.py" hashdiff "$out")"
    bench_record "$name" "$(bench_elapsed "$started" "$ended")" "$rows" "-" "run $run; $version, $(bench__keys_note "$found")"
}

# The product and reladiff (the target to beat) run twice, alternately, so a
# change in the machine's load does not favour one; data-diff runs once.
bench_validations() {
    local rows="$1" run reladiff=""
    bench_mutate_target "$rows"
    if bench_install_reladiff; then
        reladiff="$BENCH_DIR/.venv/reladiff/bin/reladiff"
    else
        bench_record reladiff "-" "$rows" "-" "not run: pip install failed (see pip-reladiff.log)"
    fi
    for run in 1 2; do
        bench_validate_ours "$rows" "$run"
        [[ -z "$reladiff" ]] || bench_validate_tool "$rows" reladiff "$reladiff" "$run"
    done
    if bench_install_data_diff; then
        bench_validate_tool "$rows" data-diff "$BENCH_DIR/.venv/data-diff/bin/data-diff" 1
    else
        bench_record data-diff "-" "$rows" "-" "not run: pip install failed (see pip-data-diff.log)"
    fi
}
