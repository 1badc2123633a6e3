#!/usr/bin/env bash
# Seeds a running Modular with a few products and their stock, through its public HTTP API.
# Usage: MODULAR_TOKEN=<staff token> scripts/seed-demo.sh [base-url]   (default http://127.0.0.1:5080)
# Safe to run again: a product the catalog already has is left as it is, and gets no more stock.
set -euo pipefail
base="${1:-http://127.0.0.1:5080}"
: "${MODULAR_TOKEN:?seed-demo: set MODULAR_TOKEN to a staff token (scripts/run.sh prints one as STAFF_TOKEN)}"
auth="Authorization: Bearer $MODULAR_TOKEN"

seed() { # sku name price stock
  local sku="$1" name="$2" price="$3" stock="$4" status
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/catalog/products" -H "$auth" -H 'content-type: application/json' \
    -d "{\"sku\":\"$sku\",\"name\":\"$name\",\"price\":$price,\"currency\":\"EUR\"}")
  case "$status" in
    201) ;;
    409) echo "  $sku is already in the catalog"; return 0 ;;
    *) echo "seed-demo: error: adding $sku answered HTTP $status" >&2; return 1 ;;
  esac
  # Inventory hears of the product from Catalog's event a moment later: retry while it answers 404.
  for _ in $(seq 1 100); do
    # The key makes seeding twice receive the stock once.
    status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/inventory/stock/$sku/receipts" \
      -H "$auth" -H 'content-type: application/json' -H "Idempotency-Key: seed-$sku" -d "{\"quantity\":$stock}")
    [[ "$status" == 404 ]] || break
    sleep 0.1
  done
  [[ "$status" == 200 ]] || { echo "seed-demo: error: receiving stock of $sku answered HTTP $status" >&2; return 1; }
  echo "  $sku: $name, $price EUR, $stock in stock"
}

echo "Seeding demo products at $base:"
seed MUG-1 "Blue mug" 12.50 25
seed PLATE-1 "Stoneware plate" 8.90 40
seed TEAPOT-1 "Cast-iron teapot" 34.00 3
