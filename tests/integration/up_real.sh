#!/usr/bin/env bash
# `courant up` with the real services: all seven processes start in order and
# report ready; a kill -9'd worker and a kill -9'd store come back with new
# pids; a second `up` on the same data directory is refused; SIGTERM stops
# everything with exit status 0 and no process left on the data directory.
set -u
T=up_real
FAILED=0
here=$(cd "$(dirname "$0")" && pwd)
. "$here/up_lib.bash"
bin=${COURANT_BIN:-$here/../../build/bin}
COURANT=$bin/courant
for s in store ingest relay normalize extract; do
	if [[ ! -x $bin/courant-$s ]]; then
		echo "SKIP $T: $bin/courant-$s not built yet"
		exit 0
	fi
done

tmp=$(mktemp -d /tmp/courant-upreal.XXXXXX)
data=$tmp/data
log=$tmp/up.log
up_pid=
cleanup() {
	[[ -n $up_pid ]] && kill -9 "$up_pid" 2>/dev/null
	for p in $(procs_on "$data"); do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# no --bin: up finds the services next to its own executable
"$COURANT" up --data "$data" --workers 2 2>"$log" &
up_pid=$!
if ! wait_for 30 log_has "$log" 'svc=up msg=ready services=7'; then
	fail all-ready "not ready in 30 s; log tail: $(tail -n 5 "$log" | tr '\n' '|')"
	exit 1
fi
pass all-ready
for s in store ingest relay normalize-1 normalize-2 extract-1 extract-2; do
	p=$(started_pid "$log" "$s")
	check "running-$s" kill -0 "${p:-0}"
done
check pidfile [ "$(cat "$data/run/up.pid")" = "$up_pid" ]

old=$(started_pid "$log" normalize-1)
kill -9 "$old"
check worker-restart-logged wait_for 10 log_has "$log" 'msg=restarting service=normalize-1'
check worker-new-pid wait_for 10 eval '[[ $(started_pid "$log" normalize-1) != "$old" ]]'
check worker-new-pid-alive kill -0 "$(started_pid "$log" normalize-1)"

old=$(started_pid "$log" store)
kill -9 "$old"
check store-restart-logged wait_for 10 log_has "$log" "msg=exited service=store pid=$old status=signal:9"
check store-ready-again wait_for 20 eval '[[ $(grep -c "svc=store msg=ready" "$log") -ge 2 ]]'

"$COURANT" up --data "$data" 2>"$tmp/second.err"
check second-up-refused [ $? -ne 0 ]
check second-up-says-why grep -q "another .courant up. (pid $up_pid)" "$tmp/second.err"

pids=$(grep -oE 'msg=started service=[a-z0-9-]+ pid=[0-9]+' "$log" | sed 's/.*pid=//')
kill -TERM "$up_pid"
if wait_for 20 eval '! kill -0 $up_pid 2>/dev/null'; then
	wait "$up_pid"
	rc=$?
	up_pid=
	check sigterm-exit-0 [ $rc -eq 0 ]
else
	fail sigterm-exit-0 "courant up still running 20 s after SIGTERM"
fi
check no-process-left wait_for 5 no_procs_on "$data"
alive=
for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
check recorded-pids-gone [ -z "$alive" ]
check clean-stop-no-kill eval '! log_has "$log" "msg=killing"'
exit $FAILED
