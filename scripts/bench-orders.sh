#!/usr/bin/env bash
# Measures orders per second to Confirmed and POST->Confirmed latency against the published Release host
# (pre-generated code), on a fresh database. Prints one summary line.
#
#   scripts/bench-orders.sh [topology=inprocess] [orders=500] [concurrency=16] [products=10] [warmup=0]
#
# topology: inprocess   every module in one process
#           postgresql  Catalog+Ordering (the gateway, which the load goes to) and Inventory+Payments in a second
#                       process, over PostgreSQL queues
#           rabbitmq    the same split over RabbitMQ
# warmup:   orders placed and confirmed before the clock starts (JIT, connection pools, caches)
# PostgreSQL / RabbitMQ: MODULAR_TEST_POSTGRES / MODULAR_TEST_RABBITMQ when set, otherwise throwaway local servers
# (as scripts/test.sh starts them). scripts/bench-telemetry.sh compares telemetry on and off in one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
BENCH_ORDERS="${2:-500}" BENCH_CONCURRENCY="${3:-16}" BENCH_PRODUCTS="${4:-10}" BENCH_WARMUP="${5:-0}"
bench_init "${1:-inprocess}"
bench_run "$bench_shape"
