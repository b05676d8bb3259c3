#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (never the system cluster):
#   tests/postgres/cluster.sh start DIR   initdb in DIR, start it, print its URL on stdout
#   tests/postgres/cluster.sh stop DIR    stop it and remove DIR
# The server listens on 127.0.0.1 on a free port and on a Unix socket in DIR,
# trusts every local connection (superuser "postgres", no password) and keeps
# fsync and synchronous_commit on. PostgreSQL refuses to run as root: as root
# the cluster belongs to the "postgres" system user that Debian's
# postgresql-15 package creates, and DIR is handed to that user.
# Needs only postgresql-15 (apt-get install postgresql-15).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
MARKER=suaradesa-test-cluster

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# True when something listens on TCP port $1 (read from /proc: no ss/netstat needed).
port_in_use() {
  local hex
  hex=$(printf '%04X' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }'
}

start() {
  local dir=$1
  [ -x "$PG_BIN/initdb" ] || die "$PG_BIN/initdb not found: apt-get install postgresql-15"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' system user: apt-get install postgresql-15"
    chown postgres:postgres "$dir"
    as_owner test -w "$dir" ||
      die "the postgres user cannot write $dir (is a parent directory private to root?)"
  fi
  touch "$dir/$MARKER"

  as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-instructions >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  }
  cat >>"$dir/data/postgresql.conf" <<EOF

# tests/postgres/cluster.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
EOF

  # A port that looks free can still be taken by the time the server binds
  # it, so a failed start is retried on another port.
  local attempt port=""
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 \
      start >/dev/null; then
      break
    fi
    port=""
  done
  if [ -z "$port" ]; then
    tail -n 20 "$dir/server.log" >&2 || true
    die "the server did not start (log: $dir/server.log)"
  fi

  local tries
  for tries in $(seq 1 100); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U postgres && break
    [ "$tries" -eq 100 ] && die "the server does not accept connections on port $port"
    sleep 0.1
  done
  local url="postgresql://postgres@127.0.0.1:$port/postgres"
  echo "$url" >"$dir/url"
  echo "$url"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  [ -e "$dir/$MARKER" ] || die "$dir was not made by cluster.sh start; not removing it"
  if [ -e "$dir/data/postmaster.pid" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" stop -m fast -w -t 60 >/dev/null ||
      echo "cluster.sh: pg_ctl stop failed; removing $dir anyway" >&2
  fi
  rm -rf "$dir"
}

[ $# -eq 2 ] || die "usage: cluster.sh start|stop DIR"
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) die "usage: cluster.sh start|stop DIR" ;;
esac
