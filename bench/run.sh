#!/usr/bin/env bash
# The Shixin benchmark suite, one command: bench/run.sh [--scale N] [--related N] [--batch-lines N] [--duration S] [--out DIR]
#   [--only all|issue3|issue4] [--feed-events N]
# Generates the data, builds the index in-process, runs the real server, the bare endpoint, PostgreSQL (pgbench,
# COPY + JOIN) and Redis (redis-benchmark) on the same data (issue 3); then two server processes on one PostgreSQL
# for the distribution figures (issue 4: cross-node propagation, 100 webhook receivers, feed throughput); and
# writes bench/RESULTS.md. --only issue4 keeps the issue-3 results already in --out and adds the issue-4 ones.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCALE=10000000
RELATED=""
BATCH_LINES=10000000
DURATION=20
OUT="$ROOT/bench/out"
RESULTS_FILE="$ROOT/bench/RESULTS.md"
ONLY=all
FEED_EVENTS=200000
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --related) RELATED=$2; shift 2 ;;
    --batch-lines) BATCH_LINES=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --out) OUT=$(realpath -m "$2"); shift 2 ;;
    --results) RESULTS_FILE=$(realpath -m "$2"); shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --feed-events) FEED_EVENTS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
RELATED=${RELATED:-$((SCALE / 5))}
ADMIN_KEY=sx_bench_admin_key_0123456789
UNIT_KEY=sx_bench_unit_key_0123456789
SCENARIO=civil-aviation.ticket
PORT=${BENCH_PORT:-5391}
BARE_PORT=${BENCH_BARE_PORT:-5392}
PG_PORT=${BENCH_PG_PORT:-5393}
REDIS_PORT=${BENCH_REDIS_PORT:-5394}
HOOK_PORT=${BENCH_HOOK_PORT:-5395}
NODE_A_PORT=${BENCH_NODE_A_PORT:-5396}
NODE_B_PORT=${BENCH_NODE_B_PORT:-5397}
PGBIN=/usr/lib/postgresql/15/bin
R="$OUT/results"
log() { echo "$(date +%H:%M:%S) $*"; }

# --- tools -------------------------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
[ -x "$PGBIN/pgbench" ] || need+=(postgresql postgresql-contrib)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  [ -x "$PGBIN/pgbench" ] || PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)")
fi

log "building (Release)"
dotnet build -c Release src/Shixin.Server/Shixin.Server.csproj -v q -nologo | grep -E "error|Warn" || true
dotnet build -c Release bench/Shixin.Bench/Shixin.Bench.csproj -v q -nologo | grep -E "error|Warn" || true
dotnet build -c Release bench/BareEndpoint/BareEndpoint.csproj -v q -nologo | grep -E "error|Warn" || true

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
wait_ready() { # url timeout_s → seconds waited
  local t0; t0=$(date +%s.%N)
  for _ in $(seq 1 $(($2 * 10))); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then echo "$(echo "$(date +%s.%N) - $t0" | bc)"; return 0; fi
    sleep 0.1
  done
  echo "not ready: $1" >&2; return 1
}
run_wrk() { # name url route subjects connections
  PROBE="$OUT/probe.tsv" KEY="$UNIT_KEY" ROUTE="$3" SUBJECTS="$4" SCENARIO=$SCENARIO \
    wrk -t2 -c"$5" -d5s -s bench/wrk/checks.lua "$2" >/dev/null 2>&1 || true
  PROBE="$OUT/probe.tsv" KEY="$UNIT_KEY" ROUTE="$3" SUBJECTS="$4" SCENARIO=$SCENARIO \
    wrk -t2 -c"$5" -d"${DURATION}s" --latency -s bench/wrk/checks.lua "$2" > "$R/$1.txt" 2>&1 || true
  grep '^RESULT ' "$R/$1.txt" | sed 's/^RESULT //' > "$R/$1.json"
  log "  $1: $(cat "$R/$1.json")"
}
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "${RUN_PID:-}" ] && kill "$RUN_PID" 2>/dev/null || true
  [ -n "${BARE_PID:-}" ] && kill "$BARE_PID" 2>/dev/null || true
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  [ -n "${NODE_A_PID:-}" ] && kill "$NODE_A_PID" 2>/dev/null || true
  [ -n "${NODE_B_PID:-}" ] && kill "$NODE_B_PID" 2>/dev/null || true
  [ -d "$OUT/pg/data" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OUT/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ "$ONLY" != issue4 ]; then
