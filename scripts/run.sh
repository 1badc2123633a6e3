#!/usr/bin/env bash
# Runs Modular locally: provisions PostgreSQL (unless ConnectionStrings__Modular is set),
# builds the host in Release, applies the schema, starts the host and seeds demo data (scripts/seed-demo.sh).
#
#   MODULAR_URLS      listen URLs             (default http://127.0.0.1:5080)
#   MODULAR_PG_PORT   local PostgreSQL port   (default 55432; ignored when ConnectionStrings__Modular is set)
#   MODULAR_SEED      1 seeds demo products and stock once the host is ready (default), 0 does not
#   Modular__Database__Passwords__<Catalog|Inventory|Ordering|Payments|Shipping|Messaging>
#                     set all of them to run the host as one PostgreSQL role per module (docs/adr/0020); unset
#                     (default), every part of the host logs in as the owner, ConnectionStrings__Modular
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh

HOST_DIR="src/Host/Modular.Host"
URLS="${MODULAR_URLS:-http://127.0.0.1:5080}"

command -v dotnet >/dev/null 2>&1 ||
  { echo "run.sh: error: 'dotnet' is not on PATH. Fix: install the .NET 10 SDK (https://dot.net)." >&2; exit 1; }
command -v curl >/dev/null 2>&1 ||
  { echo "run.sh: error: 'curl' is not on PATH (it checks readiness and seeds the demo). Fix: apt-get install curl." >&2; exit 1; }

export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}" DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
# Without an OpenID Connect provider (Modular__Authentication__Authority), the host trusts tokens signed by this local
# key, created on first use in the git-ignored .local folder; the host's 'token' command mints them.
export Modular__Authentication__SigningKeyPath="${Modular__Authentication__SigningKeyPath:-$ROOT/.local/signing-key.pem}"

if [[ -n "${ConnectionStrings__Modular:-}" ]]; then
  echo "Using the database from ConnectionStrings__Modular."
else
  port="${MODULAR_PG_PORT:-55432}"
  dir="$(pg_default_dir)"
  pg_ensure_cluster "$dir" "$port"
  pg_create_database "$port" modular
  ConnectionStrings__Modular="$(pg_connection_string "$port" modular)"
  export ConnectionStrings__Modular
  echo "Database: $ConnectionStrings__Modular (the cluster keeps running after exit; stop it with:" \
    "bash -c 'source scripts/lib/postgres.sh && pg_stop \"$dir\"')"
fi

dotnet build "$HOST_DIR/Modular.Host.csproj" -c Release

# dotnet run keeps the caller's working directory, and ASP.NET Core's content root (where
# appsettings*.json are read) is the working directory: run from the project folder.
# --no-launch-profile: Properties/launchSettings.json must not override the environment/URLs set here.
cd "$HOST_DIR"
dotnet run --no-build -c Release --no-launch-profile -- resources setup

echo "Modular is starting on $URLS (API reference at /scalar, health at /health/ready)"
dotnet run --no-build -c Release --no-launch-profile -- --urls "$URLS" &
host_pid=$!
trap 'kill "$host_pid" 2>/dev/null; wait "$host_pid"; exit 130' INT TERM

base="${URLS%%;*}"
until curl -sf "$base/health/ready" >/dev/null; do
  kill -0 "$host_pid" 2>/dev/null || { wait "$host_pid"; exit $?; }
  sleep 0.2
done

token() { dotnet bin/Release/net10.0/Modular.Host.dll token "$@"; }
if [[ -z "${Modular__Authentication__Authority:-}" ]]; then
  CUSTOMER_TOKEN="$(token --subject alice --role customer)"
  STAFF_TOKEN="$(token --subject sam --role staff)"
  ADMIN_TOKEN="$(token --subject ada --role admin)"
fi
if [[ "${MODULAR_SEED:-1}" == 1 && -n "${STAFF_TOKEN:-}" ]]; then
  MODULAR_TOKEN="$STAFF_TOKEN" bash "$ROOT/scripts/seed-demo.sh" "$base" ||
    echo "run.sh: warning: seeding the demo data failed (see above); the host keeps running." >&2
fi
if [[ -n "${STAFF_TOKEN:-}" ]]; then
  cat <<TOKENS
Tokens for the README's examples (valid 8 hours; paste into a shell, or into the API reference page's Bearer field):
export CUSTOMER_TOKEN=$CUSTOMER_TOKEN
export STAFF_TOKEN=$STAFF_TOKEN
export ADMIN_TOKEN=$ADMIN_TOKEN
More: (cd $HOST_DIR && dotnet bin/Release/net10.0/Modular.Host.dll token --subject <name> --role customer|staff|admin)
TOKENS
fi
echo "Modular is ready on $base. Place an order (README, 'Try it'); Ctrl+C stops the host."
wait "$host_pid"
