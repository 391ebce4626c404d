"""Helpers for courant's Python integration tests (not a test itself).

Python speaks to courant from proto/ alone: protoc --python_out into a temp
dir at test time, then Debian's python3-zmq and python3-protobuf. Every
process a test starts is registered here and killed by cleanup()."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import zmq  # noqa: F401 (re-exported as T.zmq)

ROOT = os.environ.get("COURANT_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "../../..")))
BIN = os.environ.get("COURANT_BIN", os.path.join(ROOT, "build/bin"))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "../shared"))

_procs = []
_tmpdirs = []
ctx = zmq.Context.instance()
pb = None


def load_proto():
    """Compile proto/courant.proto for Python and import it as `pb`."""
    global pb
    if pb:
        return pb
    out = tempfile.mkdtemp(prefix="courant-pb-")
    _tmpdirs.append(out)
    subprocess.run(["protoc", "--proto_path=" + os.path.join(ROOT, "proto"), "--python_out=" + out,
                    os.path.join(ROOT, "proto/courant.proto")], check=True)
    sys.path.insert(0, out)
    import courant_pb2
    pb = courant_pb2
    return pb


def tmpdir(prefix="courant-test-"):
    d = tempfile.mkdtemp(prefix=prefix)
    _tmpdirs.append(d)
    return d


def ep(data, name):
    return "ipc://%s/run/%s.sock" % (data, name)


def start(args, env=None, stdout=subprocess.DEVNULL, stderr=None):
    e = dict(os.environ)
    e.update(env or {})
    if stderr is None:
        stderr = open(os.devnull, "w") if not os.environ.get("COURANT_TEST_VERBOSE") else None
    p = subprocess.Popen(args, env=e, stdout=stdout, stderr=stderr)
    _procs.append(p)
    return p


def stop(p, sig=signal.SIGTERM, timeout=10):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return p.returncode


def cleanup():
    for p in _procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    for d in _tmpdirs:
        shutil.rmtree(d, ignore_errors=True)


class Dealer:
    """DEALER to the store's query ROUTER."""

    def __init__(self, data):
        self.s = ctx.socket(zmq.DEALER)
        self.s.setsockopt(zmq.LINGER, 0)
        self.s.connect(ep(data, "query"))
        self.n = 0

    def ask(self, wait_ms=5000, **fields):
        q = pb.Query(version=1, **fields)
        self.n += 1
        q.client_ref = "py-%d" % self.n
        self.s.send(q.SerializeToString())
        deadline = time.monotonic() + wait_ms / 1000.0
        while time.monotonic() < deadline:
            if self.s.poll(max(1, int((deadline - time.monotonic()) * 1000))):
                r = pb.QueryReply()
                r.ParseFromString(self.s.recv_multipart()[-1])
                if r.client_ref == q.client_ref:
                    return r
        return None

    def close(self):
        self.s.close()


def start_store(data):
    p = start([os.path.join(BIN, "courant-store"), "--data", data])
    d = Dealer(data)
    for _ in range(100):
        if p.poll() is not None:
            raise RuntimeError("courant-store exited with %s" % p.returncode)
        if d.ask(wait_ms=200, kind=pb.STATS):
            d.close()
            return p
    d.close()
    raise RuntimeError("courant-store did not answer")


def extraction(aid, events, published="2021-04-02", url=None, seq=1):
    """A Work{extraction} for article `aid`; events are dicts of Event fields."""
    w = pb.Work(version=1)
    x = w.extraction
    x.version = 1
    a = x.article
    a.version = 1
    a.id = aid
    a.seq = seq
    a.published = published
    a.url = url or "https://example.org/%s" % aid
    a.lang = "fr"
    a.title = "title " + aid
    for e in events:
        ev = x.events.add()
        ev.type = e["type"]
        ev.actor.extend(e.get("actor", []))
        ev.recipient.extend(e.get("recipient", []))
        ev.persons.extend(e.get("persons", []))
        if e.get("date"):
            ev.date = e["date"]
    return w


class Feeder:
    """PUSH into store-in, as an extract worker would."""

    def __init__(self, data):
        self.s = ctx.socket(zmq.PUSH)
        self.s.setsockopt(zmq.LINGER, 2000)
        self.s.connect(ep(data, "store-in"))

    def send(self, work):
        self.s.send(work if isinstance(work, bytes) else work.SerializeToString())

    def close(self):
        self.s.close()


class FakeIngest:
    """Binds the ack endpoint and collects Ack items: {id: [status, ...]}."""

    def __init__(self, data):
        self.s = ctx.socket(zmq.PULL)
        self.s.setsockopt(zmq.LINGER, 0)
        self.s.bind(ep(data, "ack"))
        self.items = {}

    def collect(self, until, timeout_s=20):
        deadline = time.monotonic() + timeout_s
        while not until(self.items) and time.monotonic() < deadline:
            if self.s.poll(200):
                a = pb.Ack()
                a.ParseFromString(self.s.recv())
                for it in a.items:
                    self.items.setdefault(it.id, []).append(it.status)
        return until(self.items)

    def close(self):
        self.s.close()


def run_cli(args, data, timeout=30):
    r = subprocess.run([os.path.join(BIN, "courant")] + args + ["--data", data], capture_output=True,
                       text=True, timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def json_lines(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]


class Results:
    def __init__(self):
        self.failed = 0

    def check(self, name, ok, why=""):
        if ok:
            print("PASS %s" % name)
        else:
            self.failed += 1
            print("FAIL %s: %s" % (name, why))
        sys.stdout.flush()


def run_main(name, main):
    """Run a test's main() (returns its failure count): a crash counts as one
    failure with its reason, every process started is stopped, and the exit
    status tells tests/run whether anything failed."""
    try:
        failed = main()
    except Exception as e:  # a crash is one failure, with its reason
        print("FAIL %s: %r" % (name, e))
        failed = 1
    finally:
        cleanup()
    sys.exit(1 if failed else 0)
