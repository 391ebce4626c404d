"""Shared plumbing of the fault tests (tests/integration/fault_*.py).

Runs under Debian's /usr/bin/python3 (python3-zmq, python3-protobuf); the
protobuf classes are generated from proto/courant.proto at test time with
`protoc --python_out`. Every process a test starts is registered here and
stopped at exit (SIGTERM, then SIGKILL), including the services a
`courant up` started, found by their parent pid. Waits are bounded polls on
replies or counters, never bare sleeps.
"""
import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import zmq

ROOT = os.environ.get("COURANT_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
BUILD = os.environ.get("BUILD", "build")
BIN = os.environ.get("COURANT_BIN") or os.path.join(ROOT, BUILD, "bin")
COURANT = os.path.join(BIN, "courant")
SANITIZED = "/san-" in BIN

_procs = []       # Popen objects we started
_known = set()    # pids of services seen under a `courant up` we started
_cleanups = []    # callables run at exit, last registered first
pb = None         # courant_pb2 once load_pb() ran
ctx = zmq.Context.instance()


# ---- output ---------------------------------------------------------------

class Results:
    """PASS/FAIL lines for tests/run; exit status 1 if anything failed."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.failed = 0

    def check(self, name, cond, why="", logfile=None):
        """logfile: shown (its tail, on stderr) when the check fails."""
        if cond:
            print(f"PASS {self.prefix}:{name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {self.prefix}:{name}: {why}", flush=True)
            if logfile:
                show_tail(logfile)
        return cond

    def info(self, msg):
        print(f"INFO {self.prefix}: {msg}", flush=True)

    def skip(self, name, why):
        print(f"SKIP {self.prefix}:{name}: {why}", flush=True)

    def done(self):
        sys.exit(1 if self.failed else 0)


def show_tail(path, n=30):
    try:
        with open(path, errors="replace") as f:
            lines = f.readlines()[-n:]
    except OSError:
        return
    print(f"---- last {len(lines)} lines of {path}", file=sys.stderr)
    sys.stderr.writelines(lines)
    sys.stderr.flush()


def log(msg):
    """Diagnostics on stderr (tests/run shows them when a test fails)."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---- processes ---------------------------------------------------------------

def at_exit(fn):
    _cleanups.append(fn)


def _cleanup():
    for p in reversed(_procs):
        if p.poll() is None:
            for pid in children(p.pid):
                _known.add(pid)
            try:
                p.terminate()
            except OSError:
                pass
    deadline = time.monotonic() + 15
    for p in _procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    for pid in _known:  # services of an `up` that did not stop with it
        if alive(pid) and _comm(pid).startswith("courant"):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    for fn in reversed(_cleanups):
        try:
            fn()
        except Exception as e:  # cleanup must go on
            log(f"cleanup: {e}")


atexit.register(_cleanup)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, lambda s, f: sys.exit(128 + s))


def start(args, log_path, env=None, **kw):
    """Start a program (stderr and stdout to log_path unless given)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    out = open(log_path, "ab")
    kw.setdefault("stdout", out)
    kw.setdefault("stderr", out)
    p = subprocess.Popen(args, env=full_env, **kw)
    _procs.append(p)
    return p


def stop(p, sig=signal.SIGTERM, timeout=15):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return p.returncode


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] not in "ZX"
    except OSError:
        return False


def _comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _prog(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return os.path.basename(f.read().split(b"\0")[0].decode(errors="replace"))
    except OSError:
        return ""


def services_of(up_pid):
    """{service name: [pid, ...]} of the live services under a `courant up`."""
    out = {}
    for c in children(up_pid):
        name = _prog(c)
        if name.startswith("courant-") and alive(c):
            _known.add(c)
            out.setdefault(name[len("courant-"):], []).append(c)
    return out


SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "SUMMARY: UndefinedBehavior")


def stop_all():
    """Stop every process started so far (SIGTERM, so that LeakSanitizer
    runs at exit in sanitized builds)."""
    for p in reversed(_procs):
        if p.poll() is None:
            stop(p)


def sanitizer_reports(paths):
    """Lines of sanitizer reports found in the given log files."""
    found = []
    for path in paths:
        try:
            with open(path, errors="replace") as f:
                for line in f:
                    if any(m in line for m in SANITIZER_MARKS):
                        found.append(f"{os.path.basename(path)}: {line.strip()[:200]}")
        except OSError:
            pass
    return found


def check_sanitizers(results, paths):
    """After stop_all(): fail if any service logged a sanitizer report (a
    service that `courant up` restarted after a crash would otherwise pass)."""
    found = sanitizer_reports(paths)
    results.check("no_sanitizer_reports", not found, f"{len(found)} report lines, first: {found[:3]}")


def wait_until(fn, timeout, interval=0.05, what="condition"):
    """Poll fn() until it returns a true value; returns it, or None on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            v = fn()
        except Exception as e:  # a service restarting: keep polling
            v = None
            last = e
        if v:
            return v
        if time.monotonic() >= deadline:
            log(f"timeout after {timeout}s waiting for {what}")
            return None
        time.sleep(interval)


def tmpdir(prefix):
    d = tempfile.mkdtemp(prefix=prefix)
    at_exit(lambda: subprocess.run(["rm", "-rf", d]))
    return d


# ---- protobuf and sockets ------------------------------------------------------

def load_pb(tmp):
    global pb
    out = os.path.join(tmp, "py")
    os.makedirs(out, exist_ok=True)
    subprocess.run(["protoc", f"--proto_path={ROOT}/proto", f"--python_out={out}",
                    f"{ROOT}/proto/courant.proto"], check=True)
    sys.path.insert(0, out)
    import courant_pb2
    pb = courant_pb2
    return pb


