"""Durable follow (issue 6): `courant tail` is killed (SIGKILL) while events
flow, then restarted with --since its last printed seq: together the two runs
print every event exactly once. Also: tail without --since starts at the head,
and --type/--country filter."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pylib"))
import courant_testlib as T  # noqa: E402

N_ARTICLES = 400  # two events each


def tail(data, *args):
    return T.start([os.path.join(T.BIN, "courant"), "tail", "--data", data, "--json"] + list(args),
                   stdout=subprocess.PIPE)


def read_lines(p, want, timeout_s):
    """Lines of p's stdout until `want` lines, EOF or timeout (bounded polling)."""
    out = []
    deadline = time.monotonic() + timeout_s
    fd = p.stdout.fileno()
    os.set_blocking(fd, False)
    buf = b""
    while len(out) < want and time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            chunk = None
        if chunk == b"":
            break
        if chunk:
            buf += chunk
            *lines, buf = buf.split(b"\n")
            out += [json.loads(l) for l in lines if l.strip()]
        else:
            time.sleep(0.01)  # polling interval of a bounded wait, not a synchronisation
    return out, buf


def main():
    R = T.Results()
    T.load_proto()
    data = T.tmpdir()
    os.makedirs(data + "/run", exist_ok=True)
    T.start_store(data)
    feed = T.Feeder(data)
    q = T.Dealer(data)

    # a tail without --since only sees what is committed after it started
    feed.send(T.extraction("before", [{"type": "AGREE", "actor": ["TGO"]}]))
    for _ in range(500):
        if (q.ask(kind=T.pb.EVENTS, limit=1) or T.pb.QueryReply()).events:
            break
    live = tail(data, "--max", "1", "--type", "CONSULT", "--country", "MLI")
    # wait until the live tail is attached: the store then holds its FOLLOW
    for _ in range(200):
        r = q.ask(kind=T.pb.STATS)
        c = {x.name: x.value for x in r.stats[0].counters}
        if c.get("follows_held", 0) >= 1:
            break
        time.sleep(0.01)
    feed.send(T.extraction("x1", [{"type": "CONSULT", "actor": ["TGO"], "recipient": ["MAR"]}]))
    feed.send(T.extraction("x2", [{"type": "CONSULT", "actor": ["TGO"], "recipient": ["MLI"]}]))
    lines, _ = read_lines(live, 1, 20)
    live.wait(10)
    R.check("tail_from_head_with_filters", [l["article_id"] for l in lines] == ["x2"] and live.returncode == 0
            and lines[0]["seq"] == 3, str(lines))
    base = 3

    def produce():
        for i in range(N_ARTICLES):
            feed.send(T.extraction("a-%d" % i, [{"type": "CONSULT", "actor": ["MLI"], "recipient": ["TGO"]},
                                                {"type": "ACCUSE", "actor": ["MAR"]}]))
            if i % 20 == 0:
                time.sleep(0.01)  # pacing the producer so that the kill lands mid-flow

    th = threading.Thread(target=produce)
    th.start()
    first = tail(data, "--since", str(base))
    got1, _ = read_lines(first, 150, 30)
    first.send_signal(signal.SIGKILL)
    first.wait()
    more, partial = read_lines(first, 10 ** 9, 2)  # whatever it had printed before dying
    got1 += more
    last = got1[-1]["seq"] if got1 else base
    th.join()
    total = 2 * N_ARTICLES
    second = tail(data, "--since", str(last), "--max", str(base + total - last), "--idle-exit", "20")
    got2, _ = read_lines(second, base + total - last, 60)
    second.wait(30)
    seqs = [l["seq"] for l in got1 + got2]
    R.check("tail_killed_mid_flow", 0 < len(got1) < total, "first run printed %d of %d" % (len(got1), total))
    R.check("tail_restart_exactly_once", seqs == list(range(base + 1, base + total + 1)),
            "got %d lines, %d distinct, first run %d (last %d)" % (len(seqs), len(set(seqs)), len(got1), last))
    R.check("tail_lines_have_fields", all("article_id" in l and "type" in l and "actor" in l for l in got1 + got2), "")
    R.check("tail_max_exits_0", second.returncode == 0, "rc=%s" % second.returncode)
    q.close()
    feed.close()
    return R.failed


if __name__ == "__main__":
    T.run_main("subscribers_tail_restart", main)
