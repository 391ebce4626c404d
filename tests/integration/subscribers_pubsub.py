"""Live fan-out (issue 6): a SUB filtering one country receives only the
events involving it, each once, and the publisher sends it nothing else;
type and country+type topics likewise. Python SUB sockets, proto/ only."""
import os
import random
import sys
import time

import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pylib"))
import courant_testlib as T  # noqa: E402

CODES = ["MLI", "TGO", "MAR", "DZA", "FRA"]
TYPES = ["CONSULT", "ACCUSE", "AGREE"]
SUBS = {  # name -> (topics, predicate on an event)
    "country": (["c.MLI."], lambda e: "MLI" in set(e.actor) | set(e.recipient)),
    "all": (["t."], lambda e: True),
    "type": (["t.ACCUSE."], lambda e: e.type == "ACCUSE"),
    "country_type": (["c.MAR.CONSULT."], lambda e: e.type == "CONSULT" and "MAR" in set(e.actor) | set(e.recipient)),
}
MARK = [{"type": "CONSULT", "actor": ["MLI"], "recipient": ["MAR"]}, {"type": "ACCUSE", "actor": ["MLI"]}]


def main():
    R = T.Results()
    pb = T.load_proto()
    data = T.tmpdir()
    os.makedirs(data + "/run", exist_ok=True)
    T.start_store(data)
    feed = T.Feeder(data)
    q = T.Dealer(data)
    subs = {}
    for name, (topics, _) in SUBS.items():
        s = T.ctx.socket(zmq.SUB)
        s.setsockopt(zmq.LINGER, 0)
        for t in topics:
            s.setsockopt(zmq.SUBSCRIBE, t.encode())
        s.connect(T.ep(data, "events"))
        subs[name] = s
    got = {n: [] for n in subs}  # (topic, EventRecord)

    def drain(name, ms):
        s = subs[name]
        while s.poll(ms):
            topic, body = s.recv_multipart()
            r = pb.EventRecord()
            r.ParseFromString(body)
            got[name].append((topic.decode(), r))
            ms = 0

    # subscriptions propagate asynchronously: send marker articles until every
    # subscriber has seen one, then only count what comes after them
    probes = 0
    while probes < 200 and not all(got.values()):
        probes += 1
        feed.send(T.extraction("probe-%d" % probes, MARK))
        for n in subs:
            drain(n, 50)
    R.check("pubsub_subscriptions_ready", all(got.values()), "after %d probes" % probes)
    baseline = 2 * probes
    for _ in range(100):
        r = q.ask(kind=pb.EVENTS, after_seq=baseline, limit=1)
        if r and r.head_seq >= baseline:
            break
    rng = random.Random(3)
    nev = 0
    for i in range(150):
        evs = []
        for _ in range(rng.randint(1, 2)):
            c = rng.sample(CODES, 2)
            evs.append({"type": rng.choice(TYPES), "actor": [c[0]], "recipient": [c[1]] if rng.random() < .7 else []})
        nev += len(evs)
        feed.send(T.extraction("a-%d" % i, evs))
    feed.send(T.extraction("end-marker", MARK))
    end_seqs = (baseline + nev + 1, baseline + nev + 2)
    # every subscriber's last message must be from the end marker
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not all(
            any(r.article_id == "end-marker" for _, r in got[n]) for n in subs):
        for n in subs:
            drain(n, 20)
    all_events = []
    after = baseline
    while True:
        r = q.ask(kind=pb.EVENTS, after_seq=after, limit=1000)
        if not r or not r.events:
            break
        all_events += list(r.events)
        after = r.events[-1].seq
    R.check("pubsub_all_committed", len(all_events) == nev + 2, "%d of %d" % (len(all_events), nev + 2))
    for name, (topics, pred) in SUBS.items():
        recv = [r for t, r in got[name] if r.seq > baseline]
        exp = [e.seq for e in all_events if pred(e.event)]
        seqs = [r.seq for r in recv]
        R.check("pubsub_%s_exactly_matching" % name, seqs == exp,
                "received %d (%d distinct), expected %d; extra %s missing %s" % (
                    len(seqs), len(set(seqs)), len(exp), sorted(set(seqs) - set(exp))[:5],
                    sorted(set(exp) - set(seqs))[:5]))
        R.check("pubsub_%s_topics" % name, all(any(t.startswith(p) for p in topics) for t, r in got[name]),
                str([t for t, _ in got[name]][:5]))
    mli = [r for t, r in got["country"] if r.seq > baseline]
    R.check("pubsub_country_nothing_else", all("MLI" in set(r.event.actor) | set(r.event.recipient) for r in mli)
            and len(mli) == len({r.seq for r in mli}) and len(mli) > 10, "%d messages" % len(mli))
    R.check("pubsub_record_fields", all(r.article_id and r.stored_us > 0 for _, r in got["all"]), "")
    assert end_seqs  # documents the expected marker sequences
    for s in subs.values():
        s.close()
    q.close()
    feed.close()
    return R.failed


if __name__ == "__main__":
    T.run_main("subscribers_pubsub", main)
