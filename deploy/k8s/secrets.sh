#!/usr/bin/env bash
# Prints the Secrets the manifests mount, made from a folder of files as scripts/make-secrets.sh writes it (default:
# ./secrets of the repository), for `kubectl apply`; nothing is written to disk:
#
#   scripts/make-secrets.sh && deploy/k8s/secrets.sh | kubectl apply -f -
#
#   modular-config        the services' configuration files (Modular__SecretsPath): ConnectionStrings__Modular, and
#                         ConnectionStrings__RabbitMq and Modular__Database__Passwords__<Role> where the folder has them
#   modular-setup-config  the same for the setup Job, which logs in as the owner of the schemas
#   modular-keys          signing-key.pem (tokens), payments-token-key.pem and its public half .pub.pem (docs/adr/0023)
#
# With database role passwords in the folder (docs/adr/0020), the services log in as the roles: their copy of the
# connection string loses its password, and only the setup Job holds the owner's.
set -euo pipefail
command -v kubectl >/dev/null 2>&1 || { echo "secrets.sh: error: 'kubectl' is not on PATH." >&2; exit 1; }
folder="${1:-$(dirname "${BASH_SOURCE[0]}")/../../secrets}"
for file in ConnectionStrings__Modular signing-key.pem payments-token-key.pem payments-token-key.pub.pem; do
  [[ -s "$folder/$file" ]] ||
    { echo "secrets.sh: error: $folder/$file is missing. Fix: scripts/make-secrets.sh, or write it (see deploy/k8s/README.md)." >&2; exit 1; }
done

config=(--from-file="ConnectionStrings__Modular=$folder/ConnectionStrings__Modular")
roles=0
for file in "$folder"/ConnectionStrings__RabbitMq "$folder"/Modular__Database__Passwords__*; do
  [[ -s "$file" ]] || continue
  config+=(--from-file="$(basename "$file")=$file")
  [[ "$(basename "$file")" != Modular__Database__Passwords__* ]] || roles=1
done

service=("${config[@]}")
if ((roles)); then
  private="$(mktemp -d)"
  trap 'rm -rf "$private"' EXIT
  sed -E 's/(^|;)[[:space:]]*(Password|Pwd)[[:space:]]*=[^;]*//Ig' "$folder/ConnectionStrings__Modular" >"$private/ConnectionStrings__Modular"
  service[0]="--from-file=ConnectionStrings__Modular=$private/ConnectionStrings__Modular"
fi

kubectl create secret generic modular-config "${service[@]}" --dry-run=client -o yaml
echo ---
kubectl create secret generic modular-setup-config "${config[@]}" --dry-run=client -o yaml
echo ---
kubectl create secret generic modular-keys --dry-run=client -o yaml \
  --from-file="signing-key.pem=$folder/signing-key.pem" \
  --from-file="payments-token-key.pem=$folder/payments-token-key.pem" \
  --from-file="payments-token-key.pub.pem=$folder/payments-token-key.pub.pem"
