#!/usr/bin/env bash
# `make run`'s script on the project's samples: ends by itself with status 0,
# prints events as JSON lines (each with seq, article_id, type) for several of
# the sample articles, and leaves no process behind.
set -u
T=run_samples
root=${COURANT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BUILD:-build}
[[ $build = /* ]] || build=$root/$build
for s in store ingest relay normalize extract; do
	[[ -x $build/bin/courant-$s ]] || { echo "SKIP $T: courant-$s not built"; exit 0; }
done
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 120 "$root/deploy/run-samples" "$build" >"$out" 2>"$err"
rc=$?
if (( rc == 0 )); then echo "PASS $T:exit-0"; else echo "FAIL $T:exit-0: status $rc; $(tail -n 3 "$err" | tr '\n' '|')"; fi
verdict=$(/usr/bin/python3 - "$out" <<'PY'
import json, sys
arts, n, bad = set(), 0, 0
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    o = json.loads(line)
    n += 1
    if isinstance(o.get("seq"), int) and o.get("article_id") and o.get("type"):
        arts.add(o["article_id"])
    else:
        bad += 1
print("ok" if n and not bad and len(arts) >= 5 else "bad", n, len(arts), bad)
PY
)
if [[ $verdict == ok* ]]; then echo "PASS $T:events-printed"; echo "INFO $T: events, articles, bad lines: ${verdict#ok }"
else echo "FAIL $T:events-printed: events, articles, bad lines: ${verdict#bad }"; fi
if grep -q 'stopped cleanly' "$err"; then echo "PASS $T:stopped-cleanly"; else echo "FAIL $T:stopped-cleanly: $(tail -n 2 "$err")"; fi
data=$(grep -oE 'courant up --data [^ )]+' "$err" | head -n1 | sed 's/.*--data //')
if [[ -z $data ]]; then echo "FAIL $T:no-process-left: data directory not reported"
elif pgrep -f -- "--data $data" >/dev/null; then echo "FAIL $T:no-process-left: $(pgrep -af -- "--data $data")"
else echo "PASS $T:no-process-left"; fi
