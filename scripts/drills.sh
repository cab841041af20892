#!/usr/bin/env bash
# Runs every failure drill (worker/src/test/java/org/runbooks/worker/it/drills) against a real Temporal dev server,
# the worker as its own process and PostgreSQL (and MariaDB for the live-writes drill), all started by
# scripts/with-services.sh, then prints one table of figures from worker/target/drills/*.txt.
#
#   bash scripts/drills.sh          # the short drills, as `mvn verify` runs them in CI (a few minutes)
#   bash scripts/drills.sh --full   # full sizes: 1,000,000-row tables, 20+ SIGKILLs, 30 s database outage
#
# Extra arguments go to Maven, for example -Drunbooks.drills.seed=42 to replay the kill drill's random moments.
# Exits with Maven's exit code: non-zero when any drill failed (its row says FAILED and why).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

size=short
if [[ "${1:-}" == "--full" ]]; then
    size=full
    shift
fi

FIGURES="$REPO/worker/target/drills"
rm -rf "$FIGURES"

status=0
bash "$REPO/scripts/with-services.sh" mvn -B -ntp -pl worker -am verify \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test='*DrillIT' -Drunbooks.drills="$size" "$@" || status=$?

echo
echo "Failure drills ($size) on $(nproc) cores, $(awk '/^MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo) GiB"
echo
echo "| drill | size | runs | outcome in figures |"
echo "| --- | --- | --- | --- |"
if compgen -G "$FIGURES/*.txt" >/dev/null; then
    cat "$FIGURES"/*.txt | awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
else
    echo "| (none) | $size | no drill wrote its figures | see the Maven output above |"
fi
exit "$status"
