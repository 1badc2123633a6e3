#!/usr/bin/env bash
# Creates the secret files docker-compose.yml mounts, with fresh random passwords, in ./secrets (git-ignored).
# Existing files are kept, so running it again changes nothing; delete ./secrets to start over (and the
# compose volumes with `docker compose down -v`, since PostgreSQL keeps the password it was first started with).
#
#   scripts/make-secrets.sh && docker compose up --build
set -euo pipefail
command -v openssl >/dev/null 2>&1 || { echo "make-secrets: error: 'openssl' is not on PATH. Fix: apt-get install openssl." >&2; exit 1; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The folder is the owner's alone; the files in it are readable by all, because containers bind-mount each file and read
# it as their own unprivileged user (the host image's app user, the postgres user), not as this one.
mkdir -p secrets
chmod 700 secrets

secret() { [[ -s "secrets/$1" ]] || { printf '%s' "$2" >"secrets/$1" && chmod 644 "secrets/$1"; }; }
password() { head -c 24 /dev/urandom | base64 | tr -d '/+=' ; }

secret postgres-password "$(password)"
secret rabbitmq-password "$(password)"
pg="$(cat secrets/postgres-password)" rmq="$(cat secrets/rabbitmq-password)"
# File names are configuration keys (Modular:SecretsPath, docs/adr/0022): this one is ConnectionStrings:Modular.
secret ConnectionStrings__Modular "Host=postgres;Database=modular;Username=modular;Password=$pg"
secret ConnectionStrings__RabbitMq "amqp://modular:$rmq@rabbitmq:5672"
# RabbitMQ reads its first user from its configuration, not from a file named in an environment variable.
secret rabbitmq.conf "$(printf 'default_user = modular\ndefault_pass = %s\n' "$rmq")"
# Keys (PEM, ECDSA P-256): the one that signs tokens for both processes, and Payments' pair for payment tokens.
key() { [[ -s "secrets/$1" ]] || { openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "secrets/$1" && chmod 644 "secrets/$1"; }; }
key signing-key.pem
key payments-token-key.pem
[[ -s secrets/payments-token-key.pub.pem ]] || openssl pkey -in secrets/payments-token-key.pem -pubout -out secrets/payments-token-key.pub.pem
echo "Secrets are in $(pwd)/secrets"
