#!/usr/bin/env bash
# ingest sends journal records as stored (attempt appended, not re-packed):
# a record damaged on disk must still end as a dead letter, never crash or
# vanish. The record is overwritten with junk (mdb_dump / mdb_load) while
# ingest is stopped; normalize refuses it, ingest re-sends, gives up and
# the store dead-letters it ("unreadable journal record").
set -u
if ! command -v mdb_dump >/dev/null || ! command -v mdb_load >/dev/null; then
	echo "SKIP ingest_damaged_record: lmdb-utils (mdb_dump, mdb_load) not installed"
	exit 0
fi
TEST=ingest_damaged_record
. "$(dirname "$0")/lib/services.bash"

start store "$BIN/courant-store"
start ingest "$BIN/courant-ingest"
INGEST=$LAST_PID
wait_ready "$T/store.log"
wait_ready "$T/ingest.log"
echo '{"id":"dmg-1","url":"http://ex.org/dmg-1","text":"The United Nations met in Geneva on Monday."}' >"$T/a.jsonl"
"$BIN/courant" submit --data "$T" "$T/a.jsonl" >"$T/sub.out" 2>&1 || fail "submit: $(cat "$T/sub.out")"
kill "$INGEST"
wait "$INGEST" 2>/dev/null
# the one record's value (second data line after HEADER=END) becomes junk
mdb_dump -s arts "$T/ingest" >"$T/dump" || fail "mdb_dump"
awk '/^HEADER=END/ {print; h = 1; next} h && /^ / && ++n == 2 {print " ffff0a"; next} {print}' "$T/dump" >"$T/dump2"
grep -q '^ ffff0a$' "$T/dump2" || fail "no record to damage: $(cat "$T/dump")"
mdb_load -s arts -f "$T/dump2" "$T/ingest" 2>"$T/load.err" || fail "mdb_load: $(cat "$T/load.err")"

start ingest "$BIN/courant-ingest" --max-attempts 2 --redeliver-ms 300
wait_ready "$T/ingest.log" 2
grep -q 'msg=ready.*pending=1' "$T/ingest.log" || fail "restarted ingest did not resume the record"
for s in relay normalize extract; do start "$s" "$BIN/courant-$s"; wait_ready "$T/$s.log"; done
stats_ok 's["store"]["dead_letters"] == 1 and s["store"]["articles"] == 0 and s["ingest"]["pending"] == 0 and s["ingest"]["dead"] == 1'
"$BIN/courant" dead-letters --data "$T" >"$T/dead.out" 2>&1
grep -q 'unreadable journal record' "$T/dead.out" || fail "dead letter reason: $(cat "$T/dead.out")"
echo "PASS ingest_damaged_record: a damaged journal record ends as a dead letter"
