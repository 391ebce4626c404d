"""The store's index env (<data>/store/index/, written without fsync after the
synced commit of articles + events): a store killed between the two commits
completes its indexes on restart, and a deleted, corrupted or foreign index
env is rebuilt from `events`. Every check compares index-served queries
(type, country, pair, person, date) with what was sent."""
import os
import shutil
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pylib"))
import courant_testlib as T  # noqa: E402

CODES = ["MLI", "TGO", "MAR", "FRA"]
TYPES = ["CONSULT", "AID", "ACCUSE"]


def article(i):
    """Article i: two or three events that vary with i."""
    evs = []
    for j in range(2 + i % 2):
        a, r = CODES[(i + j) % 4], CODES[(i + 2 * j + 1) % 4]
        e = {"type": TYPES[(i + j) % 3], "actor": [a], "recipient": [r] if r != a else []}
        if j == 0:
            e["persons"] = ["Robert Dussey" if i % 3 == 0 else "Assimi Goita"]
        e["date"] = "2021-%02d-10" % (1 + i % 12)
        evs.append(e)
    return ("ix-%03d" % i, evs)


def stored_events(q, pb):
    """Every stored event as (seq, event dict), read by scanning `events`
    (no index involved): the truth the index-served queries must match."""
    out, after = [], 0
    while True:
        r = q.ask(kind=pb.EVENTS, after_seq=after, limit=10000)
        if not r or not r.events:
            return out
        for rec in r.events:
            e = rec.event
            out.append((rec.seq, {"type": e.type, "actor": list(e.actor), "recipient": list(e.recipient),
                                  "persons": list(e.persons), "date": e.date}))
        after = r.events[-1].seq


QUERIES = [
    ("type", {"types": ["AID"]}, lambda e: e["type"] == "AID"),
    ("country", {"countries": ["MLI"]}, lambda e: "MLI" in e["actor"] + e["recipient"]),
    ("pair", {"pair": ["TGO", "MLI"]}, lambda e: {"MLI", "TGO"} <= set(e["actor"] + e["recipient"])),
    ("person", {"person": "dussey"}, lambda e: "Robert Dussey" in e.get("persons", [])),
    ("date", {"date_from": "2021-03", "date_to": "2021-04"}, lambda e: e["date"][:7] in ("2021-03", "2021-04")),
]


def check_queries(R, q, pb, nevents, name):
    exp = stored_events(q, pb)
    bad = [] if [s for s, _ in exp] == list(range(1, nevents + 1)) else ["events: %d" % len(exp)]
    for qn, fields, pred in QUERIES:
        want = [s for s, e in exp if pred(e)]
        r = q.ask(kind=pb.EVENTS, limit=10000, **fields)
        got = [e.seq for e in r.events] if r else None
        if got != want or not want:
            bad.append("%s: got %s want %s" % (qn, got and got[:8], want[:8]))
    r = q.ask(kind=pb.EVENTS, after_seq=2 ** 64 - 2, limit=1)
    if not r or r.head_seq != nevents:
        bad.append("head_seq %s != %d" % (r and r.head_seq, nevents))
    R.check(name, not bad, "; ".join(bad))


class Store:
    """courant-store on `data` with its stderr kept in a log file."""

    def __init__(self, data, env=None):
        self.log = os.path.join(data, "store-%d.log" % len(os.listdir(data)))
        self.p = T.start([os.path.join(T.BIN, "courant-store"), "--data", data], env=env,
                         stderr=open(self.log, "w"))

    def ready(self, data):
        d = T.Dealer(data)
        for _ in range(100):
            if self.p.poll() is not None or d.ask(wait_ms=200, kind=T.pb.STATS):
                break
        d.close()
        return self.p.poll() is None

    def logged(self, msg):
        with open(self.log) as f:
            return [l for l in f if "msg=" + msg + " " in l or l.rstrip().endswith("msg=" + msg)]


def send_and_ack(feed, ing, arts, first):
    for i, (aid, evs) in enumerate(arts):
        feed.send(T.extraction(aid, evs, seq=first + i))
    ids = {a for a, _ in arts}
    return ing.collect(lambda it: ids <= set(it), timeout_s=30)


def main():
    R = T.Results()
    pb = T.load_proto()
    data = T.tmpdir()
    os.makedirs(data + "/run", exist_ok=True)
    ing = T.FakeIngest(data)
    feed = T.Feeder(data)
    arts = [article(i) for i in range(60)]
    nev = sum(len(evs) for _, evs in arts)
    rebuilt = "from=0 to=%d err=OK" % nev

    # 1. killed right after its 2nd synced commit, before that batch's index txn
    s = Store(data, env={"COURANT_STORE_TEST_KILL_AFTER": "2"})
    R.check("store_index_started", s.ready(data), "store did not start")
    send_and_ack(feed, ing, arts[:1], 1)  # commit 1
    for i, (aid, evs) in enumerate(arts[1:40]):  # commit 2 takes some of them
        feed.send(T.extraction(aid, evs, seq=2 + i))
    try:
        rc = s.p.wait(20)
    except Exception:
        rc = None
    R.check("store_index_killed_between_commits", rc == -signal.SIGKILL, "exit status %s" % rc)

    s = Store(data)
    R.check("store_index_restarted", s.ready(data), "store did not restart")
    caught = s.logged("index_caught_up")
    span = [int(w.split("=")[1]) for w in caught[0].split() if w.split("=")[0] in ("from", "to")] if caught else []
    R.check("store_index_caught_up_on_start", len(caught) == 1 and " err=OK" in caught[0] and len(span) == 2
            and 0 < span[0] < span[1], str(caught))
    ok = send_and_ack(feed, ing, arts[1:], 2)  # ingest re-sends what was not acked
    R.check("store_index_all_acked", ok, "%d acked" % len(ing.items))
    q = T.Dealer(data)
    check_queries(R, q, pb, nev, "store_index_complete_after_kill")

    # 2. a deleted index env is rebuilt from events
    T.stop(s.p)
    shutil.rmtree(os.path.join(data, "store", "index"))
    s = Store(data)
    R.check("store_index_rebuilt_when_deleted", s.ready(data) and rebuilt in "".join(s.logged("index_caught_up")),
            s.log)
    check_queries(R, q, pb, nev, "store_index_complete_after_delete")

    # 3. a damaged index env (its meta pages overwritten) is rebuilt
    T.stop(s.p)
    with open(os.path.join(data, "store", "index", "data.mdb"), "r+b") as f:
        f.write(b"\xa5" * 8192)
    s = Store(data)
    R.check("store_index_rebuilt_when_damaged", s.ready(data) and s.logged("index_rebuild")
            and rebuilt in "".join(s.logged("index_caught_up")), s.log)
    check_queries(R, q, pb, nev, "store_index_complete_after_damage")

    # 4. a clean stop leaves a trusted index env: no rebuild, no catch-up
    T.stop(s.p)
    s = Store(data)
    R.check("store_index_clean_restart", s.ready(data) and not s.logged("index_rebuild")
            and not s.logged("index_caught_up"), s.log)
    check_queries(R, q, pb, nev, "store_index_complete_after_clean_restart")
    q.close()
    feed.close()
    ing.close()
    return R.failed


if __name__ == "__main__":
    T.run_main("store_index", main)
