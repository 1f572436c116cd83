#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A throwaway PostgreSQL 15 cluster for the server tests and benchmarks.
#
#   pg-fixture.sh start DIR   creates a cluster in DIR (a fresh, empty or new
#                             directory), starts it and prints ONE line on
#                             stdout: a libpq connection string with
#                             superuser rights
#   pg-fixture.sh stop DIR    stops it (the caller removes DIR)
#
# The cluster runs as an unprivileged user: PostgreSQL refuses to run as
# root, so under root it runs as the Debian `postgres` user (the postgresql
# package creates it). It listens on a unix socket in DIR/sock and on
# 127.0.0.1 only; fsync is off, which is fine for a cluster that is thrown
# away. Environment: BUURTEN_PG_PORT (default: a free port from 54329 up).
set -euo pipefail

bindir=${BUURTEN_PG_BINDIR:-/usr/lib/postgresql/15/bin}

die() { printf 'pg-fixture: %s\n' "$*" >&2; exit 1; }

run_as() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cmd_start() {
  local dir=$1 port user
  [ -x "$bindir/initdb" ] || die "no PostgreSQL in $bindir (install postgresql)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  mkdir -p "$dir/data" "$dir/sock"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no postgres user (install postgresql)"
    chown -R postgres: "$dir"
    # The postgres user must be able to reach the directory.
    chmod 0755 "$dir"
    user=postgres
  else
    user=$(id -un)
  fi

  port=${BUURTEN_PG_PORT:-54329}
  if [ -z "${BUURTEN_PG_PORT:-}" ]; then
    while ! port_free "$port"; do port=$((port + 1)); done
  fi

  run_as "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      die "initdb failed"
    }
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
log_min_messages = warning
CONF
  run_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
    >/dev/null 2>&1 || {
      cat "$dir/postgres.log" >&2 || true
      die "PostgreSQL did not start"
    }
  echo "host=$dir/sock port=$port user=postgres dbname=postgres"
}

cmd_stop() {
  local dir=$1
  [ -d "$dir/data" ] || return 0
  run_as "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) [ $# -eq 2 ] || die "usage: pg-fixture.sh start DIR"; cmd_start "$2" ;;
  stop)  [ $# -eq 2 ] || die "usage: pg-fixture.sh stop DIR"; cmd_stop "$2" ;;
  *) echo "usage: pg-fixture.sh start|stop DIR" >&2; exit 2 ;;
esac
