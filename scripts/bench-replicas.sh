#!/usr/bin/env bash
# Orders per second to Confirmed with one and with two replicas of the extracted Inventory+Payments process, in one
# run, each on a fresh database, warm-up excluded (scripts/lib/bench.sh). Two replicas run Balanced (docs/adr/0026).
#
#   scripts/bench-replicas.sh [topology=postgresql] [orders=1000] [concurrency=16] [warmup=200]
#
# On one 2-core machine the replicas share the cores with PostgreSQL and the gateway: this shows what a replica costs
# and that the work is shared, not the gain of a second machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
BENCH_ORDERS="${2:-1000}" BENCH_CONCURRENCY="${3:-16}" BENCH_WARMUP="${4:-200}"
bench_init "${1:-postgresql}"
[[ "$bench_topology" != inprocess ]] || { echo "bench-replicas.sh: error: replicas of the extracted process need a split topology (postgresql or rabbitmq)." >&2; exit 2; }
BENCH_REPLICAS=1 bench_run "1 extracted replica "
BENCH_REPLICAS=2 bench_run "2 extracted replicas"
