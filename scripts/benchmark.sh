#!/usr/bin/env bash
# The benchmark the README's figures come from: a baseline build (any git ref; default a63e2d4, the last commit before
# bearer tokens, as there are no release tags yet) and the working tree, in one run, with the same load generator
# (tests/Modular.LoadTest), each on fresh databases of one throwaway PostgreSQL cluster, warm-up excluded. Prints the two
# side by side, with working tree / baseline.
#
#   scripts/benchmark.sh [--smoke] [ref=a63e2d4]
#
# For each build, the baseline first (docs/adr/0029 says how each figure is taken):
#   one process  BENCH_WARMUP orders, then BENCH_ORDERS orders from BENCH_CONCURRENCY clients, each placing its next
#                order when the last is answered (saturation): orders/s to Confirmed, POST->Confirmed p50/p95/p99, and
#                per order: PostgreSQL transactions, transactions that wrote, statements (pg_stat_statements), and the
#                CPU of the host and of PostgreSQL; then orders offered for BENCH_RATE_SECONDS at half the rate this build
#                just sustained, or BENCH_RATE a second when set (open
#                loop): p50/p95/p99; then GET /api/catalog/products/{sku} for BENCH_GET_SECONDS from BENCH_CONCURRENCY
#                connections, beside the same client against a minimal Kestrel endpoint (the ceiling, the same code in
#                both columns: how far they differ is the machine's noise); start-up (launch to /health/ready answering
#                200, the schema applied before) and RSS after the warm-up
#   split        Catalog+Ordering | Inventory+Payments over PostgreSQL queues: the saturation run, both processes' CPU
# Defaults: BENCH_ORDERS=3000 BENCH_WARMUP=3000 (the JIT's tiering settles after a few thousand orders)
# BENCH_CONCURRENCY=16 BENCH_PRODUCTS=10 BENCH_RATE_SECONDS=20 BENCH_GET_SECONDS=10; about 12 minutes on 2 cores. --smoke runs every step with tiny counts to
# show that it runs (scripts/test.sh, MODULAR_BENCH_SMOKE=1); its figures mean nothing.
# The baseline is published once per commit to artifacts/bench-baseline/<commit> (from `git archive`: no work tree),
# the working tree to artifacts/publish. Needs the .NET SDK, curl and PostgreSQL (installed from Debian's packages when
# missing, as scripts/test.sh does); MODULAR_TEST_POSTGRES is not used: the cluster's CPU must be the benchmark's alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh

smoke=0
[[ "${1:-}" != --smoke ]] || { smoke=1; shift; }
ref="${1:-a63e2d4}"
if ! baseline="$(git rev-parse --verify --quiet "$ref^{commit}")"; then
  # The smoke run shows that every step runs; in a shallow clone it takes HEAD as its baseline rather than fail.
  ((smoke)) && baseline="$(git rev-parse --verify --quiet "HEAD^{commit}")" &&
    echo "benchmark.sh: '$ref' is not in this clone (shallow?): the smoke run takes HEAD as its baseline." ||
    { echo "benchmark.sh: error: '$ref' is not a commit of this repository (a shallow clone? git fetch --unshallow)." >&2; exit 2; }
fi
if ((smoke)); then
  BENCH_ORDERS=20 BENCH_WARMUP=5 BENCH_CONCURRENCY=4 BENCH_PRODUCTS=2 BENCH_RATE=10 BENCH_RATE_SECONDS=1 BENCH_GET_SECONDS=1
fi
BENCH_ORDERS="${BENCH_ORDERS:-3000}" BENCH_WARMUP="${BENCH_WARMUP:-3000}" BENCH_CONCURRENCY="${BENCH_CONCURRENCY:-16}"
BENCH_PRODUCTS="${BENCH_PRODUCTS:-10}" BENCH_RATE="${BENCH_RATE:-}" BENCH_RATE_SECONDS="${BENCH_RATE_SECONDS:-20}"
BENCH_GET_SECONDS="${BENCH_GET_SECONDS:-10}"

