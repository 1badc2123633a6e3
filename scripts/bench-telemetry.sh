#!/usr/bin/env bash
# What telemetry costs in orders per second to Confirmed: the order benchmark (scripts/lib/bench.sh) with telemetry
# off (Modular__Telemetry__Enabled=false: no span recorded, no meter listened to) and on, as a team runs it: every span
# and the logs exported by OTLP, the metrics pushed by OTLP every 10 s and scraped at /metrics every 5 s. Off and on
# alternate in one run, each on a fresh database, warm-up excluded, so that both see the same machine. The OTLP
# endpoint is a stand-in collector (Modular.LoadTest otlp-sink) that answers and drops every export.
#
#   scripts/bench-telemetry.sh [topology=inprocess] [orders=1000] [concurrency=16] [rounds=2] [warmup=300]
#
# Prints every run, what the collector received, and on/off as a percentage (docs/adr/0025: at least 90%).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
BENCH_ORDERS="${2:-1000}" BENCH_CONCURRENCY="${3:-16}" BENCH_WARMUP="${5:-300}" rounds="${4:-2}"
bench_init "${1:-inprocess}"

sink_port="$(pg_free_port 4318)"
dotnet tests/Modular.LoadTest/bin/Release/net10.0/Modular.LoadTest.dll otlp-sink "$sink_port" >"$bench_logs/otlp-sink.log" 2>&1 &
sink=$!
stop_sink() { kill "$sink" 2>/dev/null || true; wait "$sink" 2>/dev/null || true; }
trap 'stop_sink; bench_cleanup' EXIT
on=(
  "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$sink_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
  "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://127.0.0.1:$sink_port/v1/metrics" OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/protobuf
  OTEL_METRIC_EXPORT_INTERVAL=10000
)

for round in $(seq "$rounds"); do
  bench_run "round $round, telemetry off" Modular__Telemetry__Enabled=false
  BENCH_SCRAPE_EVERY=5 bench_run "round $round, telemetry on " "${on[@]}"
done
stop_sink
cat "$bench_logs/otlp-sink.log"

off=0 on_total=0
for line in "${bench_results[@]}"; do
  throughput="$(bench_throughput "$line")"
  case "$line" in
    *"telemetry off"*) off=$((off + throughput)) ;;
    *) on_total=$((on_total + throughput)) ;;
  esac
done
echo "Telemetry on: $on_total orders/s against $off off over $rounds rounds = $((100 * on_total / off))% of telemetry off"
