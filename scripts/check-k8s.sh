#!/usr/bin/env bash
# Renders every overlay of deploy/k8s with `kubectl kustomize` and checks it offline (docs/adr/0027): each object against
# the Kubernetes 1.27 JSON schemas, strictly (no unknown field), and the properties the rollout relies on (probes on the
# host's health paths, non-root and read-only, resources, a grace period above the host's drain, a setup Job per
# shape, the split's NetworkPolicy and autoscaler...): tools/k8s-validate/check.js says which, and names what fails.
# The Secrets deploy/k8s/secrets.sh makes from throwaway files (scripts/make-secrets.sh in a temporary folder) are
# checked too, and every Secret key a manifest mounts must be among them.
#
# Exit codes: 0 passed, 1 failed, 3 skipped (kubectl, node or openssl missing), as scripts/test.sh counts them.
# The validator's packages are installed once with `npm ci` (pinned by tools/k8s-validate/package-lock.json) into
# tools/k8s-validate/node_modules (git-ignored), and again only when the lock file changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

declare -A install=([kubectl]="install the Kubernetes client, 1.14 or later" [node]="apt-get install nodejs npm"
  [npm]="apt-get install npm" [openssl]="apt-get install openssl")
for tool in kubectl node npm openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "check-k8s: skipped: '$tool' is not on PATH (${install[$tool]})."; exit 3; }
done
kubectl kustomize --help >/dev/null 2>&1 ||
  { echo "check-k8s: skipped: this kubectl has no 'kustomize' command (kubectl 1.14 or later has)."; exit 3; }

tools=tools/k8s-validate
stamp="$tools/node_modules/.package-lock.sha256"
lock="$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock" ]]; then
  echo "check-k8s: installing the validator's packages (npm ci in $tools) ..."
  if ! npm ci --prefix "$tools" --no-audit --no-fund >"${TMPDIR:-/tmp}/check-k8s-npm.log" 2>&1; then
    cat "${TMPDIR:-/tmp}/check-k8s-npm.log" >&2
    echo "check-k8s: error: 'npm ci' in $tools failed (see above)." >&2
    exit 1
  fi
  echo "$lock" >"$stamp"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/check-k8s.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Throwaway secret files, as scripts/make-secrets.sh writes them for docker compose, plus the database role passwords
# a deployment may add (docs/adr/0020): the Secrets then take the services' connection string without the owner's password.
mkdir -p "$work/scripts"
cp scripts/make-secrets.sh "$work/scripts/"
bash "$work/scripts/make-secrets.sh" >/dev/null
for role in Catalog Inventory Ordering Payments Shipping Messaging; do printf 'throwaway' >"$work/secrets/Modular__Database__Passwords__$role"; done
bash deploy/k8s/secrets.sh "$work/secrets" >"$work/secrets.yaml"

rendered=()
for overlay in deploy/k8s/overlays/*/; do
  name="$(basename "$overlay")"
  if ! kubectl kustomize "$overlay" >"$work/$name.yaml"; then
    echo "check-k8s: error: 'kubectl kustomize $overlay' failed (see above)." >&2
    exit 1
  fi
  rendered+=("$name=$work/$name.yaml")
done

node "$tools/check.js" --repo "$PWD" --secrets "$work/secrets.yaml" "${rendered[@]}"
