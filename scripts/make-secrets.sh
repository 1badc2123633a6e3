#!/usr/bin/env bash
# Creates the secret files docker-compose.yml mounts, with fresh random passwords, in ./secrets (git-ignored).
# Existing files are kept, so running it again changes nothing; delete ./secrets to start over (and the
# compose volumes with `docker compose down -v`, since PostgreSQL keeps the password it was first started with).
#
#   scripts/make-secrets.sh && docker compose up --build
set -euo pipefail
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
echo "Secrets are in $(pwd)/secrets"
