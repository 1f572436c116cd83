#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TLS as deployed (issue 13, point 6): Debian's nginx with
# docs/nginx-buurten.conf as shipped (only its ports, names, certificate
# and log paths replaced) and a test certificate authority, in front of the
# real buurten-server on a real PostgreSQL; the app's sync client
# (tests/sync/buurten-client, the real sync library) against it.
#
#   test-nginx.sh BUURTEN_SERVER BUURTEN_CLIENT SOURCE_DIR
#
# BUURTEN_TEST_PG as for the server tests (skipped without it, or without
# nginx). Output is TAP.
set -uo pipefail

server_bin=$1
client_bin=$2
top=$3
pg=${BUURTEN_TEST_PG:-}
nginx=$(command -v nginx || echo /usr/sbin/nginx)

if [ -z "$pg" ]; then
  echo "1..0 # SKIP BUURTEN_TEST_PG is not set (./dev test starts PostgreSQL)"
  exit 0
fi
if [ ! -x "$nginx" ]; then
  echo "1..0 # SKIP nginx is not installed (./dev installs nginx-core)"
  exit 0
fi

work=$(mktemp -d /tmp/buurten-tls.XXXXXX)
chmod 0755 "$work"
db="buurten_tls_$$"
server_pid=
nginx_started=
cleanup() {
  [ -n "$nginx_started" ] && "$nginx" -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  psql -X -q "$pg dbname=postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what" "command: $*"; fi; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "1..12"

# ---- a certificate authority and a certificate for localhost -------------------
(
  cd "$work" || exit 1
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Buurten test CA" \
    -keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
  # Only the name localhost: https://127.0.0.1 must then fail on the name.
  printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' > ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile ext -out server.pem
) >"$work/openssl.log" 2>&1 || { echo "Bail out! openssl: $(tail -3 "$work/openssl.log")"; exit 1; }

# ---- buurten-server on PostgreSQL ------------------------------------------------
psql -X -q "$pg dbname=postgres" -c "CREATE DATABASE $db" >/dev/null || { echo "Bail out! createdb"; exit 1; }
conn="$pg dbname=$db"
"$server_bin" --db "$conn" migrate >/dev/null 2>&1 &&
  "$server_bin" --db "$conn" import-municipality "$top/data/municipalities/hilversum.json" >/dev/null 2>&1 &&
  printf 'tls test password\n' >"$work/pw" &&
  "$server_bin" --db "$conn" user add --username tls --role buurtcoordinator --wijk centrum \
    --password-file "$work/pw" >/dev/null 2>&1 || { echo "Bail out! server set-up"; exit 1; }

backend=$(free_port)
G_DEBUG=gc-friendly,fatal-criticals "$server_bin" --db "$conn" --listen "127.0.0.1:$backend" --trust-proxy >"$work/server.log" 2>&1 &
server_pid=$!

# ---- nginx with the shipped configuration ------------------------------------------
https_port=$(free_port)
http_port=$(free_port)
sed -e "s|server 127.0.0.1:8080 |server 127.0.0.1:$backend |" \
    -e "/server 127.0.0.1:8081 /d" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "/listen \[::\]/d" \
    -e "s|server_name buurten.example.nl;|server_name localhost;|" \
    -e "s|/etc/letsencrypt/live/buurten.example.nl/fullchain.pem|$work/server.pem|" \
    -e "s|/etc/letsencrypt/live/buurten.example.nl/privkey.pem|$work/server.key|" \
    -e "s|/var/log/nginx/buurten.access.log|$work/access.log|" \
    "$top/docs/nginx-buurten.conf" >"$work/buurten.conf"
user_line=
[ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$work/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 256; }
http {
    access_log $work/access.log;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    include $work/buurten.conf;
}
CONF

if "$nginx" -t -c "$work/nginx.conf" -p "$work" >"$work/nginx-t.log" 2>&1; then
  ok "nginx -t accepts docs/nginx-buurten.conf"
else
  not_ok "nginx -t accepts docs/nginx-buurten.conf" "$(cat "$work/nginx-t.log")"
  exit 1
fi
"$nginx" -c "$work/nginx.conf" -p "$work" 2>"$work/nginx-start.log" && nginx_started=1
for _ in $(seq 50); do
  curl -s -o /dev/null --cacert "$work/ca.pem" "https://localhost:$https_port/api/v1/health" && break
  sleep 0.2
done

base="https://localhost:$https_port"

# ---- TLS: versions, the name, the headers ----------------------------------------------
check "TLS 1.2 is accepted" \
  sh -c "echo | openssl s_client -connect 127.0.0.1:$https_port -servername localhost -tls1_2 >/dev/null 2>&1"
check "TLS 1.1 is refused" \
  sh -c "! (echo | openssl s_client -connect 127.0.0.1:$https_port -servername localhost -tls1_1 >/dev/null 2>&1)"
headers=$(curl -s -D - -o /dev/null --cacert "$work/ca.pem" "$base/api/v1/health")
if printf '%s' "$headers" | grep -qi '^server: nginx\s*$' && printf '%s' "$headers" | grep -qi '^strict-transport-security:'; then
  ok "server_tokens off (no version), HSTS"
else
  not_ok "server_tokens off (no version), HSTS" "$headers"
fi
check "plain http is sent to https" \
  sh -c "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$http_port/api/v1/health | grep -q 301"
check "the configuration limits connections and requests" \
  sh -c "grep -q '^ *limit_conn buurten_conn' '$work/buurten.conf' && grep -q 'limit_req zone=buurten_api' '$work/buurten.conf' && grep -q 'limit_req zone=buurten_login' '$work/buurten.conf'"

# ---- the app's sync client -------------------------------------------------------------------
token=$(curl -s --cacert "$work/ca.pem" -H 'Content-Type: application/json' \
  -d '{"username":"tls","password":"tls test password"}' "$base/api/v1/session" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' 2>/dev/null)
if [ -n "$token" ]; then ok "login through nginx"; else not_ok "login through nginx" "$(tail -5 "$work/server.log")"; fi

out=$("$client_bin" --data-dir "$work/laptop" --server "$base" --ca-file "$work/ca.pem" \
  --token "$token" --actor tls sync 2>&1)
if printf '%s' "$out" | grep -q '"pages"'; then
  ok "the sync client syncs through nginx over TLS"
else
  not_ok "the sync client syncs through nginx over TLS" "$out"
fi

out=$("$client_bin" --data-dir "$work/laptop2" --server "https://127.0.0.1:$https_port" \
  --ca-file "$work/ca.pem" --token "$token" --actor tls sync 2>&1)
if printf '%s' "$out" | grep -q '"error"' && printf '%s' "$out" | grep -qi 'another address\|ander adres'; then
  ok "a certificate for another name is refused and named"
else
  not_ok "a certificate for another name is refused and named" "$out"
fi

out=$("$client_bin" --data-dir "$work/laptop3" --server "$base" --token "$token" --actor tls sync 2>&1)
if printf '%s' "$out" | grep -q '"error"'; then
  ok "an authority the system does not know is refused"
else
  not_ok "an authority the system does not know is refused" "$out"
fi

refused=0
for address in "http://127.0.0.2:$backend" "http://127.evil.example:$backend" \
               "http://localhost.evil.example:$backend" "http://[::2]:$backend"; do
  out=$("$client_bin" --data-dir "$work/laptop4" --server "$address" --token "$token" \
    --actor tls sync 2>&1)
  printf '%s' "$out" | grep -q '"error"' && printf '%s' "$out" | grep -q 'https' || {
    refused=1
    echo "# $address: $out"
  }
done
if [ "$refused" -eq 0 ]; then ok "plain http is refused for any host but this computer"; else not_ok "plain http is refused for any host but this computer"; fi

out=$("$client_bin" --data-dir "$work/laptop5" --server "http://127.0.0.1:$backend" \
  --token "$token" --actor tls sync 2>&1)
if printf '%s' "$out" | grep -q '"pages"'; then
  ok "plain http to 127.0.0.1 itself is allowed"
else
  not_ok "plain http to 127.0.0.1 itself is allowed" "$out"
fi

[ "$failed" -eq 0 ]
