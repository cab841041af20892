# shellcheck shell=bash
# Throwaway backing services for tests and local development: a private
# PostgreSQL 15 cluster and a Temporal dev server, each on a free loopback port
# with its state in a fresh temp dir.
#
# Source this file, then call:
#   services_select_jdk           export JAVA_HOME (newest JDK, 21+)
#   services_install_temporal_cli build the pinned Temporal CLI into .tools/bin
#   services_worker_java_flags    the JVM flags a worker starts with (see its block)
#   services_start_postgres       export RUNBOOKS_PG_*
#   services_start_temporal       export TEMPORAL_ADDRESS, RUNBOOKS_TEMPORAL_*
#   services_start_mariadb        export RUNBOOKS_MARIADB_* (optional, see its block)
#   services_stop                 stop them all and delete their temp dirs
# Every function returns non-zero on failure; none of them exits the caller.

SERVICES_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES_TOOLS_BIN="$SERVICES_REPO/.tools/bin"
# Pinned: later CLI tags no longer build with `go install ...@version`.
SERVICES_TEMPORAL_CLI_VERSION="v1.5.1"
SERVICES_PG_BIN="/usr/lib/postgresql/15/bin"

# State of the running services; services_stop clears it again.
SERVICES_PG_DIR=""
SERVICES_TEMPORAL_DIR=""
SERVICES_TEMPORAL_PID=""

services__log() {
    echo "[services] $*" >&2
}

# Says what went wrong, then prints the log that tells why.
services__fail_with_log() {
    services__log "ERROR: $1; log:"
    cat "$2" >&2
}

