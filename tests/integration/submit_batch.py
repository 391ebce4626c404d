#!/usr/bin/python3
"""Batch submissions (Submit.batch, common/batch.h), driven with protoc's
Python output and python3-zmq only:
  - ingest answers a batch frame with one SubmitReply whose batch holds one
    reply per element, in order: accepted ones with their ids, an
    undecodable element and a batch nested in the batch refused, a
    duplicate of an earlier element of the same frame found as such; every
    accepted article leaves on the work endpoint once.
  - a batch frame that breaks the rules (a field beside version and batch)
    and one of 65 elements get one plain REFUSED reply each; ingest goes on
    answering plain submissions.
  - `courant submit --batch 4` against a Python ROUTER standing in for
    ingest: 10 articles leave as frames of 4, 4 and 2 elements and the
    tool reads the batch answers (10 accepted lines, exit 0); large
    articles keep frames under 4 MiB and one over 1 MiB travels alone."""
import json
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import faultlib as F  # noqa: E402
import zmq  # noqa: E402

T = F.Results("submit_batch")


def ask(d, frame):
    """Send one request frame on DEALER d; return the reply frame."""
    d.send_multipart([b"", frame])
    return d.recv_multipart()[-1]


def replies(frame):
    """A reply frame's answers: a batch reply's elements, else itself."""
    r = F.pb.SubmitReply()
    r.ParseFromString(frame)
    if not len(r.batch):
        return [r], False
    out = []
    for e in r.batch:
        x = F.pb.SubmitReply()
        x.ParseFromString(e)
        out.append(x)
    return out, True


def batch_of(frames):
    return F.pb.Submit(version=1, batch=frames).SerializeToString()


def read_work(ep, want):
    """Article ids read by a PULL on ingest's work endpoint until `want`."""
    pull = F.socket(zmq.PULL, ep, timeout_ms=5000)
    ids = []
    try:
        while len(ids) < want:
            try:
                frame = pull.recv()
            except zmq.ZMQError:
                break
            w = F.pb.Work()
            w.ParseFromString(frame)
            for e in (w.batch if len(w.batch) else [frame]):
                x = F.pb.Work()
                x.ParseFromString(e)
                if x.HasField("article"):
                    ids.append(x.article.id)
    finally:
        pull.close()
    return ids


def ingest_part(tmp):
    data = os.path.join(tmp, "ingest")
    os.makedirs(data)
    log = os.path.join(tmp, "ingest.log")
    p = F.start([os.path.join(F.BIN, "courant-ingest"), "--data", data], log)
    ep = F.endpoints(data)
    F.wait_until(lambda: os.path.exists(os.path.join(data, "run", "submit.sock")), 10, what="ingest socket")
    d = F.socket(zmq.DEALER, ep["submit"], timeout_ms=5000)
    try:
        a0, a1, a3 = (F.submit_msg(i, "sb") for i in (0, 1, 3))
        dup = F.submit_msg(0, "sb")
        dup.client_ref, dup.id, dup.url = "sb-dup", "sb-dup", "https://fault.example/sb/dup"
        nested = batch_of([F.submit_msg(9, "sb").SerializeToString()])
        frame = batch_of([a0.SerializeToString(), a1.SerializeToString(), b"\xff\xff\xff",
                          a3.SerializeToString(), dup.SerializeToString(), nested])
        rs, is_batch = replies(ask(d, frame))
        T.check("one_batch_reply", is_batch and len(rs) == 6, f"batch={is_batch}, {len(rs)} answers for 6 elements")
        if len(rs) == 6:
            st = [r.status for r in rs]
            want = [F.pb.ACCEPTED, F.pb.ACCEPTED, F.pb.REFUSED, F.pb.ACCEPTED, F.pb.DUPLICATE, F.pb.REFUSED]
            T.check("answers_in_order", st == want, f"statuses {st}, expected {want}")
            T.check("client_refs_echoed", [r.client_ref for r in rs[:2]] == ["sb-0", "sb-1"] and
                    rs[3].client_ref == "sb-3" and rs[4].client_ref == "sb-dup",
                    f"client_refs {[r.client_ref for r in rs]}")
            T.check("accepted_have_ids", all(r.id and r.seq for r in (rs[0], rs[1], rs[3])),
                    f"ids {[(r.id, r.seq) for r in rs]}")
            T.check("junk_element_refused", "malformed" in rs[2].reason, f"reason {rs[2].reason!r}")
            T.check("duplicate_in_same_frame", rs[4].id == rs[0].id,
                    f"duplicate names {rs[4].id!r}, first element is {rs[0].id!r}")
            T.check("nested_batch_refused", "batch" in rs[5].reason, f"reason {rs[5].reason!r}")
            accepted = sorted(r.id for r in rs if r.status == F.pb.ACCEPTED)
            ids = read_work(ep["work"], len(accepted))
            T.check("accepted_sent_once", sorted(ids) == accepted, f"sent {sorted(ids)}, accepted {accepted}")

        bad = F.pb.Submit(version=1, title="not alone", batch=[a0.SerializeToString()]).SerializeToString()
        rs, is_batch = replies(ask(d, bad))
        T.check("rule_breaking_batch_refused", not is_batch and rs[0].status == F.pb.REFUSED and
                "batch" in rs[0].reason, f"batch={is_batch} status={rs[0].status} reason={rs[0].reason!r}")
        many = batch_of([F.submit_msg(100 + i, "sb").SerializeToString() for i in range(65)])
        rs, is_batch = replies(ask(d, many))
        T.check("batch_over_64_refused", not is_batch and rs[0].status == F.pb.REFUSED and "64" in rs[0].reason,
                f"batch={is_batch} status={rs[0].status} reason={rs[0].reason!r}")
        rs, is_batch = replies(ask(d, F.submit_msg(7, "sb").SerializeToString()))
        T.check("plain_submit_still_answered", not is_batch and rs[0].status == F.pb.ACCEPTED,
                f"batch={is_batch} status={rs[0].status}")
    finally:
        d.close()
    T.check("ingest_alive", p.poll() is None, "ingest exited", logfile=log)
    F.stop(p)


