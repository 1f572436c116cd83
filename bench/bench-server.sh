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
# Environment: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16),
# BENCH_SERVER_ARGS (extra buurten-server options, e.g. "--http-threads 2"),
# BENCH_ROUNDS (default 3): wrk and pgbench take turns that many times and
# the medians are compared, so that load from elsewhere on the machine
# hits both sides alike.
# Prints a Markdown section for bench/RESULTS.md on stdout; progress on stderr.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$top/build}
server="$build/src/server/buurten-server"
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-16}
rounds=${BENCH_ROUNDS:-3}
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

"$server" --db "$db" --listen 127.0.0.1:0 ${BENCH_SERVER_ARGS:-} >"$work/server.out" 2>"$work/server.err" &
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

cat >"$work/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA

median() {
  sort -g | awk '{ v[NR] = $1 }
                 END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# CPU time in clock ticks, which other load on the machine changes far
# less than throughput: the server's, and the cluster's (the postmaster,
# the backends it reaped, and the live ones).
hz=$(getconf CLK_TCK)
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
pg_ticks() {
  local pm
  pm=$(head -1 "$work/pg/data/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for child in $(pgrep -P "$pm"); do
      awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || true
    done; } | awk '{ n += $1 } END { print n }'
}
# Microseconds per request: ticks or "user sys" seconds, divided by count.
per_request() { awk -v n="$2" -v hz="$hz" '{ t = (NF == 2) ? $1 + $2 : $1 / hz }
                                           END { printf "%.0f", t * 1e6 / n }' <<<"$1"; }

"$pgbench" -i -q -s 10 "$pg dbname=pgbench_bench" >/dev/null 2>&1
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$work/pull.txt"
: >"$work/pg.txt"
for round in $(seq "$rounds"); do
  say "round $round/$rounds: wrk GET /api/v1/sync/pull (up to date), ${seconds}s, $connections connections"
  s0=$(server_ticks); g0=$(pg_ticks)
  /usr/bin/time -f '%U %S' -o "$work/wrk.time" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/auth.lua" \
    "http://127.0.0.1:$port/api/v1/sync/pull?cursor=$cursor" >"$work/wrk.txt"
  s1=$(server_ticks); sleep 0.5; g1=$(pg_ticks)
  n=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
  { awk '/^Requests\/sec:/ { r = $2 } $1 == "99%" { p = $2 } /Non-2xx/ { e = $NF }
         END { printf "%s %s %s ", r, p, (e == "" ? 0 : e) }' "$work/wrk.txt"
    echo "$(per_request $((s1 - s0)) "$n") $(per_request $((g1 - g0)) "$n")" \
         "$(per_request "$(cat "$work/wrk.time")" "$n")"; } >>"$work/pull.txt"

  say "round $round/$rounds: pgbench -S, ${seconds}s, $connections clients"
  g0=$(pg_ticks)
  /usr/bin/time -f '%U %S' -o "$work/pgbench.time" \
    "$pgbench" -S -n -c "$connections" -j "$threads" -T "$seconds" "$pg dbname=pgbench_bench" \
    >"$work/pgbench.txt" 2>&1
  sleep 0.5; g1=$(pg_ticks)
  n=$(awk -F': ' '/transactions actually processed/ { split($2, a, "/"); print a[1] }' \
        "$work/pgbench.txt")
  { awk -F'= ' '/^tps/ { split($2, a, " "); printf "%s ", a[1]; exit }' "$work/pgbench.txt"
    echo "$(per_request $((g1 - g0)) "$n") $(per_request "$(cat "$work/pgbench.time")" "$n")"
  } >>"$work/pg.txt"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

pull_rps=$(cut -d' ' -f1 "$work/pull.txt" | median)
pull_p99s=$(cut -d' ' -f2 "$work/pull.txt" | paste -sd/ | sed 's|/| / |g')
pull_errors=$(awk '{ n += $3 } END { print n + 0 }' "$work/pull.txt")
pg_tps=$(cut -d' ' -f1 "$work/pg.txt" | median)
pull_all=$(cut -d' ' -f1 "$work/pull.txt" | xargs printf '%.0f / ' | sed 's| / $||')
pg_all=$(cut -d' ' -f1 "$work/pg.txt" | xargs printf '%.0f / ' | sed 's| / $||')
ratios=$(paste -d' ' <(cut -d' ' -f1 "$work/pull.txt") <(cut -d' ' -f1 "$work/pg.txt") |
         awk '{ printf "%s%.2f", (NR > 1 ? " / " : ""), $1 / $2 }')
cpu_server=$(cut -d' ' -f4 "$work/pull.txt" | median)
cpu_pg_pull=$(cut -d' ' -f5 "$work/pull.txt" | median)
cpu_wrk=$(cut -d' ' -f6 "$work/pull.txt" | median)
cpu_pg_bench=$(cut -d' ' -f2 "$work/pg.txt" | median)
cpu_pgbench=$(cut -d' ' -f3 "$work/pg.txt" | median)
capacity=$(awk -v a="$cpu_server" -v b="$cpu_pg_pull" -v c="$cpu_wrk" -v d="$cpu_pg_bench" \
             -v e="$cpu_pgbench" 'BEGIN { printf "%.2f", (d + e) / (a + b + c) }')

say "wrk: GET /api/v1/sync/pull?limit=100 from the start (100 rows a page)"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/auth.lua" \
  "http://127.0.0.1:$port/api/v1/sync/pull?limit=100" >"$work/wrk-page.txt"
page_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk-page.txt")
page_p99=$(awk '$1 == "99%" {print $2}' "$work/wrk-page.txt")

ratio=$(awk -v a="$pull_rps" -v b="$pg_tps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r + 0 >= 0.5) ? "met" : "NOT met" }')

cat <<MD
## buurten-server ($(date -u +%Y-%m-%d), $(nproc) CPUs, loopback)

Load average (1, 5, 15 min) before: $load_before; after: $load_after.

| measurement | result |
| --- | --- |
| push: 10 000 mutations in 20 batches of 500 | ${push_seconds} s, **${push_rate} mutations/s** |
| wrk GET /api/v1/sync/pull (up to date), ${connections} connections, ${seconds} s, median of ${rounds} | **$(printf '%.0f' "$pull_rps") requests/s** (rounds: ${pull_all}; p99 ${pull_p99s}; non-2xx: ${pull_errors}) |
| pgbench -S (select-only), ${connections} clients, scale 10, median of ${rounds}, in turn with wrk | **$(printf '%.0f' "$pg_tps") TPS** (rounds: ${pg_all}) |
| pull requests/s ÷ pgbench TPS | **${ratio}** (per round: ${ratios}; target ≥ 0.5: ${verdict}) |
| wrk GET /api/v1/sync/pull?limit=100 (100 changes a page) | ${page_rps} requests/s, p99 ${page_p99} |
| CPU per up-to-date pull (median): server + PostgreSQL + wrk | ${cpu_server} + ${cpu_pg_pull} + ${cpu_wrk} µs |
| CPU per pgbench -S transaction (median): PostgreSQL + pgbench | ${cpu_pg_bench} + ${cpu_pgbench} µs |
| CPU per transaction ÷ CPU per pull (the ratio if both had the CPUs to themselves and used them fully) | ${capacity} |

Both run against the same PostgreSQL 15 cluster (fsync off). An
up-to-date pull is answered by an HTTP thread (\`--http-threads\`, by
default one per CPU) from pipelined connections of its own: one prepared
statement checks the session and roles and reads the clocks of the
user's scopes (a clock at the cursor's position: nothing new); the
waiting pulls, up to 16, go to PostgreSQL in one write with one Sync.
MD
