#!/usr/bin/env bash
# Issue 2, end to end on the real services: with `courant up` running,
# `courant submit --wait` stores the five seed articles; submitting them again
# reports five duplicates and stores nothing new; `courant events --json` lists
# events, each with seq, article_id and type.
set -u
T=e2e_seeds
FAILED=0
here=$(cd "$(dirname "$0")" && pwd)
. "$here/up_lib.bash"
bin=${COURANT_BIN:-$here/../../build/bin}
COURANT=$bin/courant
SEEDS=${SHARED:-$here/../../../shared}/corpus/seeds.jsonl
for s in store ingest relay normalize extract; do
	if [[ ! -x $bin/courant-$s ]]; then
		echo "SKIP $T: $bin/courant-$s not built yet"
		exit 0
	fi
done
# the seeds live beside the checkout (../shared); a clone elsewhere has none
[[ -f $SEEDS ]] || { echo "SKIP $T: $SEEDS not found (set SHARED)"; exit 0; }

tmp=$(mktemp -d /tmp/courant-e2e.XXXXXX)
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

# store.articles from `courant stats --json`, whichever of the two natural
# shapes it uses: {"store": {...}, ...} or one line per service.
store_articles() {
	"$COURANT" stats --data "$data" --json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    o = json.loads(line)
    if isinstance(o.get("store"), dict) and "articles" in o["store"]:
        print(o["store"]["articles"]); break
    if o.get("service", o.get("svc")) == "store" and "articles" in o:
        print(o["articles"]); break
'
}

"$COURANT" up --data "$data" --workers 2 2>"$log" &
up_pid=$!
if ! wait_for 30 log_has "$log" 'svc=up msg=ready'; then
	fail up-ready "not ready in 30 s; log tail: $(tail -n 5 "$log" | tr '\n' '|')"
	exit 1
fi

# first submission: five stored
timeout 60 "$COURANT" submit --data "$data" --wait "$SEEDS" >"$tmp/first.out" 2>"$tmp/first.err"
rc=$?
check first-submit-exit-0 [ $rc -eq 0 ]
n=$(grep -c . "$tmp/first.out")
check first-submit-five-answers [ "$n" -eq 5 ]
check first-submit-no-duplicate eval '! grep -qi duplicate "$tmp/first.out"'
a=$(store_articles)
if [[ $a == 5 ]]; then pass stored-five; else fail stored-five "store.articles=${a:-?}"; fi

# second submission: five duplicates, nothing new stored
timeout 60 "$COURANT" submit --data "$data" --wait "$SEEDS" >"$tmp/second.out" 2>"$tmp/second.err"
rc=$?
check second-submit-exit-0 [ $rc -eq 0 ]
d=$(grep -ci duplicate "$tmp/second.out")
if [[ $d == 5 ]]; then pass five-duplicates; else fail five-duplicates "$d duplicate answers: $(head -c 300 "$tmp/second.out")"; fi
a=$(store_articles)
if [[ $a == 5 ]]; then pass still-five; else fail still-five "store.articles=${a:-?}"; fi

# events: JSON lines, each with seq, article_id and type
"$COURANT" events --data "$data" --json >"$tmp/events.out" 2>"$tmp/events.err"
check events-exit-0 [ $? -eq 0 ]
verdict=$(/usr/bin/python3 - "$tmp/events.out" <<'PY'
import json, sys
n, bad, ids, seqs = 0, [], set(), []
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    n += 1
    try:
        o = json.loads(line)
    except ValueError:
        bad.append("not JSON: " + line[:80]); continue
    t = o.get("type") or (o.get("event") or {}).get("type")
    if not isinstance(o.get("seq"), int) or not o.get("article_id") or not t:
        bad.append(line[:120])
    else:
        ids.add(o["article_id"]); seqs.append(o["seq"])
if n == 0:
    print("no events")
elif bad:
    print("%d bad lines, e.g. %s" % (len(bad), bad[0]))
elif len(set(seqs)) != len(seqs):
    print("duplicate seq numbers")
else:
    print("ok %d events from %d articles" % (n, len(ids)))
PY
)
if [[ $verdict == ok* ]]; then pass "events-listed"; echo "INFO $T: $verdict"; else fail events-listed "$verdict"; fi
check events-from-seeds grep -q '"article_id": *"seed-' "$tmp/events.out"

kill -TERM "$up_pid"
wait_for 20 eval '! kill -0 $up_pid 2>/dev/null'
wait "$up_pid"
rc=$?
up_pid=
check up-stops-cleanly [ $rc -eq 0 ]
check no-process-left wait_for 5 no_procs_on "$data"
exit $FAILED
