#!/usr/bin/env bash
# Runs a command with throwaway PostgreSQL and Temporal servers (see
# scripts/services.sh for the exported variables), then tears them down.
#
#   bash scripts/with-services.sh bash                      # a shell with services
#   bash scripts/with-services.sh mvn -B -ntp verify -Dit.test=SomeIT
#
# Exits with the command's exit code, or non-zero if a service cannot be
# installed or started; the command is never run without its services.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

# shellcheck source=scripts/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

fail() {
    services__log "ERROR: $1; the command was not run"
    exit 1
}

trap services_stop EXIT

services_select_jdk || fail "no usable JDK"
services_install_temporal_cli || fail "Temporal CLI unavailable"
services_start_postgres || fail "PostgreSQL did not start"
services_start_temporal || fail "Temporal dev server did not start"
services_start_mariadb || fail "MariaDB did not start"

services__log "running: $*"
status=0
"$@" || status=$?
services__log "command exited with status $status"
exit "$status"
