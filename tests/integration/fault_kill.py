#!/usr/bin/python3
"""Nothing lost under kill -9 (issue 5). With `courant up` running, stream
FAULT_ARTICLES (default 5000; 1000 under sanitizers) small distinct articles
with `courant submit --wait`, and kill -9, each at its own point of the run
(triggered by progress counters, not by time): a normalize worker, an
extract worker, the relay, the store, and ingest (while the submitter still
has articles in flight, so that it must reconnect and re-send). `courant up`
restarts each. Afterwards: submit exited 0, the store holds exactly N
articles, every id once, no dead letter, and no article's events twice.
"""
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import faultlib as F  # noqa: E402
import zmq  # noqa: E402

T = F.Results("fault_kill")
N = int(os.environ.get("FAULT_ARTICLES") or (1000 if F.SANITIZED else 5000))
BUDGET = float(os.environ.get("FAULT_BUDGET_S") or 240)
# In this order: (service, counter that triggers its kill, fraction of N).
# Each kill also waits for the store to gain GAP * N articles since the
# previous one, so that the kills land at different moments of the stream.
PLAN = [("normalize", "stored", 0.08), ("ingest", "answered", 0.15), ("extract", "stored", 0.25),
        ("relay", "stored", 0.35), ("store", "stored", 0.45)]
GAP = 0.07


class Submitter:
    """`courant submit --wait FILE`, its answers counted as they come."""

    def __init__(self, data, path, logp):
        self.answers = {}
        self.lines = 0
        self.p = F.start([F.COURANT, "submit", "--data", data, "--wait", path], logp,
                         stdout=subprocess.PIPE)
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for line in self.p.stdout:
            self.lines += 1
            s = line.decode(errors="replace").lower()
            for k in ("accepted", "duplicate", "refused"):
                if k in s:
                    self.answers[k] = self.answers.get(k, 0) + 1
                    break

    def answered(self):
        return self.lines


def stored(data):
    return F.query_stats(data, timeout_ms=500).get("store", {}).get("articles", 0)


def kill_one(up, svc, res):
    pids = F.services_of(up.pid).get(svc) or []
    if not pids:
        return T.check(f"kill_{svc}", False, f"no live courant-{svc} under courant up")
    victim = pids[0]
    os.kill(victim, signal.SIGKILL)
    res[svc] = victim
    back = F.wait_until(lambda: any(p != victim for p in F.services_of(up.pid).get(svc, [])) and
                        victim not in F.services_of(up.pid).get(svc, []), 30, interval=0.05,
                        what=f"courant up restarting {svc}")
    return T.check(f"kill_{svc}_restarted", back, f"courant-{svc} (pid {victim}) was not restarted by courant up")


def check_store(data, ids):
    """Every id stored once; events not duplicated. Returns (missing, n_events)."""
    ep = F.endpoints(data)["query"]
    s = F.socket(zmq.DEALER, ep, timeout_ms=5000)
    missing, per_article = [], {}
    try:
        for aid in ids:
            s.send_multipart([b"", F.pb.Query(version=1, kind=F.pb.ARTICLE, id=aid).SerializeToString()])
            r = F.pb.QueryReply()
            r.ParseFromString(s.recv_multipart()[-1])
            if not r.HasField("article") or r.article.article.id != aid:
                missing.append(aid)
            else:
                per_article[aid] = len(r.article.events)
        # Every stored event, by article: a re-sent article must not add its
        # events a second time.
        after, seen = 0, {}
        while True:
            s.send_multipart([b"", F.pb.Query(version=1, kind=F.pb.EVENTS, after_seq=after,
                                             limit=1000).SerializeToString()])
            r = F.pb.QueryReply()
            r.ParseFromString(s.recv_multipart()[-1])
            if r.error or not r.events:
                break
            for e in r.events:
                seen[e.article_id] = seen.get(e.article_id, 0) + 1
                after = max(after, e.seq)
    finally:
        s.close()
    twice = [a for a, n in seen.items() if n > per_article.get(a, 0)]
    return missing, twice, sum(seen.values()), sum(per_article.values())


