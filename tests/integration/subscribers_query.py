"""Store queries against known data, for each filter (issue 6), plus the
store's write contract (issue 5): acks after commit, idempotence by id, dead
letters, junk counted. Uses the CLI too when build/bin/courant exists."""
import os
import random
import signal
import sys
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pylib"))
import courant_testlib as T  # noqa: E402

TYPES = ["CONSULT", "AGREE", "ACCUSE", "SUPPORT", "AID"]
CODES = ["MLI", "TGO", "MAR", "DZA", "KAZ", "FRA", "IGO:UN"]
PERSONS = ["Robert Dussey", "Assimi Goïta", "Nasser Bourita", "Kassym-Jomart Tokaïev"]


def fold_tokens(name):
    s = unicodedata.normalize("NFD", name.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    toks, cur = [], ""
    for c in s + " ":
        if c.isalnum():
            cur += c
        else:
            if len(cur) >= 2:
                toks.append(cur)
            cur = ""
    return set(toks)


def date_key(ev, published):
    d = ev.get("date") or published
    return d[:10]


def overlaps(key, frm, to):
    if frm and key[:min(len(key), len(frm))] < frm[:min(len(key), len(frm))]:
        return False
    if to and key[:min(len(key), len(to))] > to[:min(len(key), len(to))]:
        return False
    return True


def make_data(rng, n):
    arts = []
    for i in range(n):
        evs = []
        for _ in range(rng.randint(0, 3)):
            codes = rng.sample(CODES, rng.randint(1, 3))
            k = rng.randint(1, len(codes))
            e = {"type": rng.choice(TYPES), "actor": codes[:k], "recipient": codes[k:]}
            r = rng.random()
            if r < 0.5:
                e["date"] = "2021-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28))
            elif r < 0.7:
                e["date"] = "2022-%02d" % rng.randint(1, 12)
            if rng.random() < 0.4:
                e["persons"] = [rng.choice(PERSONS)]
            evs.append(e)
        arts.append(("art-%03d" % i, "2021-%02d-15" % rng.randint(1, 12), evs))
    return arts


def main():
    R = T.Results()
    pb = T.load_proto()
    data = T.tmpdir()
    os.makedirs(data + "/run", exist_ok=True)
    ing = T.FakeIngest(data)
    store = T.start_store(data)
    feed = T.Feeder(data)
    rng = random.Random(6)
    arts = make_data(rng, 80)
    expected = []  # (seq, article_id, event dict, published) in commit order
    for i, (aid, pub, evs) in enumerate(arts):
        feed.send(T.extraction(aid, evs, published=pub, seq=i + 1))
        for e in evs:
            expected.append((len(expected) + 1, aid, e, pub))
    ids = {a[0] for a in arts}
    ok = ing.collect(lambda it: ids <= set(it))
    R.check("store_acks_every_article", ok and all(it == [pb.STORED] for k, it in ing.items.items()),
            "acks: %d of %d" % (len(ing.items), len(ids)))

    # re-sends, rejections, junk
    for aid, pub, evs in arts[:5]:
        feed.send(T.extraction(aid, evs, published=pub))
    w = pb.Work(version=1)
    w.rejection.version = 1
    w.rejection.id = arts[0][0]
    w.rejection.stage = "normalize"
    w.rejection.reason = "late rejection of a stored article"
    feed.send(w)
    w.rejection.id = "dead-1"
    w.rejection.reason = "empty after cleanup"
    w.rejection.payload = b"<html>nothing</html>"
    feed.send(w)
    feed.send(w)  # the same rejection re-sent: one dead letter only
    feed.send(b"\x00junk\xff" * 10)
    feed.send(pb.Work(version=99).SerializeToString())
    ok = ing.collect(lambda it: len(it.get(arts[4][0], [])) >= 2 and len(it.get("dead-1", [])) >= 2
                     and len(it.get(arts[0][0], [])) >= 3)
    R.check("store_resend_acked_duplicate", ok and ing.items[arts[4][0]][1:] == [pb.DUPLICATE_STORED]
            and ing.items[arts[0][0]][1:] == [pb.DUPLICATE_STORED] * 2, str(ing.items.get(arts[0][0])))
    R.check("store_rejection_acked_dead", ok and ing.items["dead-1"] == [pb.DEAD, pb.DEAD],
            str(ing.items.get("dead-1")))

    q = T.Dealer(data)
    r = q.ask(kind=pb.STATS)
    own = {c.name: c.value for c in r.stats[0].counters} if r and r.stats else {}
    R.check("store_stats_counts", own.get("articles") == 80 and own.get("events") == len(expected)
            and own.get("dead_letters") == 1 and own.get("malformed", 0) >= 2 and own.get("duplicates") == 6,
            str(own))

    def seqs(**f):
        out, after = [], 0
        while True:
            r = q.ask(kind=pb.EVENTS, after_seq=after, limit=7, **f)
            if r is None or r.error:
                return "error %s" % (r and r.error)
            out += [e.seq for e in r.events]
            if not r.events:
                return out
            after = r.events[-1].seq

    def want(pred):
        return [s for s, aid, e, pub in expected if pred(e, pub)]

    involved = lambda e: set(e["actor"]) | set(e["recipient"])  # noqa: E731
    cases = {
        "all": ({}, lambda e, p: True),
        "type": ({"types": ["CONSULT"]}, lambda e, p: e["type"] == "CONSULT"),
        "types": ({"types": ["accuse", "AID"]}, lambda e, p: e["type"] in ("ACCUSE", "AID")),
        "country": ({"countries": ["MLI"]}, lambda e, p: "MLI" in involved(e)),
        "countries": ({"countries": ["TGO", "IGO:UN"]}, lambda e, p: involved(e) & {"TGO", "IGO:UN"}),
        "pair": ({"pair": ["MAR", "DZA"]}, lambda e, p: {"MAR", "DZA"} <= involved(e)),
        "type_country": ({"types": ["SUPPORT"], "countries": ["FRA"]},
                         lambda e, p: e["type"] == "SUPPORT" and "FRA" in involved(e)),
        "date_range": ({"date_from": "2021-03-01", "date_to": "2021-06-30"},
                       lambda e, p: overlaps(date_key(e, p), "2021-03-01", "2021-06-30")),
        "date_from_year": ({"date_from": "2022"}, lambda e, p: overlaps(date_key(e, p), "2022", "")),
        "person": ({"person": "GOITA"}, lambda e, p: any("goita" in fold_tokens(n) for n in e.get("persons", []))),
        "person_full": ({"person": "Kassym-Jomart Tokaïev"},
                        lambda e, p: any(fold_tokens("Kassym-Jomart Tokaïev") <= fold_tokens(n)
                                         for n in e.get("persons", []))),
        "country_date": ({"countries": ["KAZ"], "date_to": "2021-06"},
                         lambda e, p: "KAZ" in involved(e) and overlaps(date_key(e, p), "", "2021-06")),
    }
    for name, (f, pred) in cases.items():
        got, exp = seqs(**f), want(pred)
        R.check("store_query_" + name, got == exp and (name == "pair" or len(exp) > 0),
                "got %s expected %s" % (got, exp))
    r = q.ask(kind=pb.EVENTS, after_seq=10, limit=5)
    R.check("store_query_after_limit", r and [e.seq for e in r.events] == [11, 12, 13, 14, 15]
            and r.head_seq == len(expected), str(r and [e.seq for e in r.events]))
    r = q.ask(kind=pb.EVENTS, pair=["MLI"])
    R.check("store_query_bad_pair_refused", r is not None and r.error != "", str(r))
    r = q.ask(kind=pb.ARTICLE, id="art-007")
    R.check("store_query_article", r and r.article.article.id == "art-007"
            and len(r.article.events) == len(arts[7][2]), str(r and r.error))
    r = q.ask(kind=pb.DEAD_LETTERS)
    R.check("store_dead_letters_list", r and len(r.dead) == 1 and r.dead[0].rejection.id == "dead-1"
            and not r.dead[0].rejection.HasField("payload"), str(r))
    r = q.ask(kind=pb.DEAD_LETTER, id="dead-1")
    R.check("store_dead_letter_payload", r and len(r.dead) == 1 and r.dead[0].rejection.payload == b"<html>nothing</html>",
            str(r))

    # junk on the query socket: answered with an error or dropped, never fatal
    raw = T.ctx.socket(T.zmq.DEALER)
    raw.setsockopt(T.zmq.LINGER, 0)
    raw.connect(T.ep(data, "query"))
    raw.send(b"\xff\x00garbage")
    answered = raw.poll(3000)
    rep = pb.QueryReply()
    if answered:
        rep.ParseFromString(raw.recv_multipart()[-1])
    raw.send_multipart([b"a", b"b", b"c", b"d", b"e"])
    raw.send(pb.Query(version=7, kind=pb.EVENTS).SerializeToString())
    raw.send(b"")
    # both refused queries are answered; the 5-part message before them was dropped
    answered = answered and raw.poll(3000) and raw.recv_multipart() and raw.poll(3000) and raw.recv_multipart()
    r = q.ask(kind=pb.STATS)
    own = {c.name: c.value for c in r.stats[0].counters} if r and r.stats else {}
    R.check("store_query_junk_survives", answered and rep.error != "" and own.get("malformed", 0) >= 5,
            "error=%r counters=%s" % (rep.error, own.get("malformed")))
    raw.close()

    # the CLI, over the same data
    cli = os.path.join(T.BIN, "courant")
    if os.path.exists(cli):
        rc, out, err = T.run_cli(["events", "--json", "--country", "MLI", "--type", "CONSULT"], data)
        lines = T.json_lines(out) if rc == 0 else []
        exp = want(lambda e, p: e["type"] == "CONSULT" and "MLI" in involved(e))
        R.check("cli_events_filters", rc == 0 and [l["seq"] for l in lines] == exp
                and all(l["type"] == "CONSULT" and "article_id" in l for l in lines), err or out[:300])
        rc, out, err = T.run_cli(["events", "--json", "--pair", "MAR,DZA", "--limit", "2"], data)
        exp = want(lambda e, p: {"MAR", "DZA"} <= involved(e))[:2]
        R.check("cli_events_pair_limit", rc == 0 and [l["seq"] for l in T.json_lines(out)] == exp, err)
        rc, out, err = T.run_cli(["events", "--json", "--since", "5", "--from", "2021-01", "--to", "2021-02",
                                  "--person", "dussey"], data)
        exp = [s for s in want(lambda e, p: overlaps(date_key(e, p), "2021-01", "2021-02")
                               and any("dussey" in fold_tokens(n) for n in e.get("persons", []))) if s > 5]
        R.check("cli_events_dates_person_since", rc == 0 and [l["seq"] for l in T.json_lines(out)] == exp,
                err + out[:200])
        rc, out, err = T.run_cli(["article", "art-007"], data)
        rec = T.json_lines(out)[0] if rc == 0 and out.strip() else {}
        R.check("cli_article", rec.get("id") == "art-007" and len(rec.get("events", [])) == len(arts[7][2]), err)
        rc, out, err = T.run_cli(["article", "no-such-article"], data)
        R.check("cli_article_missing_exits_1", rc == 1, "rc=%d" % rc)
        rc, out, err = T.run_cli(["dead-letters", "--json"], data)
        dl = T.json_lines(out) if rc == 0 else []
        R.check("cli_dead_letters", len(dl) == 1 and dl[0]["id"] == "dead-1" and dl[0]["stage"] == "normalize"
                and dl[0]["reason"] == "empty after cleanup" and "at" in dl[0], err + out)
    else:
        print("SKIP cli tests: %s not built" % cli)
    q.close()
    feed.close()
    ing.close()
    rc = T.stop(store)
    R.check("store_sigterm_exit_0", rc == 0, "rc=%s" % rc)
    return R.failed


if __name__ == "__main__":
    T.run_main("subscribers_query", main)
