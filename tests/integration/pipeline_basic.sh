#!/usr/bin/env bash
# Service-level test of the pipeline: start ingest, two normalize workers,
# the relay, an extract worker and the store as real processes on ipc
# sockets in a temp dir; submit the seeds (5 accepted, all stored), submit
# them again (5 duplicates), check refusals and `courant stats`.
set -u
TEST=pipeline_basic
. "$(dirname "$0")/lib/services.bash"
SHARED=${SHARED:-$PWD/../shared}
SEEDS=$SHARED/corpus/seeds.jsonl

for b in courant courant-ingest courant-normalize courant-relay courant-extract courant-store; do
	[[ -x $BIN/$b ]] || { echo "FAIL pipeline_basic: $BIN/$b missing"; exit 1; }
done
start store "$BIN/courant-store"
start ingest "$BIN/courant-ingest" --redeliver-ms 3000
start relay "$BIN/courant-relay"
start normalize1 "$BIN/courant-normalize"
start normalize2 "$BIN/courant-normalize"
start extract "$BIN/courant-extract"
for s in store ingest relay normalize1 normalize2 extract; do wait_ready "$T/$s.log"; done

# 1. seeds: five accepted, all stored
"$BIN/courant" submit --data "$T" --wait --timeout 60 "$SEEDS" >"$T/sub1.out" 2>"$T/sub1.err"
rc=$?
n=$(grep -c '"status":"accepted"' "$T/sub1.out")
[[ $rc == 0 && $n == 5 ]] || fail "first submit rc=$rc accepted=$n: $(cat "$T/sub1.err")"
grep -q 'stored=5 dead=0' "$T/sub1.err" || fail "first submit summary: $(cat "$T/sub1.err")"
echo "PASS pipeline_basic: seeds accepted and stored"

# 2. the same file again, on stdin: five duplicates naming the originals
"$BIN/courant" submit --data "$T" --wait --timeout 60 - <"$SEEDS" >"$T/sub2.out" 2>"$T/sub2.err"
rc=$?
n=$(grep -c '"status":"duplicate"' "$T/sub2.out")
[[ $rc == 0 && $n == 5 ]] || fail "second submit rc=$rc duplicates=$n"
grep -q '"duplicate_of":"seed-000"' "$T/sub2.out" || fail "duplicate_of missing: $(head -1 "$T/sub2.out")"
echo "PASS pipeline_basic: resubmission reports five duplicates"

# 3. refusals: empty text, bad date, bad JSON; exit status 1
printf '%s\n' '{"id":"e1","url":"http://x.org/e1","text":"   "}' \
	'{"id":"e2","url":"http://x.org/e2","published":"yesterday","text":"Some text."}' \
	'{"id": "e3", "text": ' >"$T/bad.jsonl"
"$BIN/courant" submit --data "$T" "$T/bad.jsonl" >"$T/sub3.out" 2>"$T/sub3.err"
rc=$?
n=$(grep -c '"status":"refused"' "$T/sub3.out")
[[ $rc == 1 && $n == 3 ]] || fail "refusals rc=$rc refused=$n: $(cat "$T/sub3.out")"
grep -q 'empty text' "$T/sub3.out" || fail "no 'empty text' reason"
echo "PASS pipeline_basic: bad articles refused with reasons"

# 4. plain files and a directory
mkdir -p "$T/in/sub"
printf 'Le président français a rencontré le chancelier allemand à Berlin mardi.\n' >"$T/in/a1.txt"
printf '<html><body><p>The United Nations condemned the attack on Monday.</p></body></html>\n' >"$T/in/sub/b2.html"
"$BIN/courant" submit --data "$T" --wait --timeout 60 "$T/in" >"$T/sub4.out" 2>"$T/sub4.err"
rc=$?
[[ $rc == 0 ]] && grep -q '"id":"a1"' "$T/sub4.out" && grep -q '"id":"b2"' "$T/sub4.out" ||
	fail "directory submit rc=$rc: $(cat "$T/sub4.out" "$T/sub4.err")"
echo "PASS pipeline_basic: directory of plain files"

# 5. stats: ingest and store counters, workers' heartbeats
ok=0
for _ in $(seq 50); do
	"$BIN/courant" stats --json --data "$T" >"$T/stats.json" 2>/dev/null
	if /usr/bin/python3 - "$T/stats.json" 2>/dev/null <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["ingest"]["accepted"] == 7 and s["ingest"]["duplicates"] == 5, s["ingest"]
assert s["ingest"]["acked"] == 7 and s["ingest"]["pending"] == 0
assert s["store"]["articles"] == 7, s["store"]
assert len(s["normalize"]) == 2 and len(s["extract"]) == 1 and s["relay"], s
assert sum(w["normalized"] for w in s["normalize"]) >= 7
PY
	then ok=1; break; fi
	sleep 0.2
done
[[ $ok == 1 ]] || fail "stats: $(cat "$T/stats.json")"
"$BIN/courant" stats --prometheus --data "$T" | grep -q '^courant_ingest_accepted{instance=".*"} 7$' ||
	fail "prometheus output"
echo "PASS pipeline_basic: stats from every service"

# 6. graceful stop: every service exits 0 on SIGTERM
for i in "${!PIDS[@]}"; do kill -TERM "${PIDS[$i]}"; done
for i in "${!PIDS[@]}"; do
	wait "${PIDS[$i]}"
	rc=$?
	[[ $rc == 0 ]] || fail "a service exited $rc on SIGTERM"
done
PIDS=()
echo "PASS pipeline_basic: services stop cleanly on SIGTERM"
