#!/usr/bin/env bash
# The order benchmark's moving parts, shared by scripts/bench-orders.sh (one configuration), scripts/bench-telemetry.sh
# and scripts/bench-replicas.sh (several configurations compared in one run) and scripts/benchmark.sh (a baseline build
# beside the working tree). Source it, then:
#
#   bench_init TOPOLOGY            PostgreSQL (and RabbitMQ) servers, the published Release host, the load generator
#   bench_run LABEL [KEY=VALUE...] bench_up, the load, bench_down; prints "LABEL: <the load generator's summary line>"
#                                  and appends it to bench_results
#   bench_up [KEY=VALUE...]        a fresh database (bench_database), the topology's hosts (bench_pids) started with the
#                                  extra settings; the load goes to bench_main_port
#   bench_down                     the hosts stopped, the database dropped
#
# The load generator's arguments come from BENCH_ORDERS, BENCH_CONCURRENCY, BENCH_PRODUCTS and BENCH_WARMUP.
# BENCH_REPLICAS=N (split topologies) runs N replicas of the extracted process, Balanced (docs/adr/0026); the gateway's
# HTTP calls go to the first, the messages to all of them. bench_topology may be changed between runs;
# bench_publish (default artifacts/publish) is the published host that bench_up starts.
# PostgreSQL / RabbitMQ: MODULAR_TEST_POSTGRES / MODULAR_TEST_RABBITMQ when set, otherwise throwaway local servers
# (as scripts/test.sh starts them). BENCH_OWN_POSTGRES=1: a throwaway cluster even when MODULAR_TEST_POSTGRES is set,
# with pg_stat_statements loaded where installed (bench_pg_statements=1), so that its CPU (bench_pg_dir) and its
# statistics are the benchmark's alone. Every server, host and database it starts is gone when the calling script exits.

# shellcheck source=scripts/lib/postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"
# shellcheck source=scripts/lib/rabbitmq.sh
source "$(dirname "${BASH_SOURCE[0]}")/rabbitmq.sh"

BENCH_PG_TMP="" BENCH_RMQ_TMP="" bench_pids=() bench_databases=() bench_results=() bench_logs="$(mktemp -d)"
bench_publish=artifacts/publish bench_pg_dir="" bench_pg_statements=0

bench_cleanup() {
  bench_stop_hosts
  local database
  for database in "${bench_databases[@]}"; do
    psql "$(pg_libpq "$bench_admin")" -qAtc "drop database if exists $database with (force)" >/dev/null 2>&1 || true
  done
  if [[ -n "$BENCH_PG_TMP" ]]; then pg_stop "$BENCH_PG_TMP" || true; rm -rf "$BENCH_PG_TMP"; fi
  if [[ -n "$BENCH_RMQ_TMP" ]]; then rmq_stop "$BENCH_RMQ_TMP" || true; rm -rf "$BENCH_RMQ_TMP"; fi
  rm -rf "$bench_logs"
}

bench_stop_hosts() {
  local pid
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  bench_pids=()
}

bench_init() {
  bench_topology="$1"
  case "$bench_topology" in inprocess | postgresql | rabbitmq) ;; *) echo "bench: error: unknown topology '$bench_topology' (inprocess, postgresql or rabbitmq)." >&2; exit 2 ;; esac
  trap bench_cleanup EXIT

  if [[ -n "${MODULAR_TEST_POSTGRES:-}" && "${BENCH_OWN_POSTGRES:-0}" != 1 ]]; then
    bench_admin="$MODULAR_TEST_POSTGRES"
  else
    pg_ensure_installed
    local port
    port="$(pg_free_port 55460)"
    BENCH_PG_TMP="$(pg_make_temp_dir)"
    pg_ensure_cluster "$BENCH_PG_TMP" "$port" >/dev/null
    bench_admin="$(pg_connection_string "$port" postgres)"
    if [[ "${BENCH_OWN_POSTGRES:-0}" == 1 ]]; then
      bench_pg_dir="$BENCH_PG_TMP"
      local admin
      admin="$(pg_libpq "$bench_admin")"
      if [[ "$(psql "$admin" -qAtc "select count(*) from pg_available_extensions where name = 'pg_stat_statements'")" == 1 ]]; then
        psql "$admin" -qAtc "alter system set shared_preload_libraries = 'pg_stat_statements'" >/dev/null
        pg_stop "$BENCH_PG_TMP"
        pg_ensure_cluster "$BENCH_PG_TMP" "$port" >/dev/null
        psql "$admin" -qAtc "create extension pg_stat_statements" >/dev/null
        bench_pg_statements=1
      fi
    fi
  fi

  bench_transport=PostgreSQL
  if [[ "$bench_topology" == rabbitmq ]]; then
    bench_transport=RabbitMQ
    if [[ -z "${MODULAR_TEST_RABBITMQ:-}" ]]; then
      local rmq_port
      rmq_port="$(pg_free_port 5692)"
      BENCH_RMQ_TMP="$(mktemp -d "${TMPDIR:-/tmp}/modular-bench-rabbitmq.XXXXXX")"
      rmq_start "$BENCH_RMQ_TMP" "$rmq_port" >/dev/null
      MODULAR_TEST_RABBITMQ="$(rmq_uri "$rmq_port")"
    fi
    export ConnectionStrings__RabbitMq="$MODULAR_TEST_RABBITMQ"
  fi

  dotnet publish src/Host/Modular.Host/Modular.Host.csproj -c Release -o artifacts/publish --nologo -v quiet
  dotnet build tests/Modular.LoadTest -c Release --nologo -v quiet

  export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Serilog__MinimumLevel__Default=Warning Modular__Transport="$bench_transport"
  # One load generator on one address places every order: the rate limiter (docs/adr/0021) stays in the measured
  # pipeline, with the shipped limits (appsettings.json: 600 requests and 30 orders a minute per caller) raised out of reach.
  export Modular__RateLimits__PerCaller__PermitLimit=1000000 Modular__RateLimits__Policies__OrderPlacement__PermitLimit=1000000
  # The hosts and the load generator share a throwaway signing key: the load generator mints its own tokens.
  export Modular__Authentication__SigningKeyPath="$bench_logs/signing-key.pem"
  export Payments__TokenKey__PrivateKeyFile="$bench_logs/payments-token-key.pem"

  case "$bench_topology" in
    inprocess) bench_shape="every module in one process" ;;
    *) bench_shape="Catalog+Ordering | Inventory+Payments over $bench_transport" ;;
  esac
  echo "Topology: $bench_shape (Release, pre-generated code), $(nproc) cores shared with PostgreSQL and the load generator"
}