def endpoints(data):
    """Default endpoints of a data directory (see common/endpoints.h)."""
    run = os.path.join(data, "run")
    return {n: f"ipc://{run}/{n}.sock" for n in
            ("submit", "work", "ack", "relay-in", "relay-out", "store-in", "query", "events")}


def socket(kind, endpoint, bind=False, timeout_ms=3000):
    s = ctx.socket(kind)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, timeout_ms)
    s.setsockopt(zmq.SNDTIMEO, timeout_ms)
    if bind:
        s.bind(endpoint)
    else:
        s.connect(endpoint)
    return s


def request(endpoint, msg, reply_type, timeout_ms=3000):
    """One REQ-style exchange on a ROUTER (DEALER, empty delimiter)."""
    s = socket(zmq.DEALER, endpoint, timeout_ms=timeout_ms)
    try:
        s.send_multipart([b"", msg.SerializeToString()])
        parts = s.recv_multipart()
        r = reply_type()
        r.ParseFromString(parts[-1])
        return r
    finally:
        s.close()


def store_counter(data, name, timeout_ms=500, service="store"):
    """One of the store's (or ingest's) own counters; 0 when it does not answer."""
    ep = endpoints(data)["query" if service == "store" else "submit"]
    try:
        r = request(ep, pb.Query(version=1, kind=pb.STATS), pb.QueryReply, timeout_ms)
    except zmq.ZMQError:
        return 0
    for st in r.stats:
        if st.service == service:
            return next((c.value for c in st.counters if c.name == name), 0)
    return 0


def query_stats(data=None, endpoint=None, timeout_ms=2000):
    """{service: {counter: value}} from the store (workers summed per service)
    and from ingest; a service that does not answer is left out."""
    ep = endpoints(data) if data else {}
    out = {}
    for name, e in (("store", endpoint or ep.get("query")), ("ingest", ep.get("submit"))):
        if not e:
            continue
        try:
            r = request(e, pb.Query(version=1, kind=pb.STATS), pb.QueryReply, timeout_ms)
        except zmq.ZMQError:
            continue
        for st in r.stats:
            block = out.setdefault(st.service, {})
            for c in st.counters:
                block[c.name] = block.get(c.name, 0) + c.value
    return out


def article_exists(data, aid, timeout_ms=3000):
    r = request(endpoints(data)["query"], pb.Query(version=1, kind=pb.ARTICLE, id=aid), pb.QueryReply, timeout_ms)
    return r.HasField("article") and r.article.article.id == aid


def dead_letters(data, timeout_ms=3000):
    r = request(endpoints(data)["query"], pb.Query(version=1, kind=pb.DEAD_LETTERS, limit=1000),
                pb.QueryReply, timeout_ms)
    return [(d.rejection.id, d.rejection.stage, d.rejection.reason) for d in r.dead]


def courant_stats(data):
    """`courant stats --json --data DIR`, parsed: {service: {counter: value}}.
    Accepts one JSON object keyed by service, or JSON lines with a
    "service" member; None when the command fails."""
    p = subprocess.run([COURANT, "stats", "--json", "--data", data], capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        log(f"courant stats: exit {p.returncode}: {p.stderr.strip()[-300:]}")
        return None
    text = p.stdout.strip()
    try:
        objs = [json.loads(text)]
    except ValueError:
        objs = [json.loads(l) for l in text.splitlines() if l.strip()]
    out = {}
    for o in objs:
        if isinstance(o, dict) and "service" in o:
            blk = out.setdefault(o["service"], {})
            for k, v in (o.get("counters") or o).items():
                if isinstance(v, (int, float)):
                    blk[k] = blk.get(k, 0) + v
        elif isinstance(o, dict):
            for svc, blk in o.items():
                if isinstance(blk, dict):
                    flat = blk.get("counters", blk)
                    if isinstance(flat, dict):
                        out.setdefault(svc, {}).update({k: v for k, v in flat.items() if isinstance(v, (int, float))})
                elif isinstance(blk, list):  # several instances
                    for inst in blk:
                        flat = inst.get("counters", inst) if isinstance(inst, dict) else {}
                        for k, v in flat.items():
                            if isinstance(v, (int, float)):
                                out.setdefault(svc, {})[k] = out.setdefault(svc, {}).get(k, 0) + v
    return out


def submit_msg(i, tag="a", text=None):
    """A small valid article, distinct per (tag, i)."""
    countries = ["France", "Germany", "Italy", "Spain", "Japan", "Brazil", "Canada", "Kenya"]
    a, b = countries[i % 8], countries[(i * 3 + 1) % 8]
    if a == b:
        b = "Mexico"
    body = text if text is not None else (
        f"{a} and {b} signed a trade agreement on Monday, number {tag}-{i}. "
        f"The ministers of {a} met their counterparts from {b} in Geneva.")
    return pb.Submit(version=1, client_ref=f"{tag}-{i}", id=f"{tag}-{i}",
                     url=f"https://fault.example/{tag}/{i}", source="fault.example",
                     title=f"Fault test {tag} {i}", published="2024-05-01",
                     text=body.encode(), content_type="text/plain")


def article_line(i, tag="a"):
    m = submit_msg(i, tag)
    return json.dumps({"id": m.id, "url": m.url, "source": m.source, "title": m.title,
                       "published": m.published, "text": m.text.decode()})
