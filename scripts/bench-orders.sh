#!/usr/bin/env bash
# Measures orders per second to Confirmed and POST->Confirmed latency against the published Release host
# (pre-generated code), on a fresh database. Prints one summary line per run.
#
#   scripts/bench-orders.sh [orders=500] [concurrency=16] [products=10]
#
# PostgreSQL: MODULAR_TEST_POSTGRES when set, otherwise a throwaway local cluster (as scripts/test.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
orders="${1:-500}" concurrency="${2:-16}" products="${3:-10}"

PG_TMP="" host_pid="" database="bench_$$"
cleanup() {
  [[ -z "$host_pid" ]] || { kill "$host_pid" 2>/dev/null; wait "$host_pid" 2>/dev/null || true; }
  [[ -z "${admin:-}" ]] || psql "$(pg_libpq "$admin")" -qAtc "drop database if exists $database with (force)" >/dev/null 2>&1 || true
  if [[ -n "$PG_TMP" ]]; then pg_stop "$PG_TMP" || true; rm -rf "$PG_TMP"; fi
}
trap cleanup EXIT

if [[ -n "${MODULAR_TEST_POSTGRES:-}" ]]; then
  admin="$MODULAR_TEST_POSTGRES"
else
  pg_ensure_installed
  port="$(pg_free_port 55460)"
  PG_TMP="$(pg_make_temp_dir)"
  pg_ensure_cluster "$PG_TMP" "$port" >/dev/null
  admin="$(pg_connection_string "$port" postgres)"
fi
psql "$(pg_libpq "$admin")" -qAtc "create database $database" >/dev/null

dotnet publish src/Host/Modular.Host/Modular.Host.csproj -c Release -o artifacts/publish --nologo -v quiet
dotnet build tests/Modular.LoadTest -c Release --nologo -v quiet

export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning
export ConnectionStrings__Modular="${admin/Database=postgres/Database=$database}"
(cd artifacts/publish && dotnet Modular.Host.dll resources setup >/dev/null)
http_port="$(pg_free_port 5180)"
(cd artifacts/publish && exec dotnet Modular.Host.dll --urls "http://127.0.0.1:$http_port") >/tmp/modular-bench-host.log 2>&1 &
host_pid=$!
until curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null; do
  kill -0 "$host_pid" 2>/dev/null || { cat /tmp/modular-bench-host.log >&2; exit 1; }
  sleep 0.2
done

echo "Topology: all modules in one process (Release, pre-generated code), $(nproc) cores"
dotnet tests/Modular.LoadTest/bin/Release/net10.0/Modular.LoadTest.dll "http://127.0.0.1:$http_port" "$orders" "$concurrency" "$products"
