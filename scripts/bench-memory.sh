#!/usr/bin/env bash
# Chooses the garbage collector by measurement (docs/adr/0033): the published host in one process, once per GC
# configuration, each on a fresh database of one throwaway PostgreSQL cluster; BENCH_ORDERS orders (default 10000) from
# BENCH_CONCURRENCY clients, then the host's resident memory, its peak, and the orders/s to Confirmed.
#
#   scripts/bench-memory.sh [config...]      configs: server (the ASP.NET Core default: Server GC, DATAS on),
#                                            workstation (concurrent), workstation-nonconcurrent; default all three
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
BENCH_ORDERS="${BENCH_ORDERS:-10000}" BENCH_CONCURRENCY="${BENCH_CONCURRENCY:-16}" BENCH_PRODUCTS="${BENCH_PRODUCTS:-10}"
configs=("$@")
((${#configs[@]})) || configs=(server workstation workstation-nonconcurrent)

BENCH_OWN_POSTGRES=1 bench_init inprocess
printf '%-28s %10s %10s %12s %10s\n' "GC" "ready MiB" "RSS MiB" "peak MiB" "orders/s"
for config in "${configs[@]}"; do
  case "$config" in
    server) gc=(DOTNET_gcServer=1) ;;
    workstation) gc=(DOTNET_gcServer=0 DOTNET_gcConcurrent=1) ;;
    workstation-nonconcurrent) gc=(DOTNET_gcServer=0 DOTNET_gcConcurrent=0) ;;
    *) echo "bench-memory.sh: error: unknown config '$config'." >&2; exit 2 ;;
  esac
  bench_up "${gc[@]}"
  ready="$(($(awk '$1 == "VmRSS:" { print $2 }' "/proc/${bench_pids[0]}/status") / 1024))"
  line="$(dotnet tests/Modular.LoadTest/bin/Release/net10.0/Modular.LoadTest.dll "http://127.0.0.1:$bench_main_port" \
    "$BENCH_ORDERS" "$BENCH_CONCURRENCY" "$BENCH_PRODUCTS" 0 | tail -n 1)"
  rss="$(($(awk '$1 == "VmRSS:" { print $2 }' "/proc/${bench_pids[0]}/status") / 1024))"
  peak="$(($(awk '$1 == "VmHWM:" { print $2 }' "/proc/${bench_pids[0]}/status") / 1024))"
  printf '%-28s %10s %10s %12s %10s\n' "$config" "$ready" "$rss" "$peak" "$(grep -o 'throughput=[0-9.]*' <<<"$line" | cut -d= -f2)"
  bench_down
done
echo "$BENCH_ORDERS orders from $BENCH_CONCURRENCY clients after each start; $(nproc) cores shared with PostgreSQL and the load generator."
