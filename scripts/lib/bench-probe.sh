#!/usr/bin/env bash
# What the host processes and PostgreSQL have spent so far, for scripts/benchmark.sh to subtract: Modular.LoadTest
# --hook runs it with "start" as the measured orders start (after the warm-up) and "end" once they are all final.
# Writes "KEY VALUE" lines to $BENCH_PROBE_DIR/<start|end>. Set by the caller:
#   BENCH_PROBE_DIR         where to write
#   BENCH_PROBE_HOSTS       the host processes' pids
#   BENCH_PROBE_PG_DIR      the folder of the benchmark's own PostgreSQL cluster, whose every process is counted
#   BENCH_PROBE_ADMIN       a libpq connection string to that cluster's postgres database (the probe's queries land there)
#   BENCH_PROBE_DATABASE    the database the hosts use
#   BENCH_PROBE_STATEMENTS  1 when pg_stat_statements is loaded
set -euo pipefail
phase="$1"

# Clock ticks (getconf CLK_TCK) process $1 has run, user and system; with "reaped" also those of the children it has
# waited for: a PostgreSQL backend that ends during the window is counted in the postmaster's.
ticks() {
  local stat fields
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  read -r -a fields <<<"${stat##*) }" # after the command name, which may hold spaces: fields[0] is field 3
  if [[ "${2:-}" == reaped ]]; then
    echo $((fields[11] + fields[12] + fields[13] + fields[14]))
  else
    echo $((fields[11] + fields[12]))
  fi
}

sql() { psql "$BENCH_PROBE_ADMIN" -X -qAt -F ' ' -v ON_ERROR_STOP=1 -c "$1"; }

# A checkpoint as the clock starts: no timed checkpoint (every 5 minutes) falls inside either build's window.
[[ "$phase" != start ]] || sql "checkpoint" >/dev/null

{
  host=0 rss=0
  for pid in $BENCH_PROBE_HOSTS; do
    host=$((host + $(ticks "$pid")))
    rss=$((rss + $(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")))
  done
  echo "host_ticks $host"
  echo "host_rss_kib $rss"

  postmaster="$(head -n 1 "$BENCH_PROBE_PG_DIR/data/postmaster.pid")"
  pg=0
  for pid in $(pgrep -P "$postmaster"); do pg=$((pg + $(ticks "$pid"))); done
  echo "pg_ticks $((pg + $(ticks "$postmaster" reaped)))"

  if [[ "${BENCH_PROBE_STATEMENTS:-0}" == 1 ]]; then
    [[ "$phase" != start ]] || sql "select pg_stat_statements_reset()" >/dev/null
    sql "select 'statements', coalesce(sum(calls), 0) from pg_stat_statements s join pg_database d on d.oid = s.dbid
         where d.datname = '$BENCH_PROBE_DATABASE'"
  fi
  # Transactions as the database counts them (each backend reports at most once a second, so the window is exact to
  # about a second of traffic at either end), and transaction ids handed out: the transactions that wrote.
  sql "select 'transactions', xact_commit + xact_rollback from pg_stat_database where datname = '$BENCH_PROBE_DATABASE'"
  sql "select 'xids', pg_snapshot_xmax(pg_current_snapshot())"
} >"$BENCH_PROBE_DIR/$phase"
