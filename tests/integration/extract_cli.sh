#!/usr/bin/env bash
# `courant extract` offline: one record per good input line (id kept, lang,
# entities, events), a bad line reported on stderr without stopping the rest
# (exit 1), and the issue-4 targets on the seeds and on our own annotated
# sets (tests/data/extract) as regression floors.
set -u
T=extract_cli
here=$(cd "$(dirname "$0")" && pwd)
root=${COURANT_ROOT:-$here/../..}
bin=${COURANT_BIN:-$root/build/bin}
shared=${SHARED:-$root/../shared}
PY=/usr/bin/python3
[[ -x $bin/courant ]] || { echo "SKIP $T: $bin/courant not built"; exit 0; }
tmp=$(mktemp -d /tmp/courant-extract.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
ok() { echo "PASS $T:$1"; }
ko() { echo "FAIL $T:$1: $2"; }

cat >"$tmp/in.jsonl" <<'JSONL'
{"id":"x-fr","url":"https://example.org/a","published":"2024-05-10","text":"Le ministre ghanéen des Affaires étrangères a effectué une visite de travail à Lomé le 2 mai 2024. Le Ghana et le Togo ont signé un accord."}
{"id": "broken", "text": 
{"id":"x-en","published":"2024-05-10","text":"Kenya and Uganda agreed on Monday to build a new railway. Kenya did not sign the border treaty with Somalia."}
JSONL
"$bin/courant" extract "$tmp/in.jsonl" >"$tmp/out.jsonl" 2>"$tmp/err"
rc=$?
[[ $rc == 1 ]] && ok exit-status || ko exit-status "rc=$rc, want 1 (one bad line)"
[[ $(wc -l <"$tmp/out.jsonl") == 2 ]] && ok two-records || ko two-records "$(wc -l <"$tmp/out.jsonl") lines"
grep -q . "$tmp/err" && ok bad-line-reported || ko bad-line-reported "nothing on stderr"
$PY - "$tmp/out.jsonl" <<'PYEOF'
import json, sys
T = "extract_cli"
recs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    recs[r["id"]] = r
def check(name, cond, why):
    print(("PASS %s:%s" % (T, name)) if cond else ("FAIL %s:%s: %s" % (T, name, why)))
fr, en = recs.get("x-fr", {}), recs.get("x-en", {})
check("ids-kept", set(recs) == {"x-fr", "x-en"}, sorted(recs))
check("lang", fr.get("lang") == "fr" and en.get("lang") == "en", (fr.get("lang"), en.get("lang")))
codes = {e.get("code") for e in fr.get("entities", []) if e.get("type") == "COUNTRY"}
check("countries", codes == {"GHA", "TGO"}, sorted(c for c in codes if c))
visit = [e for e in fr.get("events", []) if e["type"] == "CONSULT"]
check("visit", visit and visit[0].get("actor") == ["GHA"] and visit[0].get("recipient") == ["TGO"]
      and visit[0].get("date") == "2024-05-02" and visit[0].get("location", {}).get("name") == "Lomé", visit)
agree = [e for e in en.get("events", []) if e["type"] == "AGREE"]
check("agree-dated", agree and agree[0].get("date") == "2024-05-06", agree)
check("negated-not-event", not [e for e in en.get("events", []) if "SOM" in e.get("actor", []) + e.get("recipient", [])],
      en.get("events"))
PYEOF

# regression floors on the development sets (the figures `make score` prints)
score=$shared/tools/score
if [[ -x $score && -f $shared/corpus/seeds.jsonl ]]; then
	"$bin/courant" extract "$shared/corpus/seeds.jsonl" >"$tmp/seeds.pred" 2>/dev/null
	"$score" "$shared/corpus/seeds.gold.jsonl" "$tmp/seeds.pred" --json >"$tmp/seeds.json"
	$PY - "$tmp/seeds.json" <<'PYEOF'
import json, sys
T = "extract_cli"
r = json.load(open(sys.argv[1]))
floors = [("events", r["events"]["f1"], 0.85), ("countries", r["countries"]["f1"], 0.97),
          ("persons", r["persons"]["f1"], 0.90), ("event_dates", r["event_dates"]["accuracy"] or 0, 0.90),
          ("event_locations", r["event_locations"]["accuracy"] or 0, 0.80), ("language", r["language"]["accuracy"] or 0, 1.0)]
for name, got, want in floors:
    print(("PASS %s:seeds-%s" % (T, name)) if got >= want else ("FAIL %s:seeds-%s: %.3f < %.2f" % (T, name, got, want)))
PYEOF
	for set in "$root"/tests/data/extract/*.gold.jsonl; do
		name=$(basename "$set" .gold.jsonl)
		"$bin/courant" extract "${set%.gold.jsonl}.jsonl" >"$tmp/$name.pred" 2>/dev/null
		f1=$("$score" "$set" "$tmp/$name.pred" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["events"]["f1"])')
		$PY -c "import sys; sys.exit(0 if $f1 >= 0.80 else 1)" && ok "$name-events-f1" || ko "$name-events-f1" "$f1 < 0.80"
	done
else
	echo "SKIP $T:scores: $score or the seeds not found"
fi
