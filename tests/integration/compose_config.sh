#!/usr/bin/env bash
# docker-compose.yml is valid (Debian's docker-compose `config -q`; no engine
# needed) and has the promised shape: one service per component, replicated
# worker pools, named volumes for the two LMDB environments, tcp endpoints
# between containers that match the port plan.
set -u
T=compose_config
root=${COURANT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
file=$root/docker-compose.yml
if ! command -v docker-compose >/dev/null; then
	echo "FAIL $T:docker-compose: not installed (deploy/install-deps installs it)"
	exit 1
fi
if err=$(docker-compose -f "$file" config -q 2>&1); then
	echo "PASS $T:config-q"
else
	echo "FAIL $T:config-q: $err"
	exit 1
fi
# Structure checks on the normalized output, with Debian's python3-yaml
# (a docker-compose dependency).
docker-compose -f "$file" config | /usr/bin/python3 -c '
import sys, yaml
T = "compose_config"
c = yaml.safe_load(sys.stdin)
svc = c.get("services", {})
def check(name, ok, why=""):
    print(("PASS %s:%s" % (T, name)) if ok else ("FAIL %s:%s: %s" % (T, name, why)))
for s in ("ingest", "relay", "store", "normalize", "extract"):
    check("service-" + s, s in svc, "missing")
def replicas(s):
    return int(svc.get(s, {}).get("deploy", {}).get("replicas", 1))
for s in ("normalize", "extract"):
    check(s + "-replicated", replicas(s) > 1, "replicas=%d" % replicas(s))
for s in ("ingest", "relay", "store"):
    check(s + "-single", replicas(s) == 1, "stable points bind: one replica")
vols = c.get("volumes", {}) or {}
def mounts(s):
    out = []
    for v in svc.get(s, {}).get("volumes", []):
        out.append(v["source"] if isinstance(v, dict) else v.split(":")[0])
    return out
check("volume-ingest-journal", "ingest-journal" in vols and "ingest-journal" in mounts("ingest"), str(mounts("ingest")))
check("volume-store-data", "store-data" in vols and "store-data" in mounts("store"), str(mounts("store")))
def env(s):
    return svc.get(s, {}).get("environment", {}) or {}
binds = {("ingest", "SUBMIT"): 7101, ("ingest", "WORK"): 7102, ("ingest", "ACK"): 7103,
         ("relay", "RELAY_IN"): 7201, ("relay", "RELAY_OUT"): 7202,
         ("store", "STORE_IN"): 7301, ("store", "QUERY"): 7302, ("store", "EVENTS"): 7303}
for (s, n), port in binds.items():
    v = env(s).get("COURANT_%s_ENDPOINT" % n)
    check("bind-%s-%s" % (s, n.lower()), v == "tcp://*:%d" % port, repr(v))
connects = {("normalize", "WORK"): "ingest:7102", ("normalize", "RELAY_IN"): "relay:7201",
            ("extract", "RELAY_OUT"): "relay:7202", ("extract", "STORE_IN"): "store:7301",
            ("store", "ACK"): "ingest:7103"}
for (s, n), hp in connects.items():
    v = env(s).get("COURANT_%s_ENDPOINT" % n)
    check("connect-%s-%s" % (s, n.lower()), v == "tcp://" + hp, repr(v))
for s in svc:
    cmd = svc[s].get("command") or []
    check("command-" + s, len(cmd) > 0 and cmd[0] == "courant-" + s, repr(cmd))
'
# the image the compose file names is built by a two-stage Debian 12 Dockerfile
df=$root/deploy/Dockerfile
if [[ $(grep -cE '^FROM debian:12(-slim)?( |$)' "$df" 2>/dev/null) == 2 ]] && grep -q '^FROM debian:12-slim' "$df"; then
	echo "PASS $T:dockerfile-two-stage"
else
	echo "FAIL $T:dockerfile-two-stage: $df should build on debian:12 and run on debian:12-slim"
fi
for lib in libzmq5 libprotobuf-c1 liblmdb0 libcld2-0 libutf8proc2 libstemmer0d; do
	if grep -q "$lib" "$df"; then echo "PASS $T:runtime-$lib"; else echo "FAIL $T:runtime-$lib: missing from $df"; fi
done
