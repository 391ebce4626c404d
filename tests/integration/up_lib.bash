# Helpers shared by the `courant up` tests (sourced, not a test itself).
# Every wait is a bounded poll on a condition, never a blind sleep.

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds; 1 on timeout.
wait_for() {
	local limit=$(( $1 * 20 )) i=0
	shift
	while (( i++ < limit )); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# log_has FILE REGEX
log_has() { grep -qE -- "$2" "$1" 2>/dev/null; }

# pid of the last `msg=started service=NAME` in FILE
started_pid() {
	grep -E "msg=started service=$2 pid=" "$1" 2>/dev/null | tail -n1 | sed -E 's/.* pid=([0-9]+).*/\1/'
}

# processes whose command line mentions DIR (the data directory is on every
# service's command line), excluding this shell's own helpers.
procs_on() { pgrep -f -- "--data $1" || true; }
no_procs_on() { [[ -z $(procs_on "$1") ]]; }

pass() { echo "PASS $T:$1"; }
fail() { echo "FAIL $T:$1: $2"; FAILED=1; }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name" "condition failed: $*"; fi; }
