#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# buurten-server against PostgreSQL on loopback, reproducibly:
#   1. push of 10 000 mutations in batches of 500 (mutations/s);
#   2. wrk against GET /api/v1/sync/pull with a valid token (requests/s, p99),
#      side by side with pgbench -S (select-only) on the same cluster.
# Target: pull requests/s at least half of pgbench's select-only TPS.
#
#   bench/bench-server.sh [BUILD_DIR]     (default: build)
#
# Environment: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16).
# Prints a Markdown section for bench/RESULTS.md on stdout; progress on stderr.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$top/build}
server="$build/src/server/buurten-server"
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-16}
threads=2

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-server: %s\n' "$*" >&2; exit 1; }

[ -x "$server" ] || die "no $server (build first)"
command -v wrk >/dev/null || die "wrk is not installed"
pgbench=/usr/lib/postgresql/15/bin/pgbench
[ -x "$pgbench" ] || pgbench=$(command -v pgbench) || die "pgbench is not installed"

work=$(mktemp -d /tmp/buurten-bench.XXXXXX)
# The cluster runs as the postgres user when we are root: it must reach DIR.
chmod 0755 "$work"
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  "$top/tests/server/pg-fixture.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "Starting a throwaway PostgreSQL cluster"
pg=$("$top/tests/server/pg-fixture.sh" start "$work/pg")
db="$pg dbname=buurten_bench"
psql -X -q "$pg" -c "CREATE DATABASE buurten_bench" -c "CREATE DATABASE pgbench_bench"

"$server" --db "$db" migrate >/dev/null
"$server" --db "$db" import-municipality "$top/data/municipalities/hilversum.json" >/dev/null
printf 'benchmark password\n' >"$work/pw"
"$server" --db "$db" user add --username bench --role buurtcoordinator --wijk centrum \
  --password-file "$work/pw" >/dev/null

"$server" --db "$db" --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 100); do
  grep -q listening "$work/server.out" 2>/dev/null && break
  sleep 0.1
done
port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/server.out")
[ -n "$port" ] || die "the server did not start: $(cat "$work/server.err")"

say "Pushing 10 000 mutations in batches of 500"
read -r token cursor push_seconds push_rate < <(/usr/bin/python3 - "$port" <<'PY'
import http.client, json, sys, time, uuid
port = int(sys.argv[1])
conn = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        sys.exit("%s %s: %d %s" % (method, path, r.status, data[:300]))
    return json.loads(data)
token = call("POST", "/api/v1/session", {"username": "bench",
                                         "password": "benchmark password"})["token"]
client = str(uuid.uuid4())
mid = 0
batches = []
# A realistic mix: requests, their updates and status changes, initiatives
# and notes, 500 mutations per push.
for b in range(20):
    muts = []
    while len(muts) < 500:
        rid = str(uuid.uuid4())
        ini = str(uuid.uuid4())
        for name, args in (
            ("request.create", {"id": rid, "wijk": "centrum", "type": "melding",
                                "title": "Melding %d" % mid, "description": "Losse tegel",
                                "received_at": "2021-03-01T09:00:00Z",
                                "reporter": {"name": "Bewoner", "contact": "b@example.org"}}),
            ("request.update", {"id": rid, "base": {"description": 1},
                                "set": {"description": "Losse stoeptegel"}}),
            ("request.transition", {"id": rid, "expect_state": "nieuw",
                                    "to": "in_behandeling"}),
            ("initiative.create", {"id": ini, "wijk": "centrum", "title": "Initiatief",
                                   "requested_cents": 50000}),
            ("note.create", {"id": str(uuid.uuid4()), "subject_type": "initiative",
                             "subject_id": ini, "body": "Gebeld"}),
        ):
            if len(muts) == 500:
                break
            mid += 1
            muts.append({"mid": mid, "name": name, "args": args})
    batches.append(muts)
t0 = time.time()
for muts in batches:
    r = call("POST", "/api/v1/sync/push", {"client_id": client, "schema": 1, "mutations": muts},
             token)
    bad = [x for x in r["results"] if x["status"] != "applied"]
    if bad:
        sys.exit("rejected: %r" % bad[:3])
elapsed = time.time() - t0
cursor = None
while True:
    q = "/api/v1/sync/pull?limit=1000" + ("&cursor=" + cursor if cursor else "")
    r = call("GET", q, token=token)
    cursor = r["cursor"]
    if not r["more"]:
        break
print(token, cursor, "%.2f" % elapsed, "%.0f" % (10000 / elapsed))
PY
)

say "wrk: GET /api/v1/sync/pull (up to date) for ${seconds}s, $connections connections"
cat >"$work/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/auth.lua" \
  "http://127.0.0.1:$port/api/v1/sync/pull?cursor=$cursor" >"$work/wrk.txt"
pull_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.txt")
pull_p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
pull_errors=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")

say "wrk: GET /api/v1/sync/pull?limit=100 from the start (100 rows a page)"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/auth.lua" \
  "http://127.0.0.1:$port/api/v1/sync/pull?limit=100" >"$work/wrk-page.txt"
page_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk-page.txt")
page_p99=$(awk '$1 == "99%" {print $2}' "$work/wrk-page.txt")

say "pgbench -S for ${seconds}s, $connections clients"
"$pgbench" -i -q -s 10 "$pg dbname=pgbench_bench" >/dev/null 2>&1
"$pgbench" -S -n -c "$connections" -j "$threads" -T "$seconds" "$pg dbname=pgbench_bench" \
  >"$work/pgbench.txt" 2>&1
pg_tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]; exit}' "$work/pgbench.txt")

ratio=$(awk -v a="$pull_rps" -v b="$pg_tps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r + 0 >= 0.5) ? "met" : "NOT met" }')

cat <<MD
## buurten-server ($(date -u +%Y-%m-%d), $(nproc) CPUs, loopback)

| measurement | result |
| --- | --- |
| push: 10 000 mutations in 20 batches of 500 | ${push_seconds} s, **${push_rate} mutations/s** |
| wrk GET /api/v1/sync/pull (up to date), ${connections} connections, ${seconds} s | **${pull_rps} requests/s**, p99 ${pull_p99}${pull_errors:+, non-2xx: $pull_errors} |
| wrk GET /api/v1/sync/pull?limit=100 (100 changes a page) | ${page_rps} requests/s, p99 ${page_p99} |
| pgbench -S (select-only), ${connections} clients, scale 10 | **${pg_tps} TPS** |
| pull requests/s ÷ pgbench TPS | ${ratio} (target ≥ 0.5: ${verdict}) |

Both run against the same PostgreSQL 15 cluster (fsync off); the server with
its default pool (twice the CPUs). Each pull checks its session and roles
and reads the change log of the user's wijken in one prepared statement;
up-to-date pulls are answered from the main loop without a worker thread.
MD
