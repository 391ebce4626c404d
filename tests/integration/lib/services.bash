# Shared plumbing of the bash pipeline tests: a private data directory, the
# services started on it as real processes, bounded waits on their logs and
# counters, and everything stopped and removed at exit. Source it after
# setting TEST (the test's name, used in FAIL lines and the temp dir).
BIN=${COURANT_BIN:-$PWD/build/bin}
ROOT=${COURANT_ROOT:-$PWD}
PY=/usr/bin/python3
T=$(mktemp -d "/tmp/courant-$TEST.XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL $TEST: $*"; for f in "$T"/*.log; do echo "--- $f"; tail -5 "$f"; done; exit 1; }
start() { # name binary args...  (sets LAST_PID)
	local name=$1; shift
	"$@" --data "$T" >>"$T/$name.log" 2>&1 &
	LAST_PID=$!
	PIDS+=($LAST_PID)
}
wait_ready() { # log file, number of ready lines expected (default 1)
	for _ in $(seq 100); do
		(( $(grep -c 'msg=ready' "$1" 2>/dev/null || true) >= ${2:-1} )) && return 0
		sleep 0.1
	done
	fail "$1 never logged msg=ready"
}
stats_ok() { # python condition on s (the stats object); polls up to ~20 s
	for _ in $(seq 100); do
		"$BIN/courant" stats --json --data "$T" >"$T/stats.json" 2>/dev/null
		$PY -c "import json,sys; s=json.load(open('$T/stats.json')); sys.exit(0 if ($1) else 1)" 2>/dev/null && return 0
		sleep 0.2
	done
	fail "stats never satisfied: $1: $(cat "$T/stats.json")"
}
