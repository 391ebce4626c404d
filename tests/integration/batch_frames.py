#!/usr/bin/python3
"""Batch frames on the pipeline links (common/batch.h), read and written
with protoc's Python output only:
  - ingest sends articles in batch frames of up to --batch elements. A
    Python PULL stands in for the normalize pool; it connects only after the
    articles are accepted, so that they wait in ingest's window and leave as
    full batches: element counts (four of 8, then the rest), every element a
    decodable Work{article}, every accepted id once; --batch 1 sends plain
    frames; --batch above 64 is refused at start.
  - the relay passes a clean batch frame on whole, and rebuilds one with a
    junk element from the others (counted malformed)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import faultlib as F  # noqa: E402
import zmq  # noqa: E402

T = F.Results("batch_frames")
N = 37  # four batches of 8 and one of 5


def submit_all(ep, n, tag):
    """Submit n articles on one DEALER, all before reading the replies."""
    d = F.socket(zmq.DEALER, ep, timeout_ms=5000)
    try:
        for i in range(n):
            d.send_multipart([b"", F.submit_msg(i, tag).SerializeToString()])
        accepted = set()
        for _ in range(n):
            r = F.pb.SubmitReply()
            r.ParseFromString(d.recv_multipart()[-1])
            if r.status == F.pb.ACCEPTED:
                accepted.add(r.id)
        return accepted
    finally:
        d.close()


def elements(frame):
    """The Work frames a frame carries: a batch frame's elements, else itself."""
    w = F.pb.Work()
    w.ParseFromString(frame)
    if not len(w.batch):
        return [w], False
    out = []
    for e in w.batch:
        x = F.pb.Work()
        x.ParseFromString(e)
        out.append(x)
    return out, True


def read_batches(ep, want):
    """Frames read by a PULL on ingest's work endpoint until `want` articles:
    (elements per frame, 0 for a plain frame), ids, count of bad elements."""
    pull = F.socket(zmq.PULL, ep, timeout_ms=5000)
    shapes, ids, bad = [], [], 0
    try:
        while len(ids) + bad < want:
            try:
                parts = pull.recv_multipart()
            except zmq.ZMQError:
                break
            for p in parts:
                try:
                    ws, is_batch = elements(p)
                except Exception:
                    bad += 1
                    continue
                shapes.append(len(ws) if is_batch else 0)
                for w in ws:
                    if w.HasField("article") and w.article.raw:
                        ids.append(w.article.id)
                    else:
                        bad += 1
    finally:
        pull.close()
    return shapes, ids, bad


def run_ingest(tmp, name, batch):
    data = os.path.join(tmp, name)
    os.makedirs(data)
    p = F.start([os.path.join(F.BIN, "courant-ingest"), "--data", data, "--batch", str(batch)],
                os.path.join(tmp, f"{name}.log"))
    ep = F.endpoints(data)
    F.wait_until(lambda: os.path.exists(os.path.join(data, "run", "submit.sock")), 10, what="ingest socket")
    return p, ep


def main():
    tmp = F.tmpdir("ingest-batch-")
    F.load_pb(tmp)

    p, ep = run_ingest(tmp, "b8", 8)
    accepted = submit_all(ep["submit"], N, "b8")
    T.check("all_accepted", len(accepted) == N, f"{len(accepted)} of {N} accepted")
    shapes, ids, bad = read_batches(ep["work"], N)
    T.info(f"--batch 8: elements per frame {shapes}")
    T.check("batches_full", shapes[:4] == [8, 8, 8, 8] and sum(shapes) == N,
            f"elements per frame {shapes}, expected four batches of 8 then the rest")
    T.check("batch_never_over_limit", all(0 <= s <= 8 for s in shapes), f"elements per frame {shapes}")
    T.check("every_element_an_article", bad == 0, f"{bad} elements were not Work{{article}} frames")
    T.check("every_id_once", sorted(ids) == sorted(accepted), "ids sent differ from ids accepted")
    F.stop(p)

    p, ep = run_ingest(tmp, "b1", 1)
    accepted = submit_all(ep["submit"], 5, "b1")
    shapes, ids, bad = read_batches(ep["work"], 5)
    T.check("batch_1_plain_frames", shapes == [0] * 5 and sorted(ids) == sorted(accepted) and not bad,
            f"elements per frame {shapes} (0: a plain frame)")
    F.stop(p)

    data = os.path.join(tmp, "b65")
    os.makedirs(data)
    r = subprocess.run([os.path.join(F.BIN, "courant-ingest"), "--data", data, "--batch", "65"],
                       capture_output=True, text=True, timeout=10)
    T.check("batch_over_64_refused", r.returncode == 2 and "--batch" in r.stderr,
            f"exit {r.returncode}, stderr {r.stderr.strip()!r}")

    relay_part(tmp)
    T.done()


def article_work(aid):
    return F.pb.Work(version=1, article=F.pb.Article(version=1, id=aid, seq=1, attempt=1, raw=b"Le texte.",
                                                     text="Le texte.", lang="fr"))


def recv_articles(pull):
    """The next frame out of the relay that is not its heartbeat."""
    while True:
        ws, is_batch = elements(pull.recv())
        if not (not is_batch and ws[0].HasField("stats")):
            return ws, is_batch


def relay_part(tmp):
    data = os.path.join(tmp, "relay")
    os.makedirs(data)
    ep = F.endpoints(data)
    p = F.start([os.path.join(F.BIN, "courant-relay"), "--data", data], os.path.join(tmp, "relay.log"))
    push = F.socket(zmq.PUSH, ep["relay-in"], timeout_ms=5000)
    pull = F.socket(zmq.PULL, ep["relay-out"], timeout_ms=5000)
    try:
        clean = F.pb.Work(version=1, batch=[article_work(f"r{i}").SerializeToString() for i in range(3)])
        push.send(clean.SerializeToString())
        out = pull.recv()
        while not len(elements(out)[0]) > 1:  # heartbeats
            out = pull.recv()
        T.check("relay_passes_batch_whole", out == clean.SerializeToString(),
                "a batch frame of three valid articles did not come out byte for byte")
        mixed = F.pb.Work(version=1, batch=[article_work("m0").SerializeToString(), b"\x08\x01\x12\x05junk!",
                                            article_work("m2").SerializeToString()])
        push.send(mixed.SerializeToString())
        ws, is_batch = recv_articles(pull)
        T.check("relay_drops_junk_element", is_batch and [w.article.id for w in ws] == ["m0", "m2"],
                f"came out: batch={is_batch} ids={[w.article.id for w in ws]}")
        nested = F.pb.Work(version=1, batch=[clean.SerializeToString(), article_work("n1").SerializeToString()])
        push.send(nested.SerializeToString())
        ws, is_batch = recv_articles(pull)
        T.check("relay_refuses_nested_batch", [w.article.id for w in ws] == ["n1"],
                f"a batch inside a batch must be junk; came out {[w.article.id for w in ws]}")
    finally:
        F.stop(p)
        push.close()
        pull.close()


if __name__ == "__main__":
    main()