# bench_start NAME PORT [KEY=VALUE...]: applies the shape's schema, starts it, waits until ready. bench_startup_ms is the
# time from launch to /health/ready answering 200 (the schema applied before).
bench_start() {
  local name="$1" http_port="$2" launched
  shift 2
  (cd "$bench_publish" && env "$@" dotnet Modular.Host.dll resources setup >"$bench_logs/$name-setup.log" 2>&1) ||
    { cat "$bench_logs/$name-setup.log" >&2; exit 1; }
  launched="$(date +%s%N)"
  (cd "$bench_publish" && exec env "$@" dotnet Modular.Host.dll --urls "http://127.0.0.1:$http_port") >"$bench_logs/$name.log" 2>&1 &
  bench_pids+=($!)
  until curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null; do
    kill -0 "${bench_pids[-1]}" 2>/dev/null || { cat "$bench_logs/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  bench_startup_ms=$((($(date +%s%N) - launched) / 1000000))
  # Whoever answered must be this host: one that lost the port to another process has exited by now.
  sleep 0.5
  kill -0 "${bench_pids[-1]}" 2>/dev/null || { echo "bench: $name could not listen on port $http_port:" >&2; cat "$bench_logs/$name.log" >&2; exit 1; }
}

bench_up() {
  bench_database="bench_$$_${#bench_databases[@]}" bench_extracted_port=""
  bench_databases+=("$bench_database")
  psql "$(pg_libpq "$bench_admin")" -qAtc "create database $bench_database" >/dev/null
  local settings=("ConnectionStrings__Modular=$(pg_with_database "$bench_admin" "$bench_database")" "$@")

  bench_main_port="$(pg_free_port 5180)"
  if [[ "$bench_topology" == inprocess ]]; then
    bench_start all "$bench_main_port" "${settings[@]}"
  else
    bench_extracted_port="$(pg_free_port 5190)"
    local replicas="${BENCH_REPLICAS:-1}" replica
    [[ "$replicas" == 1 ]] || settings+=(Modular__Durability=Balanced)
    bench_start extracted "$bench_extracted_port" "${settings[@]}" Modular__Modules__0=Inventory Modular__Modules__1=Payments
    for replica in $(seq 2 "$replicas"); do
      bench_start "extracted-$replica" "$(pg_free_port $((5190 + replica * 10)))" "${settings[@]}" Modular__Modules__0=Inventory Modular__Modules__1=Payments
    done
    local main_modules=(Modular__Modules__0=Catalog Modular__Modules__1=Ordering)
    # Shipping runs beside Ordering; a baseline built before Shipping existed has no such module.
    [[ ! -f "$bench_publish/Modular.Modules.Shipping.dll" ]] || main_modules+=(Modular__Modules__2=Shipping)
    bench_start main "$bench_main_port" "${settings[@]}" "${main_modules[@]}" \
      "Modular__RemoteUrls__Inventory=http://127.0.0.1:$bench_extracted_port" "Modular__RemoteUrls__Payments=http://127.0.0.1:$bench_extracted_port"
  fi
}

bench_down() {
  bench_stop_hosts
  psql "$(pg_libpq "$bench_admin")" -qAtc "drop database if exists $bench_database with (force)" >/dev/null 2>&1 || true
}

bench_run() {
  local label="$1"
  shift
  bench_up "$@"

  # BENCH_SCRAPE_EVERY=N: a scraper reads every host's /metrics every N seconds while the load runs, as Prometheus would.
  local scraper=""
  if [[ -n "${BENCH_SCRAPE_EVERY:-}" ]]; then
    local ports=("$bench_main_port")
    [[ -z "$bench_extracted_port" ]] || ports+=("$bench_extracted_port")
    (while sleep "$BENCH_SCRAPE_EVERY"; do for p in "${ports[@]}"; do curl -sf "http://127.0.0.1:$p/metrics" >/dev/null || true; done; done) &
    scraper=$!
  fi

  local summary status=0
  summary="$(dotnet tests/Modular.LoadTest/bin/Release/net10.0/Modular.LoadTest.dll "http://127.0.0.1:$bench_main_port" \
    "${BENCH_ORDERS:-500}" "${BENCH_CONCURRENCY:-16}" "${BENCH_PRODUCTS:-10}" "${BENCH_WARMUP:-0}" | tail -n 1)" || status=$?
  [[ -z "$scraper" ]] || { kill "$scraper" 2>/dev/null; wait "$scraper" 2>/dev/null || true; }
  bench_down
  bench_results+=("$label: $summary")
  echo "$label: $summary"
  return "$status"
}

# bench_throughput LINE: the orders per second a bench_run line reports.
bench_throughput() {
  sed -n 's/.*throughput=\([0-9.]*\) orders\/s.*/\1/p' <<<"$1"
}
