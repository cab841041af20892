#!/usr/bin/env bash
# Runs the product on its defaults: a Temporal dev server on 127.0.0.1:7233 (Web UI on :8233, state kept in
# .demo/temporal.db) unless one already answers there, and the worker in demo mode: it starts an embedded PostgreSQL
# (127.0.0.1:54329, data in .demo/postgres) whose databases legacy, target and warehouse it seeds for every runbook
# in runbooks/, and prints what the demo's webhook ops-channel gets. Ctrl-C stops them all.
#
# Run as `bin/runbooks demo`. Needs a JDK 21+ and the Temporal CLI (a `temporal` on PATH is used; otherwise it is built into .tools/bin).
#
# Sourced instead of run (as DemoCommandsIT does), it only defines demo_try_commands.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/services.sh
source "$REPO/scripts/services.sh"

# Prints what to run in another shell, given the Temporal CLI the demo uses: a CLI the demo built into .tools/bin
# is not on the user's PATH, so the commands come after the line that puts it there, as do a server address that
# is not the CLI's default.
demo_try_commands() {
    local cli="$1"
    echo "[demo] worker starting. In another shell, run the orders-to-v2 runbook:"
    if [[ "$(command -v temporal 2>/dev/null)" != "$cli" ]]; then
        printf '  export PATH=%q:"$PATH"\n' "$(dirname "$cli")"
    fi
    if [[ -n "${TEMPORAL_ADDRESS:-}" && "$TEMPORAL_ADDRESS" != "127.0.0.1:7233" ]]; then
        printf '  export TEMPORAL_ADDRESS=%q\n' "$TEMPORAL_ADDRESS"
    fi
    cat <<'TRY'
  temporal workflow start --type Runbook --task-queue runbooks --workflow-id orders-to-v2 --input '{"file":"runbooks/orders-to-v2.yaml","startedBy":"alice"}'
  temporal workflow query --workflow-id orders-to-v2 --name status
  temporal workflow signal --workflow-id orders-to-v2 --name approve --input '{"gate":"go-no-go","by":"dba-oncall","comment":"parity is clean"}'
  temporal workflow result --workflow-id orders-to-v2 --output json
Health: http://127.0.0.1:8080/health   Metrics: http://127.0.0.1:8080/prometheus
TRY
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    return 0
fi

cd "$REPO"
services_select_jdk
if command -v temporal >/dev/null 2>&1; then
    CLI="$(command -v temporal)"
else
    services_install_temporal_cli
    CLI="$SERVICES_TOOLS_BIN/temporal"
fi
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
mkdir -p .demo

server_pid=""
stop_server() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}
trap stop_server EXIT

if "$CLI" operator cluster health >/dev/null 2>&1; then
    echo "[demo] using the Temporal server already at $TEMPORAL_ADDRESS"
else
    echo "[demo] starting a Temporal dev server at $TEMPORAL_ADDRESS (Web UI: http://127.0.0.1:8233)"
    "$CLI" server start-dev --ip 127.0.0.1 --port "${TEMPORAL_ADDRESS##*:}" --ui-port 8233 \
        --db-filename .demo/temporal.db --log-level warn \
        --search-attribute RunbookName=Keyword --search-attribute RunbookPhase=Keyword \
        --search-attribute RunbookState=Keyword --search-attribute RunbookWaitingOn=Keyword \
        --search-attribute RunbookOutcome=Keyword \
        </dev/null >.demo/temporal.log 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do
        "$CLI" operator cluster health >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || { cat .demo/temporal.log >&2; exit 1; }
        sleep 0.5
    done
fi

bin/runbooks build
demo_try_commands "$CLI"
RUNBOOKS_DEMO_ENABLED=true bin/runbooks worker