rm -rf "$OUT"; mkdir -p "$R"
echo "{\"scale\":$SCALE,\"related\":$RELATED,\"batch_lines\":$BATCH_LINES,\"duration_s\":$DURATION,\"started\":$(date +%s)}" > "$R/run.json"

# --- 1–2: data, index, in-process ----------------------------------------------------------------------------
log "prepare: scale $SCALE, related $RELATED, batch $BATCH_LINES lines"
dotnet bench/Shixin.Bench/bin/Release/net10.0/Shixin.Bench.dll prepare --out "$OUT" --scale "$SCALE" --related "$RELATED" \
  --batch-lines "$BATCH_LINES" --admin-key "$ADMIN_KEY" --unit-key "$UNIT_KEY"


# --- 3: the real server -----------------------------------------------------------------------------------
log "starting the server (SQLite, $OUT/data)"
T0=$(date +%s.%N)
SHIXIN_DATA_DIR="$OUT/data" SHIXIN_DATABASE=sqlite SHIXIN_ADMIN_KEY="$ADMIN_KEY" ASPNETCORE_ENVIRONMENT=Production \
  dotnet run -c Release --project src/Shixin.Server --no-build -- --urls "http://127.0.0.1:$PORT" > "$OUT/server.log" 2>&1 &
RUN_PID=$!
READY=$(wait_ready "http://127.0.0.1:$PORT/readyz" 1800)
SERVER_PID=$(pgrep -P "$RUN_PID" | head -1 || true); SERVER_PID=${SERVER_PID:-$RUN_PID}
LOADED_MS=$(grep -o 'Screening index loaded: [0-9]* keys at list sequence [0-9]* in [0-9]* ms' "$OUT/server.log" | grep -o '[0-9]* ms' | grep -o '[0-9]*' || echo 0)
LOADED_KEYS=$(grep -o 'Screening index loaded: [0-9]* keys' "$OUT/server.log" | grep -o '[0-9]*' || echo 0)
RSS_LOADED=$(rss_kb "$SERVER_PID")
log "  ready after ${READY} s; index ${LOADED_KEYS} keys in ${LOADED_MS} ms; RSS ${RSS_LOADED} kB"

run_wrk wrk-shixin "http://127.0.0.1:$PORT" /api/v1/checks 1 64
run_wrk wrk-shixin-100 "http://127.0.0.1:$PORT" /api/v1/checks 100 16
log "1,000-subject batches"
dotnet bench/Shixin.Bench/bin/Release/net10.0/Shixin.Bench.dll http-batches --url "http://127.0.0.1:$PORT" --key "$UNIT_KEY" \
  --scenario $SCENARIO --probe "$OUT/probe.tsv" --rounds 30 --result "$R/http-batches.json" | tail -1

batch_run() { # name query
  local t0 t1 size
  t0=$(date +%s.%N)
  curl -sS -X POST -H "Authorization: Bearer $UNIT_KEY" -H 'Content-Type: text/csv' --data-binary @"$OUT/batch.csv" \
    "http://127.0.0.1:$PORT/api/v1/checks/batch?scenario=$SCENARIO$2" -o "$OUT/$1.out"
  t1=$(date +%s.%N)
  size=$(stat -c %s "$OUT/$1.out")
  local lines; lines=$(wc -l < "$OUT/$1.out")
  echo "{\"seconds\":$(echo "$t1 - $t0" | bc),\"lines_in\":$BATCH_LINES,\"lines_out\":$lines,\"bytes_out\":$size,\"rss_kb_after\":$(rss_kb "$SERVER_PID"),\"hwm_kb_after\":$(hwm_kb "$SERVER_PID")}" > "$R/$1.json"
  log "  $1: $(cat "$R/$1.json")"
  rm -f "$OUT/$1.out"
}
log "/checks/batch on $BATCH_LINES lines"
batch_run batch-hits "&only=hits"
batch_run batch-all ""
echo "{\"ready_s\":$READY,\"index_load_ms\":$LOADED_MS,\"index_keys\":$LOADED_KEYS,\"rss_kb_loaded\":$RSS_LOADED,\"rss_kb_end\":$(rss_kb "$SERVER_PID"),\"hwm_kb_end\":$(hwm_kb "$SERVER_PID")}" > "$R/server.json"
log "  server: $(cat "$R/server.json")"
kill "$SERVER_PID" 2>/dev/null || true; kill "$RUN_PID" 2>/dev/null || true; wait "$RUN_PID" 2>/dev/null || true; SERVER_PID=; RUN_PID=

