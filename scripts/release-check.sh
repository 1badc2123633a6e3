#!/usr/bin/env bash
# Proves the Release artefact works, outside Docker, with the same publish command the Dockerfile runs:
#   1. the committed pre-generated handler code is current (scripts/codegen.sh reproduces it exactly);
#   2. `dotnet publish -c Release` succeeds;
#   3. the published host applies its schema (`resources setup`) on an empty database, starts with statically
#      loaded handlers, answers /health/ready, seeds products (scripts/seed-demo.sh) and takes an order to Confirmed.
#      Start-up time and memory are printed.
# Step 3 needs MODULAR_TEST_POSTGRES (scripts/test.sh sets it unless the tests use Testcontainers); without it the
# script skips step 3 and exits with 3, which scripts/test.sh counts as a skipped test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh

generated=src/Host/Modular.Host/Internal/Generated
bash scripts/codegen.sh >/dev/null
# Compared with the index (in CI: the commit); a regenerated file that differs, or one git does not know, is stale.
if ! git diff --quiet -- "$generated" || [[ -n "$(git ls-files --others --exclude-standard -- "$generated")" ]]; then
  git status --short -- "$generated" >&2
  echo "release-check: error: the pre-generated handler code is stale. Fix: run scripts/codegen.sh and commit $generated." >&2
  exit 1
fi
echo "release-check: pre-generated handler code is current."

publish=artifacts/publish
rm -rf "$publish"
dotnet publish src/Host/Modular.Host/Modular.Host.csproj -c Release -o "$publish" --nologo -v quiet
echo "release-check: published to $publish."

if [[ -z "${MODULAR_TEST_POSTGRES:-}" ]]; then
  echo "release-check: MODULAR_TEST_POSTGRES is not set; skipping the smoke test of the published host."
  exit 3
fi
command -v curl >/dev/null 2>&1 || { echo "release-check: error: 'curl' is not on PATH. Fix: apt-get install curl." >&2; exit 1; }

database="release_check_$$"
admin="$MODULAR_TEST_POSTGRES"
psql_admin() { psql "$(pg_libpq "$admin")" -v ON_ERROR_STOP=1 -qAtc "$1"; }
psql_admin "create database $database" >/dev/null

export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
keys=$(mktemp -d)
export Modular__Authentication__SigningKeyPath="$keys/signing-key.pem"
export Payments__TokenKey__PrivateKeyFile="$keys/payments-token-key.pem"
export ConnectionStrings__Modular
ConnectionStrings__Modular="$(pg_with_database "$admin" "$database")"
port="$(pg_free_port 5280)"
log=$(mktemp)
host_pid=""
cleanup() {
  [[ -z "$host_pid" ]] || kill "$host_pid" 2>/dev/null || true
  psql_admin "drop database if exists $database with (force)" >/dev/null 2>&1 || true
  rm -rf "$log" "$keys"
}
trap cleanup EXIT

(cd "$publish" && dotnet Modular.Host.dll resources setup >/dev/null)

started=$(date +%s%N)
(cd "$publish" && exec dotnet Modular.Host.dll --urls "http://127.0.0.1:$port") >"$log" 2>&1 &
host_pid=$!
until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do
  if ! kill -0 "$host_pid" 2>/dev/null; then
    cat "$log" >&2
    echo "release-check: error: the published host exited during start-up (log above)." >&2
    exit 1
  fi
  if (( ($(date +%s%N) - started) / 1000000000 > 60 )); then
    cat "$log" >&2
    echo "release-check: error: the published host was not ready after 60 s (log above)." >&2
    exit 1
  fi
  sleep 0.05
done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
rss_ready=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$host_pid/status")

base="http://127.0.0.1:$port"
staff=$(cd "$publish" && dotnet Modular.Host.dll token --subject release-staff --role staff)
customer=$(cd "$publish" && dotnet Modular.Host.dll token --subject release-check --role customer)
MODULAR_TOKEN="$staff" bash scripts/seed-demo.sh "$base" >/dev/null || { cat "$log" >&2; echo "release-check: error: seeding products through the published host failed." >&2; exit 1; }
body=$(curl -sf -H "Authorization: Bearer $customer" "$base/api/catalog/products/MUG-1")
[[ "$body" == *'"sku":"MUG-1"'* ]] || { echo "release-check: error: GET /api/catalog/products/MUG-1 returned: $body" >&2; exit 1; }

# An order through every module's pre-generated handlers: Ordering, Inventory, Payments and back. Ordering hears of
# the seeded products a moment after Catalog answered: a 422 until then.
for _ in $(seq 1 100); do
  order=$(curl -s -i -X POST "$base/api/orders" -H "Authorization: Bearer $customer" -H 'content-type: application/json' \
    -H 'Idempotency-Key: release-check-1' -d '{"lines":[{"sku":"MUG-1","quantity":1}],"paymentToken":"tok_visa"}')
  [[ "$order" == *" 422 "* ]] || break
  sleep 0.1
done
location=$(printf '%s' "$order" | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
[[ -n "$location" ]] || { cat "$log" >&2; echo "release-check: error: POST /api/orders answered: $order" >&2; exit 1; }
for _ in $(seq 1 150); do
  status=$(curl -sf -H "Authorization: Bearer $customer" "$base$location" | grep -o '"status":"[A-Za-z]*"' | head -n 1 | cut -d '"' -f 4)
  [[ "$status" == Confirmed || "$status" == Rejected || "$status" == Cancelled ]] && break
  sleep 0.1
done
[[ "$status" == Confirmed ]] || { cat "$log" >&2; echo "release-check: error: the order ended $status, not Confirmed." >&2; exit 1; }
rss_after=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$host_pid/status")

if grep -q "MissingPreBuiltTypes\|Generated code" "$log"; then
  cat "$log" >&2
  echo "release-check: error: the host generated code at run time instead of loading it." >&2
  exit 1
fi
echo "release-check: published host ready in ${ready_ms} ms, ${rss_ready} MB RSS; ${rss_after} MB after seeding and one order to Confirmed."
