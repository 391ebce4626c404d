"""Body of tests/integration/store_retry.sh: a dead letter (as a stage would
send it) is listed by `courant dead-letters`, and `courant retry ID`
re-submits its payload to ingest, after which the article is stored."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import courant_testlib as T  # noqa: E402

SERVICES = ["ingest", "normalize", "relay", "extract"]


def main():
    R = T.Results()
    pb = T.load_proto()
    if not all(os.path.exists(os.path.join(T.BIN, x)) for x in ["courant"] + ["courant-" + s for s in SERVICES]):
        print("SKIP store_retry: binaries not built")
        return 0
    data = T.tmpdir()
    os.makedirs(data + "/run", exist_ok=True)
    T.start_store(data)
    for s in SERVICES:
        T.start([os.path.join(T.BIN, "courant-" + s), "--data", data])
    art = json.loads(open(os.path.join(T.SHARED, "corpus/seeds.jsonl")).readline())
    w = pb.Work(version=1)
    r = w.rejection
    r.version, r.id, r.seq, r.stage, r.reason = 1, "broken-1", 7, "normalize", "simulated failure"
    r.payload = art["text"].encode()
    feed = T.Feeder(data)
    feed.send(w)
    q = T.Dealer(data)
    for _ in range(200):
        rep = q.ask(kind=pb.DEAD_LETTERS)
        if rep and rep.dead:
            break
        time.sleep(0.01)  # bounded polling interval
    rc, out, err = T.run_cli(["dead-letters", "--json"], data)
    dl = T.json_lines(out) if rc == 0 else []
    R.check("retry_dead_letter_listed", [d["id"] for d in dl] == ["broken-1"] and dl[0]["reason"] == "simulated failure",
            out + err)
    rc, out, err = T.run_cli(["retry", "broken-1"], data)
    ans = T.json_lines(out)[0] if rc == 0 and out.strip() else {}
    R.check("retry_resubmitted", ans.get("status") == "accepted" and ans.get("retry_of") == "broken-1"
            and ans.get("id"), "rc=%d out=%s err=%s" % (rc, out, err))
    stored = None
    for _ in range(300):
        rep = q.ask(kind=pb.ARTICLE, id=ans.get("id", "?"))
        if rep and not rep.error:
            stored = rep.article
            break
        time.sleep(0.02)  # bounded polling interval
    R.check("retry_article_stored", stored is not None and stored.article.text != "", "not stored")
    rc, out, err = T.run_cli(["retry", "no-such-dead-letter"], data)
    R.check("retry_unknown_id_fails", rc == 1 and "not found" in err, "rc=%d err=%s" % (rc, err))
    q.close()
    feed.close()
    return R.failed


if __name__ == "__main__":
    T.run_main("store_retry", main)