baseline_publish="artifacts/bench-baseline/$baseline"
if [[ ! -f "$baseline_publish/.published" ]]; then
  echo "Publishing the baseline ${baseline:0:7} to $baseline_publish ..."
  sources="$(mktemp -d)"
  trap 'rm -rf "$sources"' EXIT
  git archive "$baseline" | tar -x -C "$sources"
  rm -rf "$baseline_publish"
  dotnet publish "$sources/src/Host/Modular.Host/Modular.Host.csproj" -c Release -o "$PWD/$baseline_publish" --nologo -v quiet
  touch "$baseline_publish/.published"
  rm -rf "$sources"
fi

BENCH_OWN_POSTGRES=1 bench_init inprocess
export BENCH_PROBE_PG_DIR="$bench_pg_dir" BENCH_PROBE_ADMIN BENCH_PROBE_STATEMENTS="$bench_pg_statements"
BENCH_PROBE_ADMIN="$(pg_libpq "$bench_admin")"
ticks_per_second="$(getconf CLK_TCK)"
declare -A figures

# load ARGS...: the load generator; prints its summary line; on failure, its output and the end of each host's log.
load() {
  local log host_log
  log="$(mktemp -p "$bench_logs")"
  dotnet tests/Modular.LoadTest/bin/Release/net10.0/Modular.LoadTest.dll "$@" >"$log" 2>&1 && { tail -n 1 "$log"; return; }
  cat "$log" >&2
  for host_log in "$bench_logs"/*.log; do
    [[ "$host_log" == *-setup.log ]] || { echo "--- $host_log" && tail -n 40 "$host_log"; } >&2
  done
  return 1
}

# field NAME LINE: the number after NAME= in a summary line.
field() { grep -o "$1=[0-9.]*" <<<"$2" | head -n 1 | cut -d= -f2; }

# saturate KEY: warm-up, then the measured orders between the probes; their figures into figures[KEY:...].
saturate() {
  local key="$1" line
  export BENCH_PROBE_DIR BENCH_PROBE_HOSTS="${bench_pids[*]}" BENCH_PROBE_DATABASE="$bench_database"
  BENCH_PROBE_DIR="$(mktemp -d -p "$bench_logs")"
  line="$(load "http://127.0.0.1:$bench_main_port" "$BENCH_ORDERS" "$BENCH_CONCURRENCY" "$BENCH_PRODUCTS" "$BENCH_WARMUP" \
    --hook "bash scripts/lib/bench-probe.sh")"
  echo "  saturation, $BENCH_CONCURRENCY clients: $line"
  figures[$key:throughput]="$(field throughput "$line")"
  figures[$key:sat_p50]="$(field p50 "$line")" figures[$key:sat_p95]="$(field p95 "$line")" figures[$key:sat_p99]="$(field p99 "$line")"
  local probe
  for probe in host_ticks pg_ticks statements transactions xids; do
    local start end
    start="$(awk -v k="$probe" '$1 == k { print $2 }' "$BENCH_PROBE_DIR/start")"
    end="$(awk -v k="$probe" '$1 == k { print $2 }' "$BENCH_PROBE_DIR/end")"
    [[ -n "$start" && -n "$end" ]] || continue
    local scale=1
    [[ "$probe" != *_ticks ]] || scale="$((1000 / ticks_per_second))"
    figures[$key:$probe]="$(awk -v a="$start" -v b="$end" -v s="$scale" -v n="$BENCH_ORDERS" 'BEGIN { printf "%.1f", (b - a) * s / n }')"
  done
  figures[$key:rss]="$(($(awk '$1 == "host_rss_kib" { print $2 }' "$BENCH_PROBE_DIR/start") / 1024))"
}

# measure BUILD PUBLISHED NAME: every figure of one build.
measure() {
  local build="$1" line
  bench_publish="$2"
  echo "${3}, one process:"
  bench_topology=inprocess
  bench_up
  figures[$build:startup]="$bench_startup_ms"
  saturate "$build"
  local rate="${BENCH_RATE:-$(awk -v t="${figures[$build:throughput]}" 'BEGIN { r = int(t / 2); print (r < 1 ? 1 : r) }')}"
  figures[$build:rate]="$rate"
  line="$(load "http://127.0.0.1:$bench_main_port" "$((rate * BENCH_RATE_SECONDS))" "$BENCH_CONCURRENCY" "$BENCH_PRODUCTS" 0 --rate "$rate")"
  echo "  fixed load: $line"
  figures[$build:rate_p50]="$(field p50 "$line")" figures[$build:rate_p95]="$(field p95 "$line")" figures[$build:rate_p99]="$(field p99 "$line")"
  line="$(load get-product "http://127.0.0.1:$bench_main_port" "$BENCH_GET_SECONDS" "$BENCH_CONCURRENCY")"
  echo "  $line"
  figures[$build:get]="$(field throughput "$line")"
  line="$(load ceiling "$BENCH_GET_SECONDS" "$BENCH_CONCURRENCY")"
  echo "  $line"
  figures[$build:ceiling]="$(field throughput "$line")"
  figures[$build:orders_seen]="$((BENCH_WARMUP + BENCH_ORDERS + rate * BENCH_RATE_SECONDS))"
  figures[$build:rss_end]="$(($(awk '$1 == "VmRSS:" { print $2 }' "/proc/${bench_pids[0]}/status") / 1024))"
  bench_down

  echo "${3}, split over PostgreSQL queues:"
  bench_topology=postgresql
  bench_up
  saturate "$build:split"
  bench_down
}

measure baseline "$baseline_publish" "baseline ${baseline:0:7}"
measure current artifacts/publish "working tree"

row() {
  local label="$1" key="$2" old="${figures[baseline:$2]:-}" new="${figures[current:$2]:-}" ratio="n/a"
  [[ -n "$old" && -n "$new" ]] && ratio="$(awk -v a="$old" -v b="$new" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }')"
  printf '  %-56s %12s %12s %8s\n' "$label" "${old:-n/a}" "${new:-n/a}" "$ratio"
}
# per_order_rows PREFIX [HOSTS]: the figures per order of the saturation run whose keys start with PREFIX.
per_order_rows() {
  row "PostgreSQL transactions per order" "${1}transactions"
  row "  of which wrote (transaction ids handed out)" "${1}xids"
  row "PostgreSQL statements per order (>= round trips)" "${1}statements"
  row "host CPU-ms per order${2:-}" "${1}host_ticks"
  row "PostgreSQL CPU-ms per order" "${1}pg_ticks"
}

echo
((smoke == 0)) || echo "Smoke run: every step ran for both builds; with these counts the figures mean nothing."
echo "$BENCH_ORDERS orders after $BENCH_WARMUP of warm-up, $(nproc) cores shared by the hosts, PostgreSQL and the load generator"
printf '  %-56s %12s %12s %8s\n' "" "${baseline:0:7}" "working tree" "ratio"
echo "One process"
row "orders/s to Confirmed, $BENCH_CONCURRENCY clients" throughput
row "POST->Confirmed p50 ms, $BENCH_CONCURRENCY clients" sat_p50
row "POST->Confirmed p95 ms, $BENCH_CONCURRENCY clients" sat_p95
row "POST->Confirmed p99 ms, $BENCH_CONCURRENCY clients" sat_p99
row "offered load, orders/s (half of each build's saturation)" rate
row "POST->Confirmed p50 ms, at the offered load" rate_p50
row "POST->Confirmed p95 ms, at the offered load" rate_p95
row "POST->Confirmed p99 ms, at the offered load" rate_p99
per_order_rows ""
row "GET product req/s, $BENCH_CONCURRENCY connections" get
row "  minimal endpoint req/s, same client (ceiling)" ceiling
row "start-up to ready, ms" startup
row "RSS after warm-up, MiB" rss
row "RSS after every order of the run (${figures[current:orders_seen]:-?} orders), MiB" rss_end
echo "Split: Catalog+Ordering | Inventory+Payments over PostgreSQL queues"
row "orders/s to Confirmed, $BENCH_CONCURRENCY clients" split:throughput
row "POST->Confirmed p50 ms, $BENCH_CONCURRENCY clients" split:sat_p50
row "POST->Confirmed p95 ms, $BENCH_CONCURRENCY clients" split:sat_p95
row "POST->Confirmed p99 ms, $BENCH_CONCURRENCY clients" split:sat_p99
per_order_rows split: " (both processes)"
for build in baseline current; do
  figures[$build:split_share]="$(awk -v s="${figures[$build:split:throughput]:-0}" -v o="${figures[$build:throughput]:-0}" 'BEGIN { if (o > 0) printf "%.2f", s / o }')"
done
row "split orders/s / one process orders/s" split_share
