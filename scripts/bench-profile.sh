#!/usr/bin/env bash
# Where the CPU goes while orders flow (issue 11's "profile of what remains"): the published host in one process on a
# fresh database of a throwaway PostgreSQL cluster, BENCH_WARMUP orders of warm-up (default 3000), then BENCH_ORDERS
# more (default 3000) from BENCH_CONCURRENCY clients (16) while `perf record` samples every CPU of the machine for
# BENCH_PROFILE_SECONDS (12). Prints the machine's share per process, the host's by component (kernel, OpenSSL,
# runtime) and by managed namespace, and PostgreSQL's by phase. Needs Linux perf and python3 (apt-get install
# linux-perf python3); the host runs with DOTNET_PerfMapEnabled=1 and W^X off so perf can name JIT-compiled methods.
#
#   scripts/bench-profile.sh            the report on standard output; the raw samples stay in artifacts/profile
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v perf >/dev/null || { echo "bench-profile.sh: error: needs Linux perf (apt-get install linux-perf)." >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench-profile.sh: error: needs python3." >&2; exit 2; }
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh
warmup="${BENCH_WARMUP:-3000}" orders="${BENCH_ORDERS:-3000}" clients="${BENCH_CONCURRENCY:-16}" seconds="${BENCH_PROFILE_SECONDS:-12}"
out=artifacts/profile
mkdir -p "$out"
load=tests/Modular.LoadTest/bin/Release/net10.0/Modular.LoadTest.dll

BENCH_OWN_POSTGRES=1 bench_init inprocess
bench_up DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
host="${bench_pids[0]}"
echo "warm-up: $(dotnet "$load" "http://127.0.0.1:$bench_main_port" "$warmup" "$clients" 10 0 | tail -n 1)"
dotnet "$load" "http://127.0.0.1:$bench_main_port" "$orders" "$clients" 10 0 >"$out/load.txt" &
loader=$!
# Past the load generator's start and its first placements, into the steady part of the run.
sleep 4
perf record -a -g -F 199 -o "$out/perf.data" -- sleep "$seconds" 2>"$out/perf-record.log"
wait "$loader"
echo "profiled: $(tail -n 1 "$out/load.txt")"
perf script -i "$out/perf.data" -F pid,comm,ip,sym,dso 2>/dev/null >"$out/perf.txt"
python3 scripts/lib/profile-report.py "$out/perf.txt" "$host"
