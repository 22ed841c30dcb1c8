#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 (Debian's postgresql-15-postgis-3) for benchmarks and trials,
# and prints its connection string. Stop it with: scripts/pg-scratch.sh stop
set -euo pipefail
dir=${CROWDWATCH_PG_DIR:-/tmp/crowdwatch-pg-scratch}
port=${CROWDWATCH_PG_PORT:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "${1:-}" = "stop" ]; then run "$bin/pg_ctl" -D "$dir" -m fast -w stop; exit 0; fi
if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  run "$bin/initdb" -D "$dir" -U crowdwatch --auth=trust -E UTF8 --no-instructions >/dev/null
fi
run "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
echo "Host=127.0.0.1;Port=$port;Username=crowdwatch;Database=postgres"
