#!/usr/bin/env bash
# `courant up` supervision on stand-in services (tiny bash scripts given with
# --bin): start order, restart after kill -9 with backoff log lines, refusal
# of a second `up`, SIGKILL of a service that ignores SIGTERM after the grace
# period, no process left after SIGTERM, children dying with a killed `up`.
set -u
T=up_supervise
FAILED=0
here=$(cd "$(dirname "$0")" && pwd)
. "$here/up_lib.bash"
COURANT=${COURANT_BIN:-$here/../../build/bin}/courant

tmp=$(mktemp -d /tmp/courant-upsup.XXXXXX)
data=$tmp/data
fake=$tmp/bin
mkdir -p "$fake" "$data"
up_pid=
cleanup() {
	[[ -n $up_pid ]] && kill -9 "$up_pid" 2>/dev/null
	for p in $(procs_on "$data"); do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# A stand-in service: logs msg=ready, then becomes one idle process that keeps
# its arguments (so `pgrep -f "--data DIR"` finds it) and dies on SIGTERM, or
# ignores SIGTERM when <data>/stubborn-<svc> exists (to exercise SIGKILL).
for svc in store ingest relay normalize extract; do
	cat >"$fake/courant-$svc" <<EOS
#!/usr/bin/env bash
data=\$2
[[ -e \$data/stubborn-$svc ]] && trap '' TERM   # an ignored signal stays ignored across exec
echo "level=info svc=$svc msg=ready instance=\$COURANT_INSTANCE args=\$*" >&2
exec -a "courant-$svc \$*" sleep 3600
EOS
	chmod +x "$fake/courant-$svc"
done

log=$tmp/up.log
"$COURANT" up --data "$data" --bin "$fake" --workers 2 --grace 1 \
	--events-endpoint tcp://127.0.0.1:7999 --query-endpoint=ipc://$tmp/q.sock 2>"$log" &
up_pid=$!

check all-ready wait_for 10 log_has "$log" 'svc=up msg=ready services=7'
order=$(grep -oE 'msg=started service=[a-z0-9-]+' "$log" | sed 's/.*service=//' | tr '\n' ' ')
check start-order [ "$order" = "store ingest relay normalize-1 normalize-2 extract-1 extract-2 " ]
check pidfile [ "$(cat "$data/run/up.pid")" = "$up_pid" ]
check forwards-child-lines log_has "$log" 'svc=relay msg=ready'
check passes-data-and-endpoints log_has "$log" "svc=extract msg=ready instance=extract-2 args=--data $(cd "$data" && pwd) --events-endpoint tcp://127.0.0.1:7999 --query-endpoint=ipc://$tmp/q.sock\$"

# kill -9 one worker: it is restarted with a new pid
old=$(started_pid "$log" normalize-1)
kill -9 "$old"
check restart-logged wait_for 10 log_has "$log" 'msg=restarting service=normalize-1 in_ms=100'
check restarted wait_for 10 eval '[[ -n $(started_pid "$log" normalize-1) && $(started_pid "$log" normalize-1) != "$old" ]]'
check exited-logged log_has "$log" "msg=exited service=normalize-1 pid=$old status=signal:9"
# dying again soon after a restart doubles the delay (100, 200, 400 ms ...)
old=$(started_pid "$log" normalize-1)
kill -9 "$old"
check backoff-doubles wait_for 10 log_has "$log" 'msg=restarting service=normalize-1 in_ms=200 restarts=2'
check restarted-again wait_for 10 eval '[[ $(started_pid "$log" normalize-1) != "$old" ]]'

# a second up on the same data directory is refused, quickly, with a reason
"$COURANT" up --data "$data" --bin "$fake" 2>"$tmp/second.err"
rc=$?
check second-refused [ $rc -ne 0 ]
check second-says-why grep -q "another .courant up. (pid $up_pid)" "$tmp/second.err"

# missing binaries are a clear error, not a crash loop
"$COURANT" up --data "$tmp/other" --bin "$tmp/nowhere" 2>"$tmp/nobin.err"
check missing-bin-refused [ $? -ne 0 ] 
check missing-bin-says-why grep -q "courant-store" "$tmp/nobin.err"

# SIGTERM: everything stops, a service ignoring SIGTERM is SIGKILLed after --grace
touch "$data/stubborn-relay"
relay=$(started_pid "$log" relay)
kill -9 "$relay"   # restart it so that it picks up the stubborn flag
wait_for 10 eval '[[ $(started_pid "$log" relay) != "$relay" ]]'
wait_for 10 eval '[[ $(grep -c "svc=relay msg=ready" "$log") -ge 2 ]]'
kill -TERM "$up_pid"
wait_for 15 eval '! kill -0 $up_pid 2>/dev/null'
wait "$up_pid"
rc=$?
up_pid=
check sigterm-exit-0 [ $rc -eq 0 ]
check stubborn-killed log_has "$log" 'msg=killing service=relay'
check no-process-left wait_for 5 no_procs_on "$data"
check stopped-logged log_has "$log" 'svc=up msg=stopped'

# kill -9 of `up` itself: children go too (PR_SET_PDEATHSIG)
rm -f "$data/stubborn-relay"
log2=$tmp/up2.log
"$COURANT" up --data "$data" --bin "$fake" --workers 1 2>"$log2" &
up_pid=$!
wait_for 10 log_has "$log2" 'svc=up msg=ready services=5'
kill -9 "$up_pid"
wait "$up_pid" 2>/dev/null
up_pid=
check orphans-die-with-up wait_for 10 no_procs_on "$data"
"$COURANT" up --data "$data" --bin "$fake" --workers 1 2>"$tmp/up3.log" &
up_pid=$!
check restart-after-kill9 wait_for 10 log_has "$tmp/up3.log" 'svc=up msg=ready services=5'
kill -INT "$up_pid"
wait_for 15 eval '! kill -0 $up_pid 2>/dev/null'
wait "$up_pid"
check sigint-exit-0 [ $? -eq 0 ]
up_pid=
check sigint-no-process-left wait_for 5 no_procs_on "$data"
exit $FAILED
