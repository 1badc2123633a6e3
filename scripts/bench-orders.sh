#!/usr/bin/env bash
# Measures orders per second to Confirmed and POST->Confirmed latency against the published Release host
# (pre-generated code), on a fresh database. Prints one summary line.
#
#   scripts/bench-orders.sh [topology=inprocess] [orders=500] [concurrency=16] [products=10]
#
# topology: inprocess   every module in one process
#           postgresql  Catalog+Ordering (the gateway, which the load goes to) and Inventory+Payments in a second
#                       process, over PostgreSQL queues
#           rabbitmq    the same split over RabbitMQ
# PostgreSQL / RabbitMQ: MODULAR_TEST_POSTGRES / MODULAR_TEST_RABBITMQ when set, otherwise throwaway local servers
# (as scripts/test.sh starts them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/rabbitmq.sh
source scripts/lib/rabbitmq.sh
topology="${1:-inprocess}" orders="${2:-500}" concurrency="${3:-16}" products="${4:-10}"
case "$topology" in inprocess | postgresql | rabbitmq) ;; *) echo "bench-orders.sh: error: unknown topology '$topology' (inprocess, postgresql or rabbitmq)." >&2; exit 2 ;; esac

PG_TMP="" RMQ_TMP="" pids=() database="bench_$$" logs=$(mktemp -d)
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -z "${admin:-}" ]] || psql "$(pg_libpq "$admin")" -qAtc "drop database if exists $database with (force)" >/dev/null 2>&1 || true
  if [[ -n "$PG_TMP" ]]; then pg_stop "$PG_TMP" || true; rm -rf "$PG_TMP"; fi
  if [[ -n "$RMQ_TMP" ]]; then rmq_stop "$RMQ_TMP" || true; rm -rf "$RMQ_TMP"; fi
  rm -rf "$logs"
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

transport=PostgreSQL
if [[ "$topology" == rabbitmq ]]; then
  transport=RabbitMQ
  if [[ -z "${MODULAR_TEST_RABBITMQ:-}" ]]; then
    rmq_port="$(pg_free_port 5692)"
    RMQ_TMP="$(mktemp -d "${TMPDIR:-/tmp}/modular-bench-rabbitmq.XXXXXX")"
    rmq_start "$RMQ_TMP" "$rmq_port" >/dev/null
    MODULAR_TEST_RABBITMQ="$(rmq_uri "$rmq_port")"
  fi
  export ConnectionStrings__RabbitMq="$MODULAR_TEST_RABBITMQ"
fi

dotnet publish src/Host/Modular.Host/Modular.Host.csproj -c Release -o artifacts/publish --nologo -v quiet
dotnet build tests/Modular.LoadTest -c Release --nologo -v quiet

export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning Modular__Transport="$transport"
# One load generator on one address places every order: the rate limiter (docs/adr/0021) stays in the measured
# pipeline, with the shipped limits (appsettings.json: 600 requests and 30 orders a minute per caller) raised out of reach.
export Modular__RateLimits__PerCaller__PermitLimit=1000000 Modular__RateLimits__Policies__OrderPlacement__PermitLimit=1000000
export ConnectionStrings__Modular="$(pg_with_database "$admin" "$database")"
# The hosts and the load generator share a throwaway signing key: the load generator mints its own tokens.
export Modular__Authentication__SigningKeyPath="$logs/signing-key.pem"
export Payments__TokenKey__PrivateKeyFile="$logs/payments-token-key.pem"

# start NAME PORT [Modular__Modules__N=... ...]: applies the shape's schema, starts it, waits until ready.
start() {
  local name="$1" http_port="$2"
  shift 2
  (cd artifacts/publish && env "$@" dotnet Modular.Host.dll resources setup >"$logs/$name-setup.log" 2>&1) ||
    { cat "$logs/$name-setup.log" >&2; exit 1; }
  (cd artifacts/publish && exec env "$@" dotnet Modular.Host.dll --urls "http://127.0.0.1:$http_port") >"$logs/$name.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$logs/$name.log" >&2; exit 1; }
    sleep 0.2
  done
}

main_port="$(pg_free_port 5180)"
if [[ "$topology" == inprocess ]]; then
  start all "$main_port"
  shape="every module in one process"
else
  extracted_port="$(pg_free_port 5190)"
  start extracted "$extracted_port" Modular__Modules__0=Inventory Modular__Modules__1=Payments
  start main "$main_port" Modular__Modules__0=Catalog Modular__Modules__1=Ordering \
    "Modular__RemoteUrls__Inventory=http://127.0.0.1:$extracted_port" "Modular__RemoteUrls__Payments=http://127.0.0.1:$extracted_port"
  shape="Catalog+Ordering | Inventory+Payments over $transport"
fi

echo "Topology: $shape (Release, pre-generated code), $(nproc) cores shared with PostgreSQL and the load generator"
dotnet tests/Modular.LoadTest/bin/Release/net10.0/Modular.LoadTest.dll "http://127.0.0.1:$main_port" "$orders" "$concurrency" "$products"