# --- 4: baselines -------------------------------------------------------------------------------------------
log "bare endpoint (HashSet<string>)"
BARE_LISTED="$OUT/listed.txt" dotnet bench/BareEndpoint/bin/Release/net10.0/BareEndpoint.dll --urls "http://127.0.0.1:$BARE_PORT" > "$OUT/bare.log" 2>&1 &
BARE_PID=$!
wait_ready "http://127.0.0.1:$BARE_PORT/readyz" 900 >/dev/null
run_wrk wrk-bare "http://127.0.0.1:$BARE_PORT" /check 1 64
echo "{\"rss_kb\":$(rss_kb "$BARE_PID")}" > "$R/bare.json"
kill "$BARE_PID"; wait "$BARE_PID" 2>/dev/null || true; BARE_PID=

log "PostgreSQL"
mkdir -p "$OUT/pg"; chown postgres "$OUT/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$OUT/pg/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OUT/pg/data" -l "$OUT/pg/log" -w -t 120 start \
  -o "-p $PG_PORT -k $OUT/pg -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
"${PSQL[@]}" -c "CREATE TABLE listed (id text PRIMARY KEY)"
"${PSQL[@]}" -c "\\copy listed FROM '$OUT/listed.txt'"
cut -f2 "$OUT/probe.tsv" | awk '{print NR "\t" $0}' > "$OUT/probe-pg.tsv"
"${PSQL[@]}" -c "CREATE TABLE probes (n int PRIMARY KEY, id text NOT NULL)" -c "\\copy probes FROM '$OUT/probe-pg.tsv'" -c "VACUUM ANALYZE"
PROBES=$(wc -l < "$OUT/probe-pg.tsv")
cat > "$OUT/pgbench.sql" <<SQL
\\set n random(1, $PROBES)
SELECT l.id FROM probes p LEFT JOIN listed l ON l.id = p.id WHERE p.n = :n;
SQL
"$PGBIN/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 16 -j 2 -T 5 -f "$OUT/pgbench.sql" postgres >/dev/null 2>&1 || true
"$PGBIN/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 16 -j 2 -T "$DURATION" -f "$OUT/pgbench.sql" postgres > "$R/pgbench.txt" 2>&1
TPS=$(grep -o 'tps = [0-9.]*' "$R/pgbench.txt" | head -1 | grep -o '[0-9.]*$')
LAT=$(grep -o 'latency average = [0-9.]*' "$R/pgbench.txt" | grep -o '[0-9.]*$' || echo 0)
echo "{\"tps\":$TPS,\"latency_avg_ms\":$LAT,\"clients\":16}" > "$R/pgbench.json"
log "  pgbench: $(cat "$R/pgbench.json")"
T0=$(date +%s.%N)
"${PSQL[@]}" -c "CREATE UNLOGGED TABLE batch (id text)" -c "\\copy batch FROM '$OUT/batch-ids.txt'" \
  -c "SELECT count(*) FROM batch b JOIN listed l ON l.id = b.id" > "$R/pgcopy.txt"
T1=$(date +%s.%N)
echo "{\"seconds\":$(echo "$T1 - $T0" | bc),\"lines\":$BATCH_LINES,\"hits\":$(grep -Eo "^ *[0-9]+ *$" "$R/pgcopy.txt" | tr -d " " | head -1)}" > "$R/pgcopy.json"
log "  COPY + JOIN: $(cat "$R/pgcopy.json")"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OUT/pg/data" -m fast -w stop >/dev/null

