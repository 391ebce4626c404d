#!/usr/bin/env bash
# Service-level test of ingest's end-to-end reliability: an extract stage
# that loses every article (a black hole forwarding only rejections and
# stats) makes ingest re-send, then give up after --max-attempts with a
# Rejection that the store dead-letters (submit --wait exits 1, dead=1);
# an article pending when ingest is killed -9 is re-sent by the restarted
# ingest from its journal and stored once a real extract worker is back.
set -u
TEST=pipeline_redeliver
. "$(dirname "$0")/lib/services.bash"

protoc --python_out="$T" --proto_path="$ROOT/proto" "$ROOT/proto/courant.proto" || fail "protoc"
cat >"$T/blackhole.py" <<'PY'
# Loses every article (like an extract worker that always dies mid-message)
# but passes rejections and stats on to the store.
import sys, signal, zmq
sys.path.insert(0, sys.argv[3])
import courant_pb2 as pb
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
ctx = zmq.Context()
i = ctx.socket(zmq.PULL); i.connect(sys.argv[1])
o = ctx.socket(zmq.PUSH); o.connect(sys.argv[2])
print("msg=ready", file=sys.stderr, flush=True)
while True:
    f = i.recv()
    w = pb.Work(); w.ParseFromString(f)
    if not w.HasField("article"):
        o.send(f)
PY

start store "$BIN/courant-store"
start ingest "$BIN/courant-ingest" --max-attempts 2 --redeliver-ms 300
INGEST=$LAST_PID
start relay "$BIN/courant-relay"
start normalize "$BIN/courant-normalize"
$PY "$T/blackhole.py" "ipc://$T/run/relay-out.sock" "ipc://$T/run/store-in.sock" "$T" 2>"$T/blackhole.log" &
HOLE=$!
PIDS+=($HOLE)
for s in store ingest relay normalize blackhole; do wait_ready "$T/$s.log"; done

# 1. never acknowledged: re-sent, then dead-lettered by the store
echo '{"id":"lost-1","url":"http://ex.org/lost-1","text":"Le Maroc et le Togo ont signé un accord."}' >"$T/a.jsonl"
"$BIN/courant" submit --data "$T" --wait --timeout 30 "$T/a.jsonl" >"$T/sub1.out" 2>"$T/sub1.err"
rc=$?
[[ $rc == 1 ]] && grep -q 'accepted=1 .* dead=1' "$T/sub1.err" && grep -q 'no acknowledgement after 2 attempts' "$T/sub1.err" ||
	fail "dead letter: rc=$rc $(cat "$T/sub1.out" "$T/sub1.err")"
stats_ok 's["ingest"]["dead"] == 1 and s["ingest"]["resent"] >= 1 and s["ingest"]["pending"] == 0 and s["store"]["dead_letters"] == 1'
echo "PASS pipeline_redeliver: unacknowledged article re-sent then dead-lettered"

# 2. pending across an ingest crash: journal resume, then stored
echo '{"id":"kept-1","url":"http://ex.org/kept-1","text":"The United Nations met in Geneva on Monday."}' >"$T/b.jsonl"
"$BIN/courant" submit --data "$T" "$T/b.jsonl" >"$T/sub2.out" 2>&1 || fail "submit kept-1: $(cat "$T/sub2.out")"
kill -9 "$INGEST"
wait "$INGEST" 2>/dev/null
start ingest "$BIN/courant-ingest" --max-attempts 50 --redeliver-ms 300
wait_ready "$T/ingest.log" 2
grep -q 'msg=ready.*pending=1' "$T/ingest.log" || fail "restarted ingest did not resume the pending article"
kill "$HOLE"
start extract "$BIN/courant-extract"
wait_ready "$T/extract.log"
stats_ok 's["store"]["articles"] == 1 and s["ingest"]["pending"] == 0 and s["ingest"]["acked"] >= 1'
echo "PASS pipeline_redeliver: pending article survives kill -9 of ingest and is stored"
