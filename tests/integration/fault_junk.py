#!/usr/bin/python3
"""Junk frames on every socket that receives (issue 5): random bytes, a
truncated valid message, an unknown schema version (99), an oversized frame
(over CR_MAX_FRAME, which ZMQ_MAXMSGSIZE must drop), empty frames and wrong
numbers of parts. Each service must stay up, keep serving valid traffic, and
count what it refused.

Sockets: ingest submit (ROUTER) and ack (PULL), relay in (PULL), store in
(PULL) and query (ROUTER) on a running pipeline; the workers' PULL sockets
connect, so each worker kind is also run against a PUSH/PULL pair bound by
the test. The store's PUB and the PUSH sockets never read application frames.
"""
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import faultlib as F  # noqa: E402
import zmq  # noqa: E402

MAX_FRAME = 24 << 20  # CR_MAX_FRAME in services/common/codec.h
T = F.Results("fault_junk")
rng = random.Random(5)


def junk_frames(valid, v99):
    """[(kind, [frames])]: each entry is one message as a list of parts."""
    blob = valid.SerializeToString()
    return [
        ("random-1", [bytes([rng.randrange(256)])]),
        ("random-64", [bytes(rng.randrange(256) for _ in range(64))]),
        ("random-5000", [bytes(rng.randrange(256) for _ in range(5000))]),
        ("truncated-half", [blob[: len(blob) // 2]]),
        ("truncated-1", [blob[:-1]]),
        ("version-99", [v99.SerializeToString()]),
        ("empty", [b""]),
        ("parts-3", [b"x", blob, b"y"]),
        ("parts-6", [b"a"] * 6),
        ("parts-2-empty", [b"", b""]),
    ]


def amplifier(entities=5_000_000):
    """A 20 MB Work frame of schema version 99 whose extraction holds five
    million empty entities: unpacked without a cap it costs ~30x its size."""
    art = bytes([0x08, 0x01, 0x12, 0x01, ord("x"), 0x18, 0x01])
    body = bytes([0x08, 0x01, 0x12, len(art)]) + art + bytes([0x1a, 0x02, 0x08, 0x00]) * entities
    n, v = len(body), bytearray()
    while n >= 0x80:
        v.append((n & 0x7f) | 0x80)
        n >>= 7
    v.append(n)
    return bytes([0x08, 99, 0x1a]) + bytes(v) + body


def peak_rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return -1


def oversized():
    return [b"\x08\x01\x12" + b"\xff" * (MAX_FRAME + 16)]


def push_all(endpoint, frames_list, label):
    """Send each junk message through a fresh PUSH; the oversized one last,
    since the receiver drops the connection that carried it."""
    s = F.socket(zmq.PUSH, endpoint)
    # close() must deliver what is queued, not drop it (LINGER 0 would lose
    # frames sent before the connection is up, and the count with them)
    s.setsockopt(zmq.LINGER, 5000)
    sent = 0
    try:
        for kind, parts in frames_list:
            s.send_multipart(parts)
            sent += 1
    except zmq.ZMQError as e:
        F.log(f"{label}: send failed after {sent}: {e}")
    finally:
        s.close()
    return sent


def router_junk(endpoint, frames_list):
    """Junk at a ROUTER through a DEALER: without delimiter, with one, with
    two; replies (an error or a refusal) are read and ignored."""
    s = F.socket(zmq.DEALER, endpoint, timeout_ms=300)
    n = 0
    for kind, parts in frames_list:
        for env in ([], [b""], [b"", b""]):
            try:
                s.send_multipart(env + parts)
                n += 1
            except zmq.ZMQError:
                pass
    while True:  # drain what came back
        try:
            s.recv_multipart()
        except zmq.ZMQError:
            break
    s.close()
    return n


def submit_ok(ep, i, tag):
    r = F.request(ep["submit"], F.submit_msg(i, tag), F.pb.SubmitReply, 5000)
    return r.status == F.pb.ACCEPTED or r.status == F.pb.DUPLICATE


def counters_line(blk):
    return " ".join(f"{k}={v}" for k, v in sorted(blk.items()) if v)


def pipeline_part(tmp):
    data = os.path.join(tmp, "data")
    os.makedirs(data)
    logs = os.path.join(tmp, "pipeline.log")
    ep = F.endpoints(data)
    procs = {}
    for svc in ("store", "ingest", "relay", "normalize", "extract"):
        procs[svc] = F.start([os.path.join(F.BIN, f"courant-{svc}"), "--data", data], logs)
    up = F.wait_until(lambda: "ingest" in F.query_stats(data) and "store" in F.query_stats(data), 30,
                      what="ingest and store answering STATS")
    if not T.check("pipeline_starts", up, f"ingest/store did not answer STATS; see {logs}"):
        return
    # Reference traffic first, so the later check proves traffic still flows.
    T.check("valid_before_junk", submit_ok(ep, 0, "before"), "ingest did not accept a valid article")

    sub = F.pb.Submit(version=1, id="junk-v99", text=b"x")
    sub99 = F.pb.Submit(version=99, id="junk-v99", text=b"x")
    art = F.pb.Article(version=1, id="junk-art", seq=1, raw=b"Le texte.")
    work = F.pb.Work(version=1, article=art)
    work99 = F.pb.Work(version=99, article=F.pb.Article(version=99, id="junk-v99-article", seq=2, raw=b"x"))
    ack = F.pb.Ack(version=1, items=[F.pb.AckItem(id="never-sent", seq=123456, status=F.pb.STORED)])
    ack99 = F.pb.Ack(version=99, items=[F.pb.AckItem(id="never-sent", seq=1, status=F.pb.STORED)])
    query = F.pb.Query(version=1, kind=F.pb.STATS)
    query99 = F.pb.Query(version=99, kind=F.pb.STATS)

    sent = {}
    sent["submit"] = router_junk(ep["submit"], junk_frames(sub, sub99) + [("oversized", oversized()[:1])])
    sent["ack"] = push_all(ep["ack"], junk_frames(ack, ack99) + [("oversized", oversized())], "ack")
    sent["relay-in"] = push_all(ep["relay-in"], junk_frames(work, work99) + [("oversized", oversized())], "relay-in")
    sent["store-in"] = push_all(ep["store-in"], junk_frames(work, work99) + [("oversized", oversized())], "store-in")
    sent["query"] = router_junk(ep["query"], junk_frames(query, query99) + [("oversized", oversized()[:1])])
    F.log(f"junk messages sent: {sent}")

    for svc, p in procs.items():
        T.check(f"{svc}_survives_junk", p.poll() is None, f"courant-{svc} exited with {p.returncode}", logs)
    # Valid traffic after the junk: every hop must still carry articles.
    n_after = 5
    ok = all(submit_ok(ep, i, "after") for i in range(n_after))
    T.check("ingest_accepts_after_junk", ok, "a valid submission was not accepted after the junk")
    stored = F.wait_until(lambda: F.query_stats(data).get("store", {}).get("articles", 0) >= n_after + 1, 60,
                          what="articles stored after junk")
    T.check("articles_flow_after_junk", stored, f"store has {F.query_stats(data).get('store')} ; see {logs}")
    # A valid body inside a wrong envelope ([identity][""]["extra"][body]) is
    # junk: ingest drops it without a reply (its framing is unknown). A valid
    # request sent next on the same connection must get the first reply.
    s = F.socket(zmq.DEALER, ep["submit"], timeout_ms=5000)
    s.send_multipart([b"", b"extra", F.submit_msg(0, "extra-parts").SerializeToString()])
    s.send_multipart([b"", F.submit_msg(0, "after-extra").SerializeToString()])
    try:
        r = F.pb.SubmitReply()
        r.ParseFromString(s.recv_multipart()[-1])
        first = f"{F.pb.SubmitStatus.Name(r.status)} client_ref={r.client_ref} {r.reason}"
    except zmq.ZMQError:
        first = "no reply at all"
    s.close()
    T.check("ingest_drops_bad_envelope", first.startswith("ACCEPTED client_ref=after-extra-0"),
            f"first reply after a 4-part submit then a valid one: {first}")
    # Worker heartbeats reach the store about once a second: wait for the
    # ones sent after the junk.
    F.wait_until(lambda: all(F.query_stats(data).get(svc, {}).get("malformed", 0) > 0
                             for svc in ("relay", "store", "ingest")), 15, interval=0.2,
                 what="reject counters in the stats")
    for i in range(n_after):
        T.check(f"stored_after_junk_{i}", F.article_exists(data, f"after-{i}"), f"article after-{i} not in the store")
    # Counters: read them through the command line as users do.
    st = F.courant_stats(data) or {}
    if not st:
        T.info("`courant stats --json` unavailable; counters read over the query socket instead")
        st = F.query_stats(data)
    for svc in ("ingest", "relay", "store", "normalize", "extract"):
        T.info(f"{svc}: {counters_line(st.get(svc, {}))}")
    T.check("ingest_counts_junk", st.get("ingest", {}).get("malformed", 0) > 0, f"ingest: {st.get('ingest')}")
    T.check("relay_counts_junk", st.get("relay", {}).get("malformed", 0) > 0, f"relay: {st.get('relay')}")
    T.check("store_counts_junk", st.get("store", {}).get("malformed", 0) > 0, f"store: {st.get('store')}")
    # The valid bodies carried inside multipart junk must never be taken:
    # a message with the wrong number of parts is junk as a whole.
    T.check("stored_after_extra_envelope", F.wait_until(lambda: F.article_exists(data, "after-extra-0"), 30,
                                                        what="article after-extra-0 stored"),
            "article after-extra-0 not stored")
    for jid in ("junk-v99", "junk-art", "junk-v99-article", "extra-parts-0"):
        T.check(f"multipart_body_not_stored_{jid}", not F.article_exists(data, jid),
                f"junk article {jid} was stored: a body was taken from a message with the wrong number of parts")


SEEN_IDS = set()  # article ids of every Work read from a worker's output


def read_work(pull, want, timeout):
    """Read Work frames from pull until want(work) is true; returns it or None.
    Every part of a message is a frame, and a batch frame's elements are
    frames (common/batch.h). Frames that do not parse are skipped; ids of the
    others go to SEEN_IDS."""
    deadline = time.monotonic() + timeout
    pending = []
    while time.monotonic() < deadline:
        if not pending:
            try:
                pending = pull.recv_multipart()
            except zmq.ZMQError:
                continue
        w = F.pb.Work()
        try:
            w.ParseFromString(pending.pop(0))
        except Exception:
            continue
        if len(w.batch):
            pending = list(w.batch) + pending
            continue
        for has, aid in (("article", lambda: w.article.id), ("extraction", lambda: w.extraction.article.id),
                         ("rejection", lambda: w.rejection.id)):
            if w.HasField(has):
                SEEN_IDS.add(aid())
        if want(w):
            return w
    return None


def probe(push, pull, p, probe_work, timeout):
    """Send the valid probe until its processed form comes out (the worker may
    be reconnecting); returns the output Work or None."""
    aid = probe_work.article.id
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and p.poll() is None:
        try:
            push.send(probe_work.SerializeToString(), zmq.NOBLOCK)
        except zmq.ZMQError:
            time.sleep(0.1)  # no peer connected yet: poll again
            continue
        got = read_work(pull, lambda w: (w.HasField("article") and w.article.id == aid and w.article.text) or
                        (w.HasField("extraction") and w.extraction.article.id == aid), 2)
        if got is not None:
            return got
    return None


def worker_part(tmp, svc, probe_work, stage):
    """One worker of `svc` between a PUSH and a PULL that the test binds."""
    run = os.path.join(tmp, svc)
    os.makedirs(run)
    in_ep, out_ep = f"ipc://{run}/in.sock", f"ipc://{run}/out.sock"
    flags = {"normalize": ("--work-endpoint", "--relay-in-endpoint"),
             "extract": ("--relay-out-endpoint", "--store-in-endpoint")}[svc]
    push = F.socket(zmq.PUSH, in_ep, bind=True, timeout_ms=5000)
    pull = F.socket(zmq.PULL, out_ep, bind=True, timeout_ms=500)
    logp = os.path.join(tmp, f"{svc}.log")
    p = F.start([os.path.join(F.BIN, f"courant-{svc}"), "--data", run, flags[0], in_ep, flags[1], out_ep], logp)
    try:
        a99 = F.pb.Article(version=99, id=f"junk-{svc}-v99", seq=77, raw=b"Le texte.")
        work99 = F.pb.Work(version=1, article=a99)
        # A message is a batch of Work frames, each part judged alone: the
        # valid article between two junk parts is processed, the junk counted.
        multi = F.pb.Work()
        multi.CopyFrom(probe_work)
        (multi.article if multi.HasField("article") else multi.extraction.article).id = f"multipart-{svc}"
        frames = junk_frames(probe_work, work99)
        for kind, parts in frames:
            push.send_multipart(parts)
        push.send_multipart([b"x", multi.SerializeToString(), b"\xff\xff"])
        # every part but the valid probe inside "parts-3" and the article above
        # is junk, and each counts on its own
        junk_parts = sum(len(parts) for _, parts in frames) - 1 + 2
        got_multi = read_work(pull, lambda w: (w.HasField("article") and w.article.id == f"multipart-{svc}" and
                                               w.article.text) or
                              (w.HasField("extraction") and w.extraction.article.id == f"multipart-{svc}"), 20)
        T.check(f"{svc}_worker_takes_valid_part_of_batch", got_multi is not None,
                "the valid article between two junk parts of one message was not processed", logp)
        # A message of 70 parts (one article each) leaves as batch frames of at
        # most 64 elements (CR_BATCH_MAX).
        big = []
        for i in range(70):
            wk = F.pb.Work()
            wk.CopyFrom(probe_work)
            (wk.article if wk.HasField("article") else wk.extraction.article).id = f"big-{svc}-{i}"
            big.append(wk.SerializeToString())
        push.send_multipart(big)
        shapes, seen_big = [], set()
        deadline = time.monotonic() + 20
        while len(seen_big) < 70 and time.monotonic() < deadline:
            try:
                parts = pull.recv_multipart()
            except zmq.ZMQError:
                continue
            for q in parts:
                w = F.pb.Work()
                w.ParseFromString(q)
                ids = set()
                for e in (w.batch if len(w.batch) else [q]):
                    x = F.pb.Work()
                    x.ParseFromString(e)
                    a = x.article if x.HasField("article") else x.extraction.article
                    if a.id.startswith(f"big-{svc}-"):
                        ids.add(a.id)
                if ids:
                    shapes.append(max(1, len(w.batch)))
                    seen_big |= ids
        # (a slow run may cut earlier: a batch also closes after CR_BATCH_HOLD_US)
        T.check(f"{svc}_worker_cuts_long_batch", len(seen_big) == 70 and max(shapes) <= 64 and len(shapes) >= 2,
                f"{len(seen_big)} of 70 articles out, in frames of {shapes} elements", logp)
        T.check(f"{svc}_worker_survives_junk", p.poll() is None, f"courant-{svc} exited {p.returncode}", logp)
        got = probe(push, pull, p, probe_work, 20)
        T.check(f"{svc}_worker_processes_after_junk", got is not None, "no output for a valid article", logp)
        # Its heartbeat must count the junk; the version-99 article carries an
        # id, so it must come out as a rejection (a dead letter downstream).
        seen = {}

        def beat():
            w = read_work(pull, lambda w: w.HasField("stats") or w.HasField("rejection"), 1)
            if w is not None and w.HasField("rejection"):
                seen.setdefault("rejections", []).append((w.rejection.id, w.rejection.stage, w.rejection.reason))
            if w is not None and w.HasField("stats") and w.stats.service == svc:
                c = {x.name: x.value for x in w.stats.counters}
                seen["counters"] = c
                return c.get("malformed", 0) >= junk_parts
            return False
        F.wait_until(beat, 15, interval=0, what=f"{svc} heartbeat counting junk")
        c = seen.get("counters", {})
        T.info(f"{svc} worker: {counters_line(c)}")
        T.check(f"{svc}_worker_counts_junk", c.get("malformed", 0) >= junk_parts,
                f"heartbeat counters: {c}, {junk_parts} junk parts sent")
        rej = seen.get("rejections", [])
        T.check(f"{svc}_worker_dead_letters_v99_article", any(r[0] == a99.id for r in rej) or
                c.get("malformed_dead_lettered", 0) > 0,
                f"no rejection for the version-99 article {a99.id}: {rej}")
        # Memory stays bounded by the decoder's arena cap (8 x the frame + 1
        # MiB), including on the paths that look into a frame it refused.
        base = peak_rss_mb(p.pid)
        push.send(amplifier())
        probe(push, pull, p, probe_work, 20)
        peak = peak_rss_mb(p.pid)
        limit = 400 if not F.SANITIZED else 900  # ASan: quarantine and redzones
        T.info(f"{svc} worker peak RSS: {base} MB before, {peak} MB after a 20 MB version-99 frame")
        T.check(f"{svc}_worker_memory_bounded", 0 <= peak < limit,
                f"peak RSS {peak} MB after one 20 MB frame (limit {limit} MB): a refused frame is unpacked "
                "again without the arena cap (cr_worker_salvage_id)", logp)
        # Oversized last: ZMQ_MAXMSGSIZE makes the worker drop the connection;
        # it must come back (reconnect) and keep processing.
        push.send_multipart(oversized())
        again = probe(push, pull, p, probe_work, 10)
        T.check(f"{svc}_worker_recovers_after_oversized_frame", again is not None,
                "alive but deaf: no output for a valid article after an oversized frame "
                "(libzmq ends a connect-side session on a ZMQ_MAXMSGSIZE protocol error and never "
                "reconnects)", logp)
        return got
    finally:
        F.stop(p)
        push.close()
        pull.close()


def main():
    tmp = F.tmpdir("fault-junk-")
    F.load_pb(tmp)
    t0 = time.monotonic()
    pipeline_part(tmp)
    art = F.pb.Article(version=1, id="probe-1", seq=1, attempt=1, content_type="text/plain",
                       raw=F.submit_msg(1, "probe").text, published="2024-05-01", title="probe")
    normalized = worker_part(tmp, "normalize", F.pb.Work(version=1, article=art), "normalize")
    if normalized is not None and normalized.HasField("article"):
        worker_part(tmp, "extract", normalized, "extract")
    else:
        T.check("extract_worker", False, "skipped: no normalized article to feed it")
    F.stop_all()
    F.check_sanitizers(T, [os.path.join(tmp, n) for n in ("pipeline.log", "normalize.log", "extract.log")])
    T.info(f"took {time.monotonic() - t0:.1f}s")
    T.done()


if __name__ == "__main__":
    main()