def cli_run(tmp, name, lines, args, want):
    """`courant submit ARGS` of `lines` against a Python ROUTER that answers
    every element ACCEPTED; returns (elements per frame, process, output)."""
    data = os.path.join(tmp, name)
    os.makedirs(os.path.join(data, "run"))
    ep = F.endpoints(data)
    router = F.socket(zmq.ROUTER, ep["submit"], bind=True, timeout_ms=10000)
    shapes = []

    def serve():
        n = 0
        try:
            while n < want:
                parts = router.recv_multipart()
                s = F.pb.Submit()
                s.ParseFromString(parts[-1])
                elems = []
                for e in (s.batch if len(s.batch) else [parts[-1]]):
                    x = F.pb.Submit()
                    x.ParseFromString(e)
                    elems.append(x)
                shapes.append(len(s.batch))
                out = [F.pb.SubmitReply(version=1, client_ref=x.client_ref, status=F.pb.ACCEPTED,
                                        id=f"py-{n + k}", seq=n + k + 1).SerializeToString()
                       for k, x in enumerate(elems)]
                n += len(elems)
                body = (F.pb.SubmitReply(version=1, status=F.pb.ACCEPTED, batch=out).SerializeToString()
                        if len(s.batch) else out[0])
                router.send_multipart(parts[:-1] + [body])
        except zmq.ZMQError:
            pass

    t = threading.Thread(target=serve)
    t.start()
    inp = os.path.join(tmp, f"{name}.jsonl")
    with open(inp, "w") as f:
        f.write("".join(x + "\n" for x in lines))
    r = subprocess.run([F.COURANT, "submit", "--data", data, "--timeout", "10"] + args + [inp],
                       capture_output=True, text=True, timeout=60)
    t.join(15)
    router.close()
    out = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    return shapes, r, out


def big_line(i, size):
    return json.dumps({"id": f"big-{i}", "url": f"https://fault.example/big/{i}", "title": f"Big {i}",
                       "text": ("Le ministre est venu. " * (size // 22 + 1))[:size]})


def cli_part(tmp):
    shapes, r, out = cli_run(tmp, "cli", [F.article_line(i, "cli") for i in range(10)], ["--batch", "4"], 10)
    T.check("cli_batches_of_4", shapes == [4, 4, 2], f"elements per frame {shapes} (0: plain frame)")
    T.check("cli_reads_batch_answers", r.returncode == 0 and len(out) == 10 and
            all(x.get("status") == "accepted" for x in out),
            f"exit {r.returncode}, {len(out)} lines, stderr {r.stderr.strip()[-200:]!r}")
    # five of 900 KB (a frame stays under 4 MiB), one of 1.2 MB (over 1 MiB:
    # alone), one small
    lines = [big_line(i, 900_000) for i in range(5)] + [big_line(5, 1_200_000), F.article_line(0, "after")]
    shapes, r, out = cli_run(tmp, "cli-big", lines, ["--batch", "16"], 7)
    T.check("cli_frames_within_limits", shapes == [4, 0, 0, 0] and r.returncode == 0 and len(out) == 7,
            f"elements per frame {shapes} (0: plain frame), exit {r.returncode}, {len(out)} answers")
    r = subprocess.run([F.COURANT, "submit", "--batch", "65", "-"], input="", capture_output=True, text=True,
                       timeout=30)
    T.check("cli_batch_over_64_refused", r.returncode == 2, f"exit {r.returncode}")


def main():
    tmp = F.tmpdir("submit-batch-")
    F.load_pb(tmp)
    ingest_part(tmp)
    cli_part(tmp)
    T.done()


if __name__ == "__main__":
    main()
