#!/usr/bin/env bash
# Builds the solution and runs every test, then the release check; the last line printed is
#   N passed, N failed, N skipped
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Catalog").
#
# PostgreSQL and RabbitMQ for the tests, first match wins:
#   MODULAR_TEST_POSTGRES / MODULAR_TEST_RABBITMQ set   used as is (Npgsql connection string, the user needs
#                                                        CREATEDB / AMQP URI of a broker, or vhost, of its own)
#   Docker engine reachable                              left unset: the fixtures start Testcontainers
#   otherwise                                            a throwaway local cluster on MODULAR_TEST_PG_PORT (default
#                                                        55433) / broker on MODULAR_TEST_RABBITMQ_PORT (default 5682),
#                                                        installed from Debian's packages when missing
# Other knobs: MODULAR_TEST_RESULTS (default artifacts/test-results; the console's screenshots go to its screenshots/),
# MODULAR_SKIP_RELEASE_CHECK=1, MODULAR_BENCH_SMOKE=0 (skips the benchmark's smoke run, scripts/benchmark.sh --smoke),
# MODULAR_CHROMIUM (the Chromium the browser tests drive; default Debian's, installed when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/rabbitmq.sh
source scripts/lib/rabbitmq.sh

export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}" DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"

command -v dotnet >/dev/null 2>&1 ||
  { echo "test.sh: error: 'dotnet' is not on PATH. Fix: install the .NET 10 SDK (https://dot.net)." >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
command -v curl >/dev/null 2>&1 ||
  { echo "test.sh: error: 'curl' is not on PATH (the release check uses it). Fix: apt-get install curl." >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# The .NET 10 SDK creates .slnx solutions by default; accept either.
SLN=Modular.sln
[[ -f "$SLN" || ! -f Modular.slnx ]] || SLN=Modular.slnx

# phase NAME: says which step starts, and how long the run has taken so far (a full run: about 25 minutes on 2 cores).
phase() { printf '\n=== %s (at %d:%02d)\n' "$1" $((SECONDS / 60)) $((SECONDS % 60)); }

RESULTS="${MODULAR_TEST_RESULTS:-artifacts/test-results}"
[[ "$RESULTS" == /* ]] || RESULTS="$PWD/$RESULTS"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# --- PostgreSQL -----------------------------------------------------------------------------
PG_TMP="" RMQ_TMP=""
cleanup() {
  if [[ -n "$PG_TMP" ]]; then
    pg_stop "$PG_TMP" || true
    rm -rf "$PG_TMP"
    PG_TMP=""
  fi
  if [[ -n "$RMQ_TMP" ]]; then
    rmq_stop "$RMQ_TMP" || true
    rm -rf "$RMQ_TMP"
    RMQ_TMP=""
  fi
  # Host processes the multi-process tests started outlive a test run that was killed (a hang, Ctrl-C).
  pkill -f "$PWD/src/Host/Modular.Host/bin/Release/net10.0/Modular.Host.dll" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT # run the EXIT trap on Ctrl-C / kill too
trap 'exit 143' TERM

docker_engine=0
if command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; then
  docker_engine=1
fi

if [[ -n "${MODULAR_TEST_POSTGRES:-}" ]]; then
  echo "Tests use the PostgreSQL server from MODULAR_TEST_POSTGRES."
elif ((docker_engine)); then
  echo "Docker engine reachable: the test fixtures start PostgreSQL with Testcontainers."
else
  echo "No MODULAR_TEST_POSTGRES and no Docker engine: starting a throwaway local PostgreSQL."
  pg_ensure_installed
  # A port left busy by another run must not fail this one: take the next free port.
  port="$(pg_free_port "${MODULAR_TEST_PG_PORT:-55433}")"
  PG_TMP="$(pg_make_temp_dir)"
  pg_ensure_cluster "$PG_TMP" "$port"
  MODULAR_TEST_POSTGRES="$(pg_connection_string "$port" postgres)"
  export MODULAR_TEST_POSTGRES
fi

if [[ -n "${MODULAR_TEST_RABBITMQ:-}" ]]; then
  echo "Tests use the RabbitMQ broker from MODULAR_TEST_RABBITMQ."
elif ((docker_engine)); then
  echo "Docker engine reachable: the test fixtures start RabbitMQ with Testcontainers."
else
  echo "No MODULAR_TEST_RABBITMQ and no Docker engine: starting a throwaway loopback RabbitMQ."
  rmq_port="$(pg_free_port "${MODULAR_TEST_RABBITMQ_PORT:-5682}")"
  RMQ_TMP="$(mktemp -d "${TMPDIR:-/tmp}/modular-test-rabbitmq.XXXXXX")"
  if rmq_start "$RMQ_TMP" "$rmq_port"; then
    MODULAR_TEST_RABBITMQ="$(rmq_uri "$rmq_port")"
    export MODULAR_TEST_RABBITMQ
  else
    echo "test.sh: error: could not start RabbitMQ; the RabbitMQ topology tests will fail saying how to provide one." >&2
  fi
fi

# --- Prometheus (docs/adr/0025) ----------------------------------------------------------------
# promtool checks the compose stack's configuration; the metrics tests run the prometheus binary. Installed from
# Debian's package where missing and apt-get can; otherwise the check is skipped and the test says why it skips.
promtool_check=skipped
if ! command -v promtool >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" -eq 0 ]]; then
  echo "Installing Debian's prometheus package (promtool, and the binary the metrics tests run) ..."
  { apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1; }; } ||
    echo "test.sh: warning: could not install Debian's prometheus package." >&2
fi
if command -v promtool >/dev/null 2>&1; then
  if promtool check config deploy/prometheus/prometheus.yml; then promtool_check=passed; else promtool_check=failed; fi
else
  echo "promtool check skipped: promtool is not installed and could not be (Debian: apt-get install prometheus, as root)."
fi

# --- Chromium (docs/adr/0039) -----------------------------------------------------------------------------------
# The operations console's browser tests drive the machine's Chromium with Playwright; Playwright never downloads one.
# Installed from Debian's package where missing and apt-get can; otherwise those tests fail saying how to provide one
# (MODULAR_CHROMIUM names another binary). Their screenshots go to the test results.
if [[ -z "${MODULAR_CHROMIUM:-}" ]] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 &&
  ! command -v google-chrome >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" -eq 0 ]]; then
  echo "Installing Debian's chromium package (the operations console's browser tests drive it) ..."
  { apt-get install -y chromium >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; }; } ||
    echo "test.sh: warning: could not install Debian's chromium package; the browser tests will fail saying so." >&2
fi
export MODULAR_SCREENSHOTS="${MODULAR_SCREENSHOTS:-$RESULTS/screenshots}"

# --- Kubernetes manifests (docs/adr/0027) ------------------------------------------------------------------------
# scripts/check-k8s.sh renders deploy/k8s's overlays with kubectl kustomize and checks them offline; it skips, saying
# why, where kubectl or node is missing.
k8s_check=skipped
k8s_rc=0
bash scripts/check-k8s.sh || k8s_rc=$?
case "$k8s_rc" in
  0) k8s_check=passed ;;
  3) ;;
  *) echo "test.sh: error: scripts/check-k8s.sh failed (see above)." >&2; k8s_check=failed ;;
esac

# Stops the throwaway cluster, prints the summary line last and exits.
finish() {
  cleanup >/dev/null 2>&1 || true
  phase "Done"
  echo "$1 passed, $2 failed, $3 skipped"
  exit "$4"
}

# --- Build -----------------------------------------------------------------------------------
phase "Building the solution (Debug) and the host (Release)"
if ! dotnet build "$SLN" -c Debug; then
  echo "test.sh: error: 'dotnet build $SLN -c Debug' failed (warnings are errors; see above)." >&2
  finish 0 1 0 1
fi
# The multi-process topology tests run the Release host, the artefact every deployment shape runs.
if ! dotnet build src/Host/Modular.Host/Modular.Host.csproj -c Release; then
  echo "test.sh: error: 'dotnet build src/Host/Modular.Host -c Release' failed (see above)." >&2
  finish 0 1 0 1
fi
# Tests that run the Release host skip their own (incremental) build of it (tests/Modular.Testing/ReleaseHost.cs).
export MODULAR_RELEASE_HOST_BUILT=1

# --- Tests -----------------------------------------------------------------------------------
phase "Running the tests"
test_rc=0
dotnet test "$SLN" --no-build -c Debug \
  --logger "trx;LogFilePrefix=tests" --results-directory "$RESULTS" \
  --blame-hang-timeout 10m --blame-hang-dump-type mini "$@" || test_rc=$?

# --- Release check (publishes the Release build and smoke-tests it) --------------------------
release_passed=0 release_failed=0 release_skipped=0
if [[ "${MODULAR_SKIP_RELEASE_CHECK:-0}" == 1 ]]; then
  echo "Release check skipped (MODULAR_SKIP_RELEASE_CHECK=1)."
elif [[ -f scripts/release-check.sh ]]; then
  phase "Running scripts/release-check.sh"
  release_rc=0
  bash scripts/release-check.sh || release_rc=$?
  case "$release_rc" in
    0) release_passed=1 ;;
    3) release_skipped=1 ;;
    *) echo "test.sh: error: scripts/release-check.sh failed (see above)." >&2; release_failed=1 ;;
  esac
else
  echo "scripts/release-check.sh not found: release check not run."
fi

# --- Module template (docs/adr/0037) ----------------------------------------------------------------------------------
# scripts/check-template.sh makes a module from templates/module in a scratch copy, builds it and runs the architecture
# tests and the new module's tests over it.
template_check=passed
phase "Running scripts/check-template.sh"
bash scripts/check-template.sh || { echo "test.sh: error: scripts/check-template.sh failed (see above)." >&2; template_check=failed; }

# --- Benchmark smoke run (docs/adr/0029) ---------------------------------------------------------------------------
# scripts/benchmark.sh --smoke runs every step of the benchmark for the baseline and the working tree with tiny counts: it
# fails when a step does not run, never on a figure. It needs a PostgreSQL cluster of its own, from the machine's
# packages: where the tests use Testcontainers it is counted as skipped. MODULAR_BENCH_SMOKE=0 skips it, =1 forces it.
bench_check=skipped
bench_smoke="${MODULAR_BENCH_SMOKE:-}"
[[ -n "$bench_smoke" ]] || { if ((docker_engine)) && [[ -z "${MODULAR_TEST_POSTGRES:-}" ]] && ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then bench_smoke=0; else bench_smoke=1; fi; }
if [[ "$bench_smoke" == 1 ]]; then
  phase "Running scripts/benchmark.sh --smoke"
  if bash scripts/benchmark.sh --smoke; then bench_check=passed; else echo "test.sh: error: scripts/benchmark.sh --smoke failed (see above)." >&2; bench_check=failed; fi
else
  echo "Benchmark smoke run skipped (no local PostgreSQL packages beside Testcontainers, or MODULAR_BENCH_SMOKE=0)."
fi

# --- Summary ---------------------------------------------------------------------------------
# Sum the <Counters .../> element of every TRX file (one per test project). VSTest leaves
# notExecuted at 0 for skipped tests, so skipped = total - executed.
read -r trx_total trx_passed trx_failed trx_skipped < <(
  find "$RESULTS" -name '*.trx' -type f -exec cat {} + | tr '\n' ' ' | grep -o '<Counters [^>]*>' |
    awk '{ for (i = 2; i <= NF; i++) if (split($i, kv, "=") == 2) { gsub(/[^0-9]/, "", kv[2]); n[kv[1]] += kv[2] } }
         END { printf "%d %d %d %d\n", n["total"], n["passed"], n["failed"] + n["error"] + n["timeout"] + n["aborted"], n["total"] - n["executed"] }'
)

promtool_passed=0 promtool_failed=0 promtool_skipped=0
case "$promtool_check" in passed) promtool_passed=1 ;; failed) promtool_failed=1 ;; *) promtool_skipped=1 ;; esac
k8s_passed=0 k8s_failed=0 k8s_skipped=0
case "$k8s_check" in passed) k8s_passed=1 ;; failed) k8s_failed=1 ;; *) k8s_skipped=1 ;; esac
bench_passed=0 bench_failed=0 bench_skipped=0
case "$bench_check" in passed) bench_passed=1 ;; failed) bench_failed=1 ;; *) bench_skipped=1 ;; esac
template_passed=0 template_failed=0
case "$template_check" in passed) template_passed=1 ;; *) template_failed=1 ;; esac
passed=$((trx_passed + release_passed + promtool_passed + k8s_passed + bench_passed + template_passed))
failed=$((trx_failed + release_failed + promtool_failed + k8s_failed + bench_failed + template_failed))
rc=0
if ((test_rc != 0)); then
  echo "test.sh: error: dotnet test exited with code $test_rc." >&2
  rc=1
  # A crash or hang can end the run without a failed test in the TRX files; still count it.
  ((trx_failed > 0)) || failed=$((failed + 1))
fi
if ((trx_passed == 0)); then
  echo "test.sh: error: no test passed ($trx_total found in $RESULTS)." >&2
  rc=1
  ((failed > 0)) || failed=1
fi
((failed == 0)) || rc=1
finish "$passed" "$failed" "$((trx_skipped + release_skipped + promtool_skipped + k8s_skipped + bench_skipped))" "$rc"
