#!/usr/bin/env bash
# The docker-compose topology on one machine: `courant up` with all eight
# endpoints on tcp loopback (given as COURANT_<NAME>_ENDPOINT, as the compose
# file does), the CLI reaching them the same way; the samples get stored and
# their events listed, and no ipc socket is used.
set -u
T=up_tcp
FAILED=0
here=$(cd "$(dirname "$0")" && pwd)
. "$here/up_lib.bash"
bin=${COURANT_BIN:-$here/../../build/bin}
COURANT=$bin/courant
root=${COURANT_ROOT:-$here/../..}
for s in store ingest relay normalize extract; do
	[[ -x $bin/courant-$s ]] || { echo "SKIP $T: courant-$s not built yet"; exit 0; }
done

tmp=$(mktemp -d /tmp/courant-uptcp.XXXXXX)
data=$tmp/data
log=$tmp/up.log
up_pid=
cleanup() {
	if [[ -n $up_pid ]] && kill -0 "$up_pid" 2>/dev/null; then
		kill -TERM "$up_pid"
		wait_for 20 eval '! kill -0 $up_pid 2>/dev/null'
		kill -9 "$up_pid" 2>/dev/null
	fi
	for p in $(procs_on "$data"); do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# eight free loopback ports, asked of the kernel
read -r -a ports < <(/usr/bin/python3 -c '
import socket
ss = [socket.socket() for _ in range(8)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
i=0
for name in SUBMIT WORK ACK RELAY_IN RELAY_OUT STORE_IN QUERY EVENTS; do
	export "COURANT_${name}_ENDPOINT=tcp://127.0.0.1:${ports[i]}"
	i=$((i + 1))
done

"$COURANT" up --data "$data" --workers 2 2>"$log" &
up_pid=$!
if ! wait_for 30 log_has "$log" 'svc=up msg=ready'; then
	fail up-ready "not ready in 30 s; log tail: $(tail -n 5 "$log" | tr '\n' '|')"
	exit 1
fi
pass up-ready
check binds-tcp log_has "$log" "svc=ingest msg=ready submit=tcp://127.0.0.1:${ports[0]}"

timeout 60 "$COURANT" submit --data "$tmp/elsewhere" --wait "$root/samples" >"$tmp/submit.out" 2>"$tmp/submit.err"
rc=$?
check submit-over-tcp [ $rc -eq 0 ]
check nine-accepted [ "$(grep -c '"status":"accepted"' "$tmp/submit.out")" -eq 9 ]
"$COURANT" events --data "$tmp/elsewhere" --json >"$tmp/events.out" 2>/dev/null
check events-over-tcp [ -s "$tmp/events.out" ]
socks=$(find "$data" "$tmp/elsewhere" -name '*.sock' 2>/dev/null | tr '\n' ' ')
if [[ -z $socks ]]; then pass no-ipc-sockets; else fail no-ipc-sockets "$socks"; fi

kill -TERM "$up_pid"
wait_for 20 eval '! kill -0 $up_pid 2>/dev/null'
wait "$up_pid"
rc=$?
up_pid=
check up-stops-cleanly [ $rc -eq 0 ]
check no-process-left wait_for 5 no_procs_on "$data"
exit $FAILED