# Prints N distinct currently free TCP ports on 127.0.0.1. All sockets stay
# bound until every port is chosen, so the kernel cannot hand out one twice.
services__free_ports() {
    python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# PostgreSQL refuses to run as root, so as root its commands run as the
# `postgres` OS user. cd / first so the user is not left in an unreadable cwd.
services__as_postgres() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Picks the newest JDK 21+ among $JAVA_HOME, the `java` on PATH and every JDK under /usr/lib/jvm (any vendor;
# SERVICES_JVM_DIR overrides that directory), exports JAVA_HOME and puts its bin first on PATH. When there is none,
# says what was found and exactly what to install.
services_select_jdk() {
    local dir version best_dir="" best_version="" path_java candidates=()
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
    path_java="$(command -v java 2>/dev/null || true)"
    [[ -n "$path_java" ]] && candidates+=("$(dirname "$(dirname "$(readlink -f "$path_java")")")")
    candidates+=("${SERVICES_JVM_DIR:-/usr/lib/jvm}"/*)
    for dir in "${candidates[@]}"; do
        [[ -x "$dir/bin/java" && -r "$dir/release" ]] || continue
        version="$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$dir/release")"
        [[ -n "$version" ]] || continue
        if [[ -z "$best_version" ]] ||
            [[ "$(printf '%s\n%s\n' "$best_version" "$version" | sort -V | tail -n1)" == "$version" ]]; then
            best_dir="$dir"
            best_version="$version"
        fi
    done
    if [[ -z "$best_dir" || "${best_version%%.*}" -lt 21 ]]; then
        services__log "ERROR: no JDK 21 or newer (looked at JAVA_HOME, the java on PATH and ${SERVICES_JVM_DIR:-/usr/lib/jvm}/*; newest found: ${best_version:-none})."
        services__log "Install one, then run this again (or set JAVA_HOME to it): Temurin 21 from https://adoptium.net/installation/,"
        services__log "or on Debian 13 / Ubuntu 24.04: sudo apt-get install openjdk-21-jdk-headless"
        return 1
    fi
    export JAVA_HOME="$best_dir"
    export PATH="$JAVA_HOME/bin:$PATH"
    services__log "JDK $best_version at $JAVA_HOME"
}

# Prints the JVM flags a worker is started with, each one only if this `java` (default: the one on PATH)
# accepts it. They silence the JDK 22+ warnings about what gRPC's shaded Netty does on purpose: loading its native
# transport (restricted methods) and allocating memory through sun.misc.Unsafe (JDK 23+ knows the flag).
services_worker_java_flags() {
    local java="${1:-java}" flag flags=()
    for flag in --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow; do
        if "$java" "$flag" -version >/dev/null 2>&1; then
            flags+=("$flag")
        fi
    done
    echo "${flags[*]}"
}

services_install_temporal_cli() {
    local cli="$SERVICES_TOOLS_BIN/temporal"
    # Running it also rejects a half-written binary left by an interrupted build.
    if [[ -x "$cli" ]] && "$cli" --version >/dev/null 2>&1; then
        services__log "Temporal CLI present: $cli"
        return 0
    fi
    if ! command -v go >/dev/null 2>&1; then
        export PATH="$PATH:/usr/local/go/bin"
    fi
    if ! command -v go >/dev/null 2>&1; then
        services__log "ERROR: Go is required to build the Temporal CLI but was not found"
        return 1
    fi
    services__log "building Temporal CLI $SERVICES_TEMPORAL_CLI_VERSION into $SERVICES_TOOLS_BIN (takes a few minutes)"
    mkdir -p "$SERVICES_TOOLS_BIN" || return 1
    if ! GOBIN="$SERVICES_TOOLS_BIN" go install "github.com/temporalio/cli/cmd/temporal@$SERVICES_TEMPORAL_CLI_VERSION"; then
        services__log "ERROR: building the Temporal CLI failed"
        return 1
    fi
    services__log "Temporal CLI installed: $cli"
}

services_start_postgres() {
    local port data log deadline
    port="$(services__free_ports 1)" || return 1
    SERVICES_PG_DIR="$(mktemp -d -t runbooks-pg.XXXXXX)" || return 1
    data="$SERVICES_PG_DIR/data"
    log="$SERVICES_PG_DIR/postgres.log"
    mkdir "$SERVICES_PG_DIR/run" || return 1
    if [[ $EUID -eq 0 ]]; then
        chown -R postgres:postgres "$SERVICES_PG_DIR" || return 1
    fi

    services__log "initialising PostgreSQL cluster in $data"
    # --no-sync: the cluster is thrown away, durability is irrelevant.
    if ! services__as_postgres "$SERVICES_PG_BIN/initdb" -D "$data" --auth=trust \
        --username=postgres --encoding=UTF8 --locale=C --no-sync >"$SERVICES_PG_DIR/initdb.log" 2>&1; then
        services__log "ERROR: initdb failed:"
        cat "$SERVICES_PG_DIR/initdb.log" >&2
        return 1
    fi
    # Loopback only, private socket dir (never clashes with a system server),
    # and durability traded for speed.
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$SERVICES_PG_DIR/run'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
# Change capture (org.runbooks.stream): logical decoding through pgoutput, with room for the slots and walsenders
# of several streams and tests at once.
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
EOF

    services__log "starting PostgreSQL on 127.0.0.1:$port"
    if ! services__as_postgres "$SERVICES_PG_BIN/pg_ctl" -D "$data" -l "$log" -W start >/dev/null; then
        services__log "ERROR: pg_ctl start failed:"
        cat "$log" >&2
        return 1
    fi
    deadline=$((SECONDS + 60))
    until "$SERVICES_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; do
        if ((SECONDS >= deadline)); then
            services__log "ERROR: PostgreSQL not ready after 60s; server log:"
            cat "$log" >&2
            return 1
        fi
        sleep 0.2
    done

    export RUNBOOKS_PG_HOST=127.0.0.1
    export RUNBOOKS_PG_PORT="$port"
    export RUNBOOKS_PG_USER=postgres
    export RUNBOOKS_PG_PASSWORD=
    export RUNBOOKS_PG_BIN="$SERVICES_PG_BIN"
    export RUNBOOKS_PG_DATA="$data"
    services__log "PostgreSQL ready on 127.0.0.1:$port"
}

services_start_temporal() {
    local cli="$SERVICES_TOOLS_BIN/temporal" ports port ui_port db log deadline attempt
    if [[ ! -x "$cli" ]]; then
        services__log "ERROR: Temporal CLI missing at $cli (run services_install_temporal_cli)"
        return 1
    fi
    SERVICES_TEMPORAL_DIR="$(mktemp -d -t runbooks-temporal.XXXXXX)" || return 1
    db="$SERVICES_TEMPORAL_DIR/temporal.db"
    log="$SERVICES_TEMPORAL_DIR/temporal.log"

    # A port that was free when chosen can be taken before the dev server binds it (a process just stopped may
    # still hold it, or the dev server's own internal ports land on it): then it starts over on new ports.
    for attempt in 1 2 3; do
        ports="$(services__free_ports 2)" || return 1
        read -r port ui_port <<<"$ports"
        rm -f "$db"
        services__log "starting Temporal dev server on 127.0.0.1:$port (UI on port $ui_port)"
        # The UI stays on (no --headless): browser tests open it. The search
        # attributes the workflows upsert must exist before the first workflow runs.
        "$cli" server start-dev \
            --ip 127.0.0.1 \
            --port "$port" \
            --ui-port "$ui_port" \
            --db-filename "$db" \
            --log-level warn \
            --search-attribute RunbookName=Keyword \
            --search-attribute RunbookPhase=Keyword \
            --search-attribute RunbookState=Keyword \
            --search-attribute RunbookWaitingOn=Keyword \
            --search-attribute RunbookOutcome=Keyword \
            </dev/null >"$log" 2>&1 &
        SERVICES_TEMPORAL_PID=$!

        deadline=$((SECONDS + 90))
        until "$cli" operator cluster health --address "127.0.0.1:$port" >/dev/null 2>&1; do
            if ! kill -0 "$SERVICES_TEMPORAL_PID" 2>/dev/null; then
                if grep -q "address already in use" "$log" && ((attempt < 3)); then
                    services__log "a port was taken meanwhile; trying again on new ports"
                    continue 2
                fi
                services__fail_with_log "Temporal dev server exited during startup" "$log"
                return 1
            fi
            if ((SECONDS >= deadline)); then
                services__fail_with_log "Temporal dev server not healthy after 90s" "$log"
                return 1
            fi
            sleep 0.5
        done
        break
    done

    export TEMPORAL_ADDRESS="127.0.0.1:$port"
    export RUNBOOKS_TEMPORAL_UI_PORT="$ui_port"
    export RUNBOOKS_TEMPORAL_CLI="$cli"
    export RUNBOOKS_TEMPORAL_DB="$db"
    export PATH="$SERVICES_TOOLS_BIN:$PATH"
    services__log "Temporal ready at $TEMPORAL_ADDRESS, UI at http://127.0.0.1:$ui_port"
}

# --- MariaDB (optional) -------------------------------------------------------
# A throwaway MariaDB server from Debian's packages (`mariadb-server`), for the
# generic JDBC path's integration tests. services_start_mariadb starts one when
# RUNBOOKS_WITH_MARIADB=1 (then a missing or failing server is an error), or
# when the variable is unset and mariadbd is installed; RUNBOOKS_WITH_MARIADB=0
# skips it. It exports RUNBOOKS_MARIADB_HOST/PORT/USER/PASSWORD; the user may
# create and drop any database. services_stop_mariadb stops it.
SERVICES_MARIADB_DIR=""
SERVICES_MARIADB_PID=""
SERVICES_MARIADB_USER="runbooks"
SERVICES_MARIADB_PASSWORD="runbooks-test-only"

# Prints the path of the first of the named programs found (Debian keeps
# mariadbd in /usr/sbin, outside a non-root PATH), or nothing.
services__mariadb_bin() {
    local name
    for name in "$@"; do
        if command -v "$name" 2>/dev/null; then
            return 0
        fi
        if [[ -x "/usr/sbin/$name" ]]; then
            echo "/usr/sbin/$name"
            return 0
        fi
    done
    return 0
}

services_start_mariadb() {
    local wanted="${RUNBOOKS_WITH_MARIADB:-}" server install client port data log deadline
    if [[ "$wanted" == "0" ]]; then
        services__log "MariaDB not started: RUNBOOKS_WITH_MARIADB=0"
        return 0
    fi
    server="$(services__mariadb_bin mariadbd mysqld)"
    install="$(services__mariadb_bin mariadb-install-db mysql_install_db)"
    client="$(services__mariadb_bin mariadb mysql)"
    if [[ -z "$server" || -z "$install" || -z "$client" ]]; then
        if [[ "$wanted" == "1" ]]; then
            services__log "ERROR: RUNBOOKS_WITH_MARIADB=1 but MariaDB is not installed (apt-get install -y mariadb-server)"
            return 1
        fi
        services__log "MariaDB not installed: not started (apt-get install -y mariadb-server to run its tests)"
        return 0
    fi
    port="$(services__free_ports 1)" || return 1
    SERVICES_MARIADB_DIR="$(mktemp -d -t runbooks-mariadb.XXXXXX)" || return 1
    data="$SERVICES_MARIADB_DIR/data"
    log="$SERVICES_MARIADB_DIR/mariadb.log"

    services__log "initialising MariaDB data directory in $data"
    # --no-defaults: the system's /etc/mysql config (socket, datadir, log paths) must not leak in.
    if ! "$install" --no-defaults --user=root --datadir="$data" --auth-root-authentication-method=normal \
        --skip-test-db --skip-name-resolve >"$SERVICES_MARIADB_DIR/install-db.log" 2>&1; then
        services__log "ERROR: mariadb-install-db failed:"
        cat "$SERVICES_MARIADB_DIR/install-db.log" >&2
        return 1
    fi

    services__log "starting MariaDB on 127.0.0.1:$port"
    # Loopback only, a private socket, and durability traded for speed (the server is thrown away). A full-row
    # binlog for change capture (org.runbooks.stream), which reads it as a replica would.
    "$server" --no-defaults --user=root --datadir="$data" --socket="$SERVICES_MARIADB_DIR/mariadb.sock" \
        --pid-file="$SERVICES_MARIADB_DIR/mariadb.pid" --skip-networking=0 --bind-address=127.0.0.1 \
        --port="$port" --skip-name-resolve --log-error="$log" --max-connections=200 \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --sync-binlog=0 \
        --character-set-server=utf8mb4 \
        --log-bin=mariadb-bin --binlog-format=ROW --binlog-row-image=FULL --server-id=1 \
        </dev/null >/dev/null 2>&1 &
    SERVICES_MARIADB_PID=$!

    deadline=$((SECONDS + 60))
    until "$client" --no-defaults --protocol=socket --socket="$SERVICES_MARIADB_DIR/mariadb.sock" -uroot \
        -e "select 1" >/dev/null 2>&1; do
        if ! kill -0 "$SERVICES_MARIADB_PID" 2>/dev/null; then
            services__fail_with_log "MariaDB exited during startup" "$log"
            return 1
        fi
        if ((SECONDS >= deadline)); then
            services__fail_with_log "MariaDB not ready after 60s" "$log"
            return 1
        fi
        sleep 0.2
    done
    if ! "$client" --no-defaults --protocol=socket --socket="$SERVICES_MARIADB_DIR/mariadb.sock" -uroot -e "
        create user '$SERVICES_MARIADB_USER'@'127.0.0.1' identified by '$SERVICES_MARIADB_PASSWORD';
        grant all privileges on *.* to '$SERVICES_MARIADB_USER'@'127.0.0.1';" >&2; then
        services__log "ERROR: creating the MariaDB user failed"
        return 1
    fi

    export RUNBOOKS_MARIADB_HOST=127.0.0.1
    export RUNBOOKS_MARIADB_PORT="$port"
    export RUNBOOKS_MARIADB_USER="$SERVICES_MARIADB_USER"
    export RUNBOOKS_MARIADB_PASSWORD="$SERVICES_MARIADB_PASSWORD"
    services__log "MariaDB ready on 127.0.0.1:$port"
}

# Idempotent, like services_stop, which calls it; never fails.
services_stop_mariadb() {
    local i
    if [[ -n "$SERVICES_MARIADB_PID" ]]; then
        if kill -0 "$SERVICES_MARIADB_PID" 2>/dev/null; then
            services__log "stopping MariaDB (pid $SERVICES_MARIADB_PID)"
            kill -TERM "$SERVICES_MARIADB_PID" 2>/dev/null || true
            for ((i = 0; i < 300; i++)); do
                kill -0 "$SERVICES_MARIADB_PID" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$SERVICES_MARIADB_PID" 2>/dev/null; then
                services__log "MariaDB ignored SIGTERM for 30s; killing it"
                kill -KILL "$SERVICES_MARIADB_PID" 2>/dev/null || true
            fi
        fi
        wait "$SERVICES_MARIADB_PID" 2>/dev/null || true
        SERVICES_MARIADB_PID=""
    fi
    if [[ -n "$SERVICES_MARIADB_DIR" ]]; then
        rm -rf "$SERVICES_MARIADB_DIR" || true
        SERVICES_MARIADB_DIR=""
    fi
    return 0
}
# --- end of MariaDB -----------------------------------------------------------

# Idempotent: each step only acts on state a start function recorded, and
# clears it afterwards. Usually runs from an EXIT trap under `set -e`, so no
# command here may fail and cut the cleanup short.
services_stop() {
    local i
    services_stop_mariadb
    if [[ -n "$SERVICES_TEMPORAL_PID" ]]; then
        if kill -0 "$SERVICES_TEMPORAL_PID" 2>/dev/null; then
            services__log "stopping Temporal dev server (pid $SERVICES_TEMPORAL_PID)"
            kill -TERM "$SERVICES_TEMPORAL_PID" 2>/dev/null || true
            for ((i = 0; i < 100; i++)); do
                kill -0 "$SERVICES_TEMPORAL_PID" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$SERVICES_TEMPORAL_PID" 2>/dev/null; then
                services__log "Temporal dev server ignored SIGTERM for 10s; killing it"
                kill -KILL "$SERVICES_TEMPORAL_PID" 2>/dev/null || true
            fi
        fi
        # Reap it so the shell prints no job notice; harmless if not our child.
        wait "$SERVICES_TEMPORAL_PID" 2>/dev/null || true
        SERVICES_TEMPORAL_PID=""
    fi
    if [[ -n "$SERVICES_TEMPORAL_DIR" ]]; then
        rm -rf "$SERVICES_TEMPORAL_DIR" || true
        SERVICES_TEMPORAL_DIR=""
    fi

    if [[ -n "$SERVICES_PG_DIR" ]]; then
        if [[ -f "$SERVICES_PG_DIR/data/postmaster.pid" ]]; then
            services__log "stopping PostgreSQL"
            if ! services__as_postgres "$SERVICES_PG_BIN/pg_ctl" -D "$SERVICES_PG_DIR/data" -m fast -w stop >/dev/null; then
                services__log "fast shutdown failed; trying immediate shutdown"
                services__as_postgres "$SERVICES_PG_BIN/pg_ctl" -D "$SERVICES_PG_DIR/data" -m immediate -w stop >/dev/null || true
            fi
        fi
        rm -rf "$SERVICES_PG_DIR" || true
        SERVICES_PG_DIR=""
    fi
    return 0
}
