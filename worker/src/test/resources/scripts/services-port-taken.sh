#!/usr/bin/env bash
# Starts a Temporal dev server through scripts/services.sh when the first ports it picks are already taken by
# another process: services_start_temporal must start over on new ports. $1 is the repository; prints
# "started <address> busy <port>" and stops the server again.
set -u
cd "$1"
# shellcheck source=/dev/null
source scripts/services.sh
services_select_jdk >/dev/null 2>&1 || true
holder_port_file="$(mktemp)"
python3 -c "import socket,sys,time
s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen()
open(sys.argv[1],'w').write(str(s.getsockname()[1])); time.sleep(300)" "$holder_port_file" &
holder=$!
trap 'kill $holder 2>/dev/null; kill ${SERVICES_TEMPORAL_PID:-} 2>/dev/null; rm -f "$holder_port_file" "$holder_port_file.first"' EXIT
until [[ -s "$holder_port_file" ]]; do kill -0 "$holder" || exit 3; sleep 0.05; done
busy="$(cat "$holder_port_file")"
eval "chosen_$(declare -f services__free_ports)"
first_choice="$holder_port_file.first"
# The first choice is the taken port; later ones are the script's own. (It runs in a command substitution's
# subshell, so a file, not a variable, remembers that the first choice was made.)
services__free_ports() {
    if [[ ! -e "$first_choice" ]]; then
        touch "$first_choice"
        echo "$busy $((busy + 1))"
    else
        chosen_services__free_ports "$@"
    fi
}
services_start_temporal || exit 4
echo "started $TEMPORAL_ADDRESS busy $busy"
