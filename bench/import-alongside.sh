#!/usr/bin/env bash
# Issue 11 F4 at full size: check latency while one court imports N rows, on SQLite and on PostgreSQL.
#   bench/import-alongside.sh [--rows 200000] [--db sqlite|postgres|both] [--out DIR] [--alone]
# --alone: the import by itself, no checks or drafts alongside (issue 13 item 3: the import's own rows/s).
# BENCH_SERVER_DIR=<dir of a built Shixin.Server.dll>: run that server instead of this tree's (a baseline build of an
# older commit, measured in the same session so that the ratio holds).
# Starts the real server (Release build, Production environment) on a fresh data directory for each database
# (PostgreSQL: a throwaway cluster from /usr/lib/postgresql/15 with its default durable settings), then runs
# `Shixin.Bench import-alongside`: two check loops and one draft loop over HTTP while the import runs in one request.
# Results: $OUT/results/import-alongside-<db>.json and the log lines; bench/RESULTS-import.md is written by hand from them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROWS=200000
DBS=both
OUT="$ROOT/bench/out/import-alongside"
ALONE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --db) DBS=$2; shift 2 ;;
    --out) OUT=$(realpath -m "$2"); shift 2 ;;
    --alone) ALONE=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$DBS" = both ] && DBS="sqlite postgres"
ADMIN_KEY=sx_bench_admin_key_0123456789
PORT=${BENCH_IMPORT_PORT:-5398}
PG_PORT=${BENCH_IMPORT_PG_PORT:-5399}
PGBIN=${SHIXIN_PG_BIN:-/usr/lib/postgresql/15/bin}
log() { echo "$(date +%H:%M:%S) $*"; }
mkdir -p "$OUT/results"

log "building (Release)"
dotnet build -c Release src/Shixin.Server/Shixin.Server.csproj -v q -nologo | grep -E " error |rror\(s\)" || true
dotnet build -c Release bench/Shixin.Bench/Shixin.Bench.csproj -v q -nologo | grep -E " error |rror\(s\)" || true
SERVER_DIR=${BENCH_SERVER_DIR:-"$ROOT/src/Shixin.Server/bin/Release/net10.0"}

SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -d "$OUT/pg/data" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OUT/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "not ready: $1" >&2; return 1
}

for DB in $DBS; do
  rm -rf "$OUT/data-$DB"; mkdir -p "$OUT/data-$DB"
  ENV=(SHIXIN_DATA_DIR="$OUT/data-$DB" SHIXIN_ADMIN_KEY="$ADMIN_KEY" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=)
  if [ "$DB" = postgres ]; then
    rm -rf "$OUT/pg"; mkdir -p "$OUT/pg"; chown postgres "$OUT/pg"
    runuser -u postgres -- "$PGBIN/initdb" -D "$OUT/pg/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OUT/pg/data" -l "$OUT/pg/log" -w -t 120 start \
      -o "-p $PG_PORT -k $OUT/pg -c listen_addresses=127.0.0.1 -c max_connections=100" >/dev/null
    psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE shixin_import"
    ENV+=(SHIXIN_DATABASE=postgres SHIXIN_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=shixin_import;Command Timeout=600")
  else
    ENV+=(SHIXIN_DATABASE=sqlite)
  fi
  log "$DB: starting the server on port $PORT"
  (cd "$SERVER_DIR" && exec env "${ENV[@]}" dotnet Shixin.Server.dll --urls "http://127.0.0.1:$PORT") > "$OUT/server-$DB.log" 2>&1 &
  SERVER_PID=$!
  wait_ready "http://127.0.0.1:$PORT/readyz"
  log "$DB: $ROWS rows"
  set +e
  dotnet bench/Shixin.Bench/bin/Release/net10.0/Shixin.Bench.dll import-alongside --url "http://127.0.0.1:$PORT" --admin-key "$ADMIN_KEY" \
    --rows "$ROWS" --alone "$ALONE" --result "$OUT/results/import-alongside-$DB.json" | tee "$OUT/results/import-alongside-$DB.log"
  RC=${PIPESTATUS[0]}
  set -e
  log "$DB: exit $RC; server 5xx log lines: $(grep -c ' fail: ' "$OUT/server-$DB.log" || true)"
  kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  if [ "$DB" = postgres ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OUT/pg/data" -m fast -w stop >/dev/null
  fi
done
