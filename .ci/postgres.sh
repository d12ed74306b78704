#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster initdb'd into a
# temporary folder, listening on 127.0.0.1 on a free port, trusted local connections only.
#
#   url=$(.ci/postgres.sh start DIR)   # prints the DATABASE_URL of the database "archive"
#   .ci/postgres.sh stop DIR           # stops the server and removes DIR
#   .ci/postgres.sh run CMD ARGS...    # start in a new temporary folder, run CMD with
#                                      # DATABASE_URL set, stop (also on failure); CMD's status
#
# DIR must not exist yet (start creates it). Messages go to stderr, so that stdout is the URL.
# Run as root, the server runs as the "postgres" user (PostgreSQL refuses to run as root).
set -euo pipefail

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; fi
  done | sort -V | tail -n 1
}

ensure_installed() {
  if [ -n "$(pg_bin)" ]; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "postgres.sh: installing Debian's postgresql" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
  if [ -z "$(pg_bin)" ]; then
    echo "postgres.sh: no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb): run 'apt-get install postgresql' as root" >&2
    exit 1
  fi
}

# As root, every server command runs as the postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local dir=$1 bin port
  ensure_installed
  bin=$(pg_bin)
  if [ -e "$dir" ]; then echo "postgres.sh: $dir already exists" >&2; exit 1; fi
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(free_port)
  # Durability is not what the tests measure: no fsync makes the suite faster. The socket goes in
  # DIR, never in /var/run/postgresql, so that several servers can run side by side.
  as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --silent start \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$port" >"$dir/port"
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres archive >&2
  echo "postgres://postgres@127.0.0.1:$port/archive"
}

stop() {
  local dir=$1 bin
  bin=$(pg_bin)
  if [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --wait --silent stop -m fast >&2 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) [ $# = 2 ] || { echo "usage: $0 start DIR" >&2; exit 2; }; start "$2" ;;
  stop) [ $# = 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$2" ;;
  run)
    shift
    [ $# -ge 1 ] || { echo "usage: $0 run CMD [ARGS...]" >&2; exit 2; }
    parent=$(mktemp -d "${TMPDIR:-/tmp}/archive-pg.XXXXXX")
    chmod 755 "$parent"
    trap 'stop "$parent/pg"; rm -rf "$parent"' EXIT
    DATABASE_URL=$(start "$parent/pg")
    export DATABASE_URL
    echo "postgres.sh: DATABASE_URL=$DATABASE_URL" >&2
    status=0
    "$@" || status=$?
    exit "$status"
    ;;
  *) echo "usage: $0 start DIR | stop DIR | run CMD [ARGS...]" >&2; exit 2 ;;
esac
