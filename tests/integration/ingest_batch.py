#!/usr/bin/python3
"""Batches on the work link: ingest sends articles as messages of up to
--batch parts, each part one Work{article} (common/worker.h). A Python PULL
stands in for the normalize pool; it connects only after the articles are
accepted, so that they wait in ingest's window and leave as full batches.
Checks: the part counts (full batches of 8, then the rest), every part a
decodable article, every accepted id exactly once; --batch 1 sends single
frames; --batch above 64 is refused at start."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import faultlib as F  # noqa: E402
import zmq  # noqa: E402

T = F.Results("ingest_batch")
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


def read_batches(ep, want):
    """Messages read by a PULL on ingest's work endpoint until `want` parts."""
    pull = F.socket(zmq.PULL, ep, timeout_ms=5000)
    shapes, ids, bad = [], [], 0
    try:
        while sum(shapes) < want:
            try:
                parts = pull.recv_multipart()
            except zmq.ZMQError:
                break
            shapes.append(len(parts))
            for p in parts:
                w = F.pb.Work()
                try:
                    w.ParseFromString(p)
                except Exception:
                    bad += 1
                    continue
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
    T.info(f"--batch 8: message sizes {shapes}")
    T.check("batches_full", shapes[:4] == [8, 8, 8, 8] and sum(shapes) == N,
            f"parts per message {shapes}, expected four of 8 then the rest")
    T.check("batch_never_over_limit", all(1 <= s <= 8 for s in shapes), f"parts per message {shapes}")
    T.check("every_part_an_article", bad == 0, f"{bad} parts were not Work{{article}} frames")
    T.check("every_id_once", sorted(ids) == sorted(accepted), "ids sent differ from ids accepted")
    F.stop(p)

    p, ep = run_ingest(tmp, "b1", 1)
    accepted = submit_all(ep["submit"], 5, "b1")
    shapes, ids, bad = read_batches(ep["work"], 5)
    T.check("batch_1_single_frames", shapes == [1] * 5 and sorted(ids) == sorted(accepted) and not bad,
            f"parts per message {shapes}")
    F.stop(p)

    data = os.path.join(tmp, "b65")
    os.makedirs(data)
    r = subprocess.run([os.path.join(F.BIN, "courant-ingest"), "--data", data, "--batch", "65"],
                       capture_output=True, text=True, timeout=10)
    T.check("batch_over_64_refused", r.returncode == 2 and "--batch" in r.stderr,
            f"exit {r.returncode}, stderr {r.stderr.strip()!r}")
    T.done()


if __name__ == "__main__":
    main()