def main():
    tmp = F.tmpdir("fault-kill-")
    F.load_pb(tmp)
    data = os.path.join(tmp, "data")
    path = os.path.join(tmp, "articles.jsonl")
    with open(path, "w") as f:
        for i in range(N):
            f.write(F.article_line(i, "k") + "\n")
    ids = [f"k-{i}" for i in range(N)]
    help_text = subprocess.run([F.COURANT, "submit", "--help"], capture_output=True, text=True)
    if "not implemented" in (help_text.stdout + help_text.stderr):
        T.check("courant_submit_exists", False, "`courant submit` is not implemented yet")
        T.done()
    t0 = time.monotonic()
    uplog = os.path.join(tmp, "up.log")
    up = F.start([F.COURANT, "up", "--data", data, "--workers", "2"], uplog)
    ready = F.wait_until(lambda: "ingest" in F.query_stats(data) and "store" in F.query_stats(data), 30,
                         what="pipeline ready")
    if not T.check("up_ready", ready, "ingest/store not answering", uplog):
        T.done()
    sub = Submitter(data, path, os.path.join(tmp, "submit.log"))
    T.info(f"streaming {N} articles; kills: " + ", ".join(f"{s} at {k} >= {int(fr * N)}" for s, k, fr in PLAN))
    killed, pending = {}, list(PLAN)
    deadline = t0 + BUDGET
    progress, last_kill = {"stored": 0}, -N
    while pending and time.monotonic() < deadline and sub.p.poll() is None and up.poll() is None:
        try:
            progress["stored"] = stored(data)
        except zmq.ZMQError:
            pass  # store restarting
        progress["answered"] = sub.answered()
        svc, key, frac = pending[0]
        if progress[key] >= frac * N and progress["stored"] >= last_kill + GAP * N:
            F.log(f"kill -9 {svc}: stored={progress['stored']} answered={progress['answered']}")
            killed[f"{svc}_at"] = f"stored={progress['stored']} answered={progress['answered']}"
            if svc == "ingest":
                T.check("ingest_killed_while_submitting", progress["answered"] < N,
                        f"every article was answered before ingest died ({progress['answered']})")
            kill_one(up, svc, killed)
            last_kill = progress["stored"]
            pending.pop(0)
        time.sleep(0.05)
    for svc, key, frac in pending:
        T.check(f"kill_{svc}", False, f"never killed: {key} reached {progress.get(key)} of {int(frac * N)} "
                "(the run ended or stalled first)")
    T.info("kills: " + ", ".join(f"{s} at {killed.get(s + '_at')}" for s, _, _ in PLAN if s in killed))
    try:
        rc = sub.p.wait(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        rc = None
        F.log(f"submit still running after {BUDGET}s: answered={sub.answered()} stored={stored(data)}")
    sub.t.join(timeout=5)
    T.info(f"submit answers: {sub.answers} lines={sub.lines}; exit {rc} after {time.monotonic() - t0:.1f}s")
    T.check("submit_wait_exit_0", rc == 0, f"courant submit --wait exited {rc}", os.path.join(tmp, "submit.log"))
    # Settle: --wait returned, so everything should be stored already; allow
    # the store's counter a moment only if submit failed.
    n = F.wait_until(lambda: stored(data) >= N and stored(data), 5 if rc == 0 else 60, what="N stored")
    st = F.courant_stats(data)
    if st is None:
        T.info("`courant stats --json` failed; counters read over the query socket")
        st = F.query_stats(data)
    store = st.get("store", {})
    T.info(f"store: articles={store.get('articles')} dead_letters={store.get('dead_letters')} "
           f"duplicates={store.get('duplicates')} events={store.get('events')}; "
           f"ingest: {dict((k, v) for k, v in st.get('ingest', {}).items() if k in ('accepted', 'duplicates', 'resent', 'dead', 'refused'))}")
    T.check("exactly_n_articles", store.get("articles") == N, f"store.articles={store.get('articles')} expected {N}",
            uplog)
    T.check("no_dead_letters", store.get("dead_letters", 0) == 0,
            f"store.dead_letters={store.get('dead_letters')}: {F.dead_letters(data)[:5]}")
    missing, twice, ev_stream, ev_articles = check_store(data, ids)
    T.check("every_id_stored", not missing, f"{len(missing)} missing, e.g. {missing[:5]}")
    T.check("no_events_twice", not twice and ev_stream == ev_articles,
            f"{len(twice)} articles with events stored twice (e.g. {twice[:5]}); "
            f"events stream {ev_stream} vs articles' events {ev_articles}")
    T.check("store_events_counter", store.get("events") in (None, ev_stream),
            f"store.events={store.get('events')} but {ev_stream} events listed")
    T.check("up_survived", up.poll() is None, f"courant up exited {up.returncode}", uplog)
    T.info(f"took {time.monotonic() - t0:.1f}s")
    T.done()


if __name__ == "__main__":
    main()
