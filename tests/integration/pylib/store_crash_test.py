"""Body of tests/integration/store_crash.sh: kill -9 the store while articles
stream in, restart it, re-send everything (as ingest does for what was not
acknowledged): every article is stored exactly once, with its events once,
sequences contiguous, every article acknowledged."""
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import courant_testlib as T  # noqa: E402

N = 2000


def main():
    R = T.Results()
    pb = T.load_proto()
    data = T.tmpdir()
    os.makedirs(data + "/run", exist_ok=True)
    ing = T.FakeIngest(data)
    store = T.start_store(data)
    feed = T.Feeder(data)
    works = [T.extraction("k-%d" % i, [{"type": "CONSULT", "actor": ["MLI"], "recipient": ["TGO"]},
                                       {"type": "AID", "actor": ["FRA"], "recipient": ["MLI"]}], seq=i + 1)
             for i in range(N)]

    killed = threading.Event()

    def produce():
        # non-blocking sends: once the store is killed a PUSH would block;
        # what is not sent now is re-sent below anyway
        for i, w in enumerate(works):
            body = w.SerializeToString()
            while not killed.is_set():
                try:
                    feed.s.send(body, T.zmq.NOBLOCK)
                    break
                except T.zmq.Again:
                    time.sleep(0.001)
            if killed.is_set():
                return
            if i % 50 == 0:
                time.sleep(0.005)  # pacing so that the kill lands mid-stream

    th = threading.Thread(target=produce)
    th.start()
    q = T.Dealer(data)
    before = 0
    def drain_acks():
        # a fake ingest that stops reading would fill the store's ack queue
        # and stall it: keep reading acks whenever the test waits
        ing.collect(lambda it: False, timeout_s=0.01)

    for _ in range(500):
        drain_acks()
        r = q.ask(wait_ms=500, kind=pb.STATS)
        before = {c.name: c.value for c in r.stats[0].counters}.get("articles", 0) if r else before
        if before >= 300:
            break
        time.sleep(0.01)
    store.send_signal(signal.SIGKILL)
    store.wait()
    killed.set()
    th.join()
    q.close()
    R.check("store_crash_killed_mid_stream", 0 < before < N, "articles at kill: %d" % before)

    T.start_store(data)
    deadline = time.monotonic() + 60
    for w in works:  # ingest re-sends whatever it has no ack for; here: everything
        body = w.SerializeToString()
        while time.monotonic() < deadline:
            try:
                feed.s.send(body, T.zmq.NOBLOCK)
                break
            except T.zmq.Again:
                drain_acks()
    ok = ing.collect(lambda it: len(it) >= N, timeout_s=60)
    R.check("store_crash_every_article_acked", ok, "%d of %d acked" % (len(ing.items), N))
    q = T.Dealer(data)
    r = q.ask(kind=pb.STATS)
    c = {x.name: x.value for x in r.stats[0].counters}
    R.check("store_crash_counts_exact", c.get("articles") == N and c.get("events") == 2 * N, str(c))
    seqs, per_article, after = [], {}, 0
    while True:
        r = q.ask(kind=pb.EVENTS, after_seq=after, limit=10000)
        if not r or not r.events:
            break
        for e in r.events:
            seqs.append(e.seq)
            per_article[e.article_id] = per_article.get(e.article_id, 0) + 1
        after = r.events[-1].seq
    R.check("store_crash_events_once", seqs == list(range(1, 2 * N + 1)) and len(per_article) == N
            and set(per_article.values()) == {2}, "%d events, %d articles" % (len(seqs), len(per_article)))
    statuses = {s for v in ing.items.values() for s in v}
    R.check("store_crash_acks_stored_or_duplicate", statuses <= {pb.STORED, pb.DUPLICATE_STORED}, str(statuses))
    q.close()
    feed.close()
    ing.close()
    return R.failed


if __name__ == "__main__":
    T.run_main("store_crash", main)
