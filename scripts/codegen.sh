#!/usr/bin/env bash
# Regenerates the Wolverine handler code that Release builds compile in (src/Host/Modular.Host/Internal/Generated).
# Run it after changing any handler or endpoint, and commit the result; scripts/release-check.sh fails when it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

host=src/Host/Modular.Host
rm -rf "$host/Internal/Generated"
# Code generation builds the container but opens no connection: any well-formed connection string will do.
(cd "$host" && ConnectionStrings__Modular="${ConnectionStrings__Modular:-Host=127.0.0.1;Database=codegen}" \
  dotnet run -c Debug --no-launch-profile -- codegen write >/dev/null)
echo "Regenerated $(find "$host/Internal/Generated" -name '*.cs' | wc -l) files under $host/Internal/Generated"
