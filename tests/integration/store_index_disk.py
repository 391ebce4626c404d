"""A full disk under the store. The index env is written through its map
(MDB_WRITEMAP, docs/storage.md): a page written into a hole of its sparse
file on a full disk would kill the store (SIGBUS), so the store reserves the
file's blocks ahead and skips index txns it has no room for. Here the store's
directory is a small tmpfs filled with articles: the store must stay up and
answer, acknowledge only what it stored, and once the disk has room again
(the tmpfs grown), index every acknowledged event."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pylib"))
import courant_testlib as T  # noqa: E402

BODY = b"x" * 16000  # fills the 12 MiB tmpfs after a few hundred articles


def article(i):
    w = T.extraction("disk-%04d" % i, [{"type": "AID", "actor": ["MLI"], "recipient": ["FRA"],
                                         "date": "2021-04-%02d" % (1 + i % 28)}], seq=i + 1)
    w.extraction.article.raw = BODY
    return w


def aid_events(q, pb):
    r = q.ask(kind=pb.EVENTS, types=["AID"], limit=10000)
    return len(r.events) if r else -1


def run(R, pb, data, store_dir):
    ing = T.FakeIngest(data)
    feed = T.Feeder(data)
    log = os.path.join(data, "store.log")
    p = T.start([os.path.join(T.BIN, "courant-store"), "--data", data], stderr=open(log, "w"))
    q = T.Dealer(data)
    R.check("store_disk_started", q.ask(wait_ms=5000, kind=pb.STATS) is not None, "no STATS answer")
    sent = 0
    # send until the store stops acknowledging (its disk is full), bounded
    while sent < 2000:
        for i in range(sent, sent + 100):
            feed.send(article(i))
        sent += 100
        want = sent
        ing.collect(lambda it: len(it) >= want, timeout_s=3)
        if len(ing.items) < sent - 100:
            break
    stored = {k for k, v in ing.items.items() if 0 in v}  # AckStatus STORED
    R.check("store_disk_filled", 0 < len(stored) < sent, "%d of %d stored" % (len(stored), sent))
    R.check("store_disk_alive_when_full", p.poll() is None and q.ask(wait_ms=3000, kind=pb.STATS) is not None,
            "exit status %s" % p.poll())
    # room again: every acknowledged event gets indexed
    subprocess.run(["mount", "-o", "remount,size=256m", store_dir], check=True)
    deadline = time.monotonic() + 30
    n = -1
    while time.monotonic() < deadline:
        n = aid_events(q, pb)
        if n >= len(stored):
            break
        time.sleep(0.2)
    R.check("store_disk_indexed_after_room", n >= len(stored), "%d indexed, %d stored" % (n, len(stored)))
    R.check("store_disk_alive", p.poll() is None, "exit status %s" % p.poll())
    T.stop(p)
    q.close()
    feed.close()
    ing.close()


def main():
    R = T.Results()
    pb = T.load_proto()
    data = T.tmpdir("store-disk-")
    store_dir = os.path.join(data, "store")
    os.makedirs(os.path.join(data, "run"))
    os.makedirs(store_dir)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", store_dir], capture_output=True, text=True)
    if m.returncode != 0:
        print("SKIP store_disk: cannot mount a tmpfs (%s); needs root" % (m.stderr.strip() or "mount failed"))
        return 0
    try:
        run(R, pb, data, store_dir)
    finally:  # lazily: a store still running keeps it until killed below
        subprocess.run(["umount", "-l", store_dir])
        T.cleanup()
    return R.failed


if __name__ == "__main__":
    T.run_main("store_index_disk", main)
