#!/usr/bin/env bash
# Several CrowdWatch nodes on one machine, on the engines a real deployment uses:
#   scripts/cluster.sh up [N]   redis-server (append-only file, fsync always) and a throw-away PostgreSQL/PostGIS cluster
#                               on 127.0.0.1, N nodes (default 3) on ports 5101.., the sample city's National Day evening
#                               posted to them round-robin (moved to end now), then the addresses
#   scripts/cluster.sh down     stops what "up" started, by the PIDs it wrote, and removes its data
#   scripts/cluster.sh status   which of them still run
# Settings: CROWDWATCH_CLUSTER_DIR (default /tmp/crowdwatch-cluster), CROWDWATCH_CLUSTER_PORT (default 5100: nodes on
# 5101.., Redis on 5179, PostgreSQL on 5132). Needs redis-server and postgresql-15-postgis-3 (Debian).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state=${CROWDWATCH_CLUSTER_DIR:-/tmp/crowdwatch-cluster}
base=${CROWDWATCH_CLUSTER_PORT:-5100}
redis_port=$((base + 79))
pg_port=$((base + 32))
dll=$root/src/Dashboard/bin/Release/net10.0/crowdwatch.dll
sample=$root/data/samples/chongqing/simulated
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

up() {
  local n=${1:-3}
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || { echo "up N: N is 1 to 99 nodes" >&2; exit 2; }
  if [ -f "$state/pids" ]; then echo "a cluster is up already ($state); scripts/cluster.sh down first" >&2; exit 1; fi
  command -v redis-server >/dev/null || { echo "redis-server not found: apt-get install redis-server" >&2; exit 1; }
  local bin; bin=$(pg_bin); [ -n "$bin" ] || { echo "PostgreSQL not found: apt-get install postgresql-15-postgis-3" >&2; exit 1; }
  mkdir -p "$state/redis" "$state/logs" "$state/pg"
  : > "$state/pids"
  echo "building ..."
  dotnet build "$root/src/Dashboard" -c Release -nologo -v q >/dev/null

  # The ingest log: an append-only file written through on every command, so an acknowledged post survives a crash.
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" --save "" --appendonly yes --appendfsync always \
    --daemonize yes --pidfile "$state/redis.pid" --logfile "$state/logs/redis.log"
  for _ in $(seq 50); do [ -s "$state/redis.pid" ] && break; sleep 0.1; done
  echo "redis $(cat "$state/redis.pid")" >> "$state/pids"

  [ "$(id -u)" -eq 0 ] && chown postgres "$state/pg" "$state/logs"
  as_postgres "$bin/initdb" -D "$state/pg" -U crowdwatch --auth=trust -E UTF8 --no-instructions >/dev/null
  as_postgres "$bin/pg_ctl" -D "$state/pg" -l "$state/logs/postgres.log" -w -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $state/pg" start >/dev/null
  echo "postgres $(head -1 "$state/pg/postmaster.pid")" >> "$state/pids"

  export Store__Provider=postgres ConnectionStrings__CrowdWatch="Host=127.0.0.1;Port=$pg_port;Username=crowdwatch;Database=postgres"
  dotnet "$dll" db migrate
  local key operator pseudonym urls=""
  key=$(dotnet "$dll" keys issue "cluster-feed-$$" --role ingest 2>/dev/null)
  operator=$(dotnet "$dll" keys issue "cluster-operator-$$" --role operator 2>/dev/null)
  pseudonym="base64:$(head -c 32 /dev/urandom | base64 -w0)"
  for i in $(seq "$n"); do
    local port=$((base + i))
    # Every node plays every role; the one pseudonym key makes a device the same pseudonym on every front-end.
    (cd "$root/src/Dashboard" && exec dotnet "$dll" --urls "http://127.0.0.1:$port" --Cluster:Redis "127.0.0.1:$redis_port" --Cluster:NodeId "node-$i" \
      --Cluster:BlockCells 32 --Ingest:PseudonymKey "$pseudonym" --Ingest:LatenessMinutes 30 --Replay:Enabled false \
      > "$state/logs/node-$i.log" 2>&1) &
    echo "node-$i $!" >> "$state/pids"
    urls="$urls${urls:+,}http://127.0.0.1:$port"
  done
  for u in ${urls//,/ }; do
    for _ in $(seq 600); do curl -fs "$u/alive" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fs "$u/alive" >/dev/null || { echo "$u did not come up; see $state/logs" >&2; exit 1; }
  done

  echo "posting the sample evening round-robin to $n node(s) ..."
  dotnet "$dll" send --to "$urls" --key "$key" --area chongqing --end-now --pings "$sample/pings.csv.gz" --searches "$sample/searches.csv.gz"
  echo
  echo "nodes:      ${urls//,/ }   (web map on each; logs in $state/logs)"
  echo "redis:      127.0.0.1:$redis_port   postgres: Host=127.0.0.1;Port=$pg_port;Username=crowdwatch;Database=postgres"
  echo "ingest key: $key"
  echo "operator:   $operator"
  echo "stop:       scripts/cluster.sh down"
}

down() {
  [ -f "$state/pids" ] || { echo "no cluster is up ($state)"; return 0; }
  while read -r name pid; do
    case $name in
      postgres) as_postgres "$(pg_bin)/pg_ctl" -D "$state/pg" -m fast -w stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true ;;
      *) kill "$pid" 2>/dev/null || true ;;
    esac
    echo "stopped $name ($pid)"
  done < <(tac "$state/pids")
  sleep 1
  rm -rf "$state"
}

status() {
  [ -f "$state/pids" ] || { echo "no cluster is up ($state)"; return 0; }
  while read -r name pid; do
    if kill -0 "$pid" 2>/dev/null; then echo "$name $pid running"; else echo "$name $pid gone"; fi
  done < "$state/pids"
}

case ${1:-} in
  up) up "${2:-3}" ;;
  down) down ;;
  status) status ;;
  *) echo "usage: scripts/cluster.sh up [N] | down | status" >&2; exit 2 ;;
esac
