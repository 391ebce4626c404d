#!/usr/bin/python3
"""Full disk (issue 5). ingest's data directory is a 2 MiB tmpfs; the rest of
the pipeline runs on another directory. Articles are submitted until ingest
refuses them with a reason that names the lack of space (the store starts
only then, so that no acknowledgement frees journal space meanwhile); every
article it accepted before must still be stored, the journal must reopen intact after a
restart of ingest, and once the tmpfs is grown (remount) new articles are
accepted and stored again. Needs root for mount; otherwise prints SKIP.
"""
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import faultlib as F  # noqa: E402
import zmq  # noqa: E402

T = F.Results("fault_disk")
BODY = 12000  # bytes per article: the 2 MiB journal fills after ~150
SPACE_WORDS = ("space", "disk", "full", "enospc")


def text_of(i):
    """High-entropy words, so that a compressing journal still fills."""
    rng = random.Random(i)
    out, n = [], 0
    while n < BODY:
        w = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10)))
        out.append(w)
        n += len(w) + 1
    return f"France and Germany, article {i}. " + " ".join(out) + "."


def submit(ep, i, tag, timeout_ms=5000):
    m = F.submit_msg(i, tag, text=text_of(i + (100000 if tag != "full" else 0)))
    return F.request(ep["submit"], m, F.pb.SubmitReply, timeout_ms)


def start_ingest(ingest_dir, logp, env):
    return F.start([os.path.join(F.BIN, "courant-ingest"), "--data", ingest_dir, "--journal-mb", "1"], logp, env=env)


def main():
    tmp = F.tmpdir("fault-disk-")
    F.load_pb(tmp)
    data = os.path.join(tmp, "data")
    ingest_dir = os.path.join(tmp, "ingest-tmpfs")
    os.makedirs(data)
    os.makedirs(ingest_dir)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", ingest_dir], capture_output=True, text=True)
    if m.returncode != 0:
        T.skip("full_disk", f"cannot mount a tmpfs ({m.stderr.strip() or 'mount failed'}); needs root")
        T.done()
    F.at_exit(lambda: subprocess.run(["umount", "-l", ingest_dir]))
    ep = F.endpoints(data)
    env = {f"COURANT_{k.upper().replace('-', '_')}_ENDPOINT": v for k, v in ep.items()}
    os.makedirs(os.path.join(data, "run"), exist_ok=True)
    logp = os.path.join(tmp, "pipeline.log")
    ilog = os.path.join(tmp, "ingest.log")
    for svc in ("relay", "normalize", "extract"):
        F.start([os.path.join(F.BIN, f"courant-{svc}"), "--data", data], logp, env=env)
    ingest = start_ingest(ingest_dir, ilog, env)
    ok = F.wait_until(lambda: "ingest" in F.query_stats(data), 30, what="ingest ready")
    if not T.check("pipeline_starts", ok, "ingest/store not answering", ilog):
        T.done()

    accepted, refusal = [], None
    for i in range(2000):  # bounded: 2000 x 12 KB is ten times the tmpfs
        try:
            r = submit(ep, i, "full")
        except zmq.ZMQError as e:
            refusal = f"no answer ({e})"
            break
        if r.status == F.pb.ACCEPTED:
            accepted.append(r.id or f"full-{i}")
        elif r.status == F.pb.REFUSED:
            refusal = r.reason
            break
    T.info(f"accepted {len(accepted)} articles before: {refusal!r}")
    T.check("ingest_refuses_when_full", refusal is not None and any(w in refusal.lower() for w in SPACE_WORDS),
            f"expected a refusal naming the lack of space, got {refusal!r}", ilog)
    T.check("ingest_alive_when_full", ingest.poll() is None, f"courant-ingest exited {ingest.returncode}", ilog)
    # The command line shows the same refusal to a user.
    one = os.path.join(tmp, "one.jsonl")
    with open(one, "w") as f:
        f.write(F.article_line(0, "cli-full") + "\n")
    p = subprocess.run([F.COURANT, "submit", "--data", data, one], capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, **env))
    out = (p.stdout + p.stderr).lower()
    T.info(f"courant submit when full: exit {p.returncode}: {(p.stdout + p.stderr).strip()[:200]}")
    T.check("cli_reports_refusal", p.returncode != 0 and "refused" in out and any(w in out for w in SPACE_WORDS),
            f"exit {p.returncode}, output {out.strip()[:200]!r}")

    F.start([os.path.join(F.BIN, "courant-store"), "--data", data], logp, env=env)
    T.check("store_starts", F.wait_until(lambda: "store" in F.query_stats(data), 30, what="store ready"),
            "store not answering", logp)

    def all_stored():
        return all(F.article_exists(data, a, 2000) for a in accepted)
    T.check("accepted_ones_stored", F.wait_until(all_stored, 60, interval=0.5, what="accepted articles stored"),
            f"not every one of the {len(accepted)} accepted articles reached the store", logp)

    # Nothing corrupted: ingest restarts on its full journal and still knows
    # what it accepted (a re-submission is a duplicate, not a new article).
    F.stop(ingest)
    ingest = start_ingest(ingest_dir, ilog, env)
    back = F.wait_until(lambda: "ingest" in F.query_stats(data), 30, what="ingest restarted on a full disk")
    T.check("journal_reopens_when_full", back and ingest.poll() is None, "ingest did not come back", ilog)
    if accepted:
        try:
            r = submit(ep, 0, "full")
            T.check("journal_remembers_accepted", r.status == F.pb.DUPLICATE,
                    f"re-submitting an accepted article gave {F.pb.SubmitStatus.Name(r.status)} {r.reason!r}", ilog)
        except zmq.ZMQError as e:
            T.check("journal_remembers_accepted", False, f"no answer: {e}", ilog)

    # Space returns: new articles are accepted and stored again.
    subprocess.run(["mount", "-o", "remount,size=64m", ingest_dir], check=True)
    later = []

    def accept_again():
        r = submit(ep, len(later), "later", 2000)
        if r.status == F.pb.ACCEPTED:
            later.append(r.id)
            return True
        return False
    T.check("accepts_after_space_returns", F.wait_until(accept_again, 30, interval=0.5, what="accepted again"),
            "ingest still refuses after the tmpfs grew", ilog)
    for i in range(1, 5):
        try:
            r = submit(ep, 1000 + i, "later")
            if r.status == F.pb.ACCEPTED:
                later.append(r.id)
        except zmq.ZMQError:
            pass
    T.check("new_ones_stored", later and F.wait_until(lambda: all(F.article_exists(data, a, 2000) for a in later),
                                                      60, interval=0.5, what="later articles stored"),
            f"articles accepted after the remount were not stored: {later}", logp)
    st = F.query_stats(data).get("store", {})
    cli_extra = 1 if p.returncode == 0 else 0  # the CLI's article, if ingest took it
    T.check("store_count", st.get("articles") == len(accepted) + len(later) + cli_extra,
            f"store.articles={st.get('articles')} expected {len(accepted)} + {len(later)} + {cli_extra}")
    T.check("no_dead_letters", st.get("dead_letters", 0) == 0, f"dead letters: {F.dead_letters(data)[:5]}")
    F.stop_all()
    F.check_sanitizers(T, [logp, ilog])
    T.done()


if __name__ == "__main__":
    main()