log "Redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$OUT/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" --pipe < "$OUT/redis-load.resp" > /dev/null
HIT=$(awk -F'\t' '$3=="hit" && $1=="idNumber" {print $2; exit}' "$OUT/probe.tsv")
redis_bench() { # name pipeline n member
  redis-benchmark -p "$REDIS_PORT" -c 50 -n "$3" -P "$2" -r 1000000000000 --csv SISMEMBER listed "$4" > "$R/$1.txt" 2>&1
  local rps; rps=$(grep SISMEMBER "$R/$1.txt" | tail -1 | cut -d, -f2 | tr -d '"')
  echo "{\"rps\":$rps,\"pipeline\":$2}" > "$R/$1.json"
  log "  $1: $(cat "$R/$1.json")"
}
redis_bench redis-p1 1 500000 "110101__rand_int__"
redis_bench redis-p1-hit 1 500000 "$HIT"
redis_bench redis-p16 16 4000000 "110101__rand_int__"
echo "{\"rss_kb\":$(rss_kb "$REDIS_PID"),\"members\":$(redis-cli -p "$REDIS_PORT" scard listed)}" > "$R/redis.json"
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=

fi # issue 3

# --- 5: issue 4, two nodes on one PostgreSQL --------------------------------------------------------------------
if [ "$ONLY" != issue3 ]; then
  mkdir -p "$R" "$OUT/pg"; chown postgres "$OUT/pg"
  [ -d "$OUT/pg/data" ] || runuser -u postgres -- "$PGBIN/initdb" -D "$OUT/pg/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
  log "issue 4: PostgreSQL, two server processes"
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OUT/pg/data" -l "$OUT/pg/log" -w -t 120 start \
    -o "-p $PG_PORT -k $OUT/pg -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_connections=200" >/dev/null
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS shixin_issue4" -c "CREATE DATABASE shixin_issue4"
  PGCS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=shixin_issue4;Pooling=true;Maximum Pool Size=40;Timeout=30;Command Timeout=300"
  SERVER_DIR="$ROOT/src/Shixin.Server/bin/Release/net10.0"
  start_node() { # name port
    mkdir -p "$OUT/node-$1"
    (cd "$SERVER_DIR" && SHIXIN_DATA_DIR="$OUT/node-$1" SHIXIN_DATABASE=postgres SHIXIN_POSTGRES="$PGCS" SHIXIN_ADMIN_KEY="$ADMIN_KEY" \
      SHIXIN_WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8 ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS= \
      exec dotnet Shixin.Server.dll --urls "http://127.0.0.1:$2") > "$OUT/node-$1.log" 2>&1 &
  }
  start_node a "$NODE_A_PORT"; NODE_A_PID=$!
  wait_ready "http://127.0.0.1:$NODE_A_PORT/readyz" 600 >/dev/null
  start_node b "$NODE_B_PORT"; NODE_B_PID=$!
  wait_ready "http://127.0.0.1:$NODE_B_PORT/readyz" 600 >/dev/null
  log "  nodes ready (pids $NODE_A_PID, $NODE_B_PID)"
  dotnet bench/Shixin.Bench/bin/Release/net10.0/Shixin.Bench.dll issue4 --a "http://127.0.0.1:$NODE_A_PORT" --b "http://127.0.0.1:$NODE_B_PORT" \
    --admin-key "$ADMIN_KEY" --receiver-port "$HOOK_PORT" --feed-events "$FEED_EVENTS" --result "$R/issue4.json" \
    || log "  issue 4 benchmarks failed (see above)"
  echo "{\"pg_db_mb\":$("${PSQL[@]}" -tA -c "SELECT pg_database_size('shixin_issue4') / 1000000"),\"node_a_rss_kb\":$(rss_kb "$NODE_A_PID"),\"node_b_rss_kb\":$(rss_kb "$NODE_B_PID")}" > "$R/issue4-nodes.json"
  kill "$NODE_A_PID" "$NODE_B_PID" 2>/dev/null || true; wait "$NODE_A_PID" "$NODE_B_PID" 2>/dev/null || true; NODE_A_PID=; NODE_B_PID=
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$OUT/pg/data" -m fast -w stop >/dev/null
fi

# --- 6: report ----------------------------------------------------------------------------------------------
dotnet bench/Shixin.Bench/bin/Release/net10.0/Shixin.Bench.dll report --out "$OUT" --file "$RESULTS_FILE"
log "wrote $RESULTS_FILE"
