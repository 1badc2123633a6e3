# shellcheck shell=bash
# Local PostgreSQL clusters for development and tests, without Docker.
# Source this file; it defines functions only and changes no shell options.
#
#   pg_ensure_installed          find (or apt-get install) initdb/pg_ctl; exports PG_BIN
#   pg_default_dir               print the folder for this repo's persistent dev cluster
#   pg_make_temp_dir             create and print a fresh folder for a throwaway cluster
#   pg_free_port PORT            print PORT, or the next port up that nothing listens on
#   pg_ensure_cluster DIR PORT   initdb DIR/data if needed, start it on 127.0.0.1:PORT
#   pg_stop DIR                  fast shutdown of the cluster in DIR, if running
#   pg_create_database PORT NAME create database NAME if it does not exist
#   pg_connection_string PORT NAME   print the Npgsql connection string
#   pg_libpq CONNECTION_STRING       print an Npgsql connection string as a libpq one, for psql
#   pg_with_database CONNECTION_STRING NAME   print the connection string with its database set to NAME
#
# A cluster folder DIR holds data/, postgres.log and the unix socket. Auth is "trust" for
# local and 127.0.0.1 connections, superuser "postgres"; the server listens on 127.0.0.1 only.

_PG_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"

_pg_err() { printf 'postgres.sh: error: %s\n' "$*" >&2; }
_pg_is_root() { [[ "$(id -u)" -eq 0 ]]; }
# Quote $1 as an SQL / postgresql.conf string literal.
_pg_literal() { local q="'"; printf "'%s'" "${1//$q/$q$q}"; }

# Run a server-side command as the cluster owner: as root that is the "postgres" user
# (initdb and postgres refuse to run as root); cd / so an untraversable cwd (e.g. /root) is harmless.
_pg_as_owner() {
  if _pg_is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Sets PG_BIN to a folder holding the server and client binaries; fails if there is none.
_pg_find_bin() {
  local candidate dir
  local -a candidates=()
  [[ -n "${PG_BIN:-}" ]] && candidates+=("$PG_BIN")
  # PATH entries are often symlinks (e.g. /usr/local/bin/initdb): resolve to the real folder.
  candidate="$(command -v initdb 2>/dev/null)" && candidates+=("$(dirname "$(readlink -f "$candidate")")")
  # Debian keeps server binaries off PATH; prefer the newest installed major version.
  mapfile -t -O "${#candidates[@]}" candidates < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -rV)
  for dir in "${candidates[@]}"; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/pg_isready" && -x "$dir/psql" ]]; then
      PG_BIN="$dir"
      export PG_BIN
      return 0
    fi
  done
  return 1
}

_PG_APT_UPDATED=""

pg_ensure_installed() {
  _pg_find_bin && return 0
  local -a sudo=()
  if ! _pg_is_root; then
    if ! command -v sudo >/dev/null 2>&1; then
      _pg_err "PostgreSQL is not installed and you are not root (no sudo either)." \
        "Fix: install it (Debian/Ubuntu: 'apt-get install postgresql'), or set PG_BIN to a folder with initdb/pg_ctl," \
        "or point the scripts at an existing server (ConnectionStrings__Modular / MODULAR_TEST_POSTGRES)."
      return 1
    fi
    # Never hang on a password prompt when there is no terminal (CI).
    if [[ -t 0 ]]; then sudo=(sudo); else sudo=(sudo -n); fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    _pg_err "PostgreSQL is not installed and apt-get is unavailable on this system." \
      "Fix: install PostgreSQL 15+ with your package manager (or set PG_BIN to its bin folder)," \
      "or point the scripts at an existing server (ConnectionStrings__Modular / MODULAR_TEST_POSTGRES)."
    return 1
  fi
  echo "PostgreSQL server binaries (initdb, pg_ctl) not found; installing the postgresql package with apt-get..."
  if [[ -z "$_PG_APT_UPDATED" ]]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
      { _pg_err "'apt-get update' failed (see above). Fix: check network access to the Debian mirrors."; return 1; }
    _PG_APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql ||
    { _pg_err "'apt-get install postgresql' failed (see above)."; return 1; }
  _pg_find_bin || { _pg_err "apt-get installed postgresql but no initdb/pg_ctl was found under /usr/lib/postgresql/*/bin."; return 1; }
}

# Root: the postgres user may not be able to traverse the repo path (e.g. /root/...), so the
# cluster lives in /var/tmp under a name derived from the repo path. Otherwise: <repo>/.local/postgres.
pg_default_dir() {
  if _pg_is_root; then
    printf '/var/tmp/modular-pg-%s\n' "$(printf '%s' "$_PG_REPO_ROOT" | sha256sum | cut -c1-12)"
  else
    printf '%s/.local/postgres\n' "$_PG_REPO_ROOT"
  fi
}

pg_make_temp_dir() {
  local base="${TMPDIR:-/tmp}"
  _pg_is_root && base=/tmp # TMPDIR may not be reachable by the postgres user
  mktemp -d "$base/modular-test-pg.XXXXXX"
}

# True when something accepts TCP connections on 127.0.0.1:PORT (PostgreSQL or not).
_pg_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when a PostgreSQL server accepts connections on 127.0.0.1:PORT.
_pg_answering() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -t 3; }

pg_free_port() {
  local port="$1" last=$(($1 + 50))
  while ((port <= last)); do
    _pg_port_busy "$port" || { echo "$port"; return 0; }
    port=$((port + 1))
  done
  _pg_err "no free TCP port in $1..$last on 127.0.0.1."
  return 1
}

# Port recorded by the postmaster of DIR's cluster (line 4 of postmaster.pid), empty if none.
_pg_pid_port() { [[ -f "$1/data/postmaster.pid" ]] && sed -n 4p "$1/data/postmaster.pid" | tr -d '[:space:]'; }

# After a kill -9 the postmaster can linger as an unreaped zombie (its pid still "exists"), and
# pg_ctl would then wait on it or refuse to start. If nothing listens on the recorded port, the
# server is gone: drop the stale lock files (and give orphaned backends a moment to exit).
_pg_clear_stale_pid() {
  local dir="$1" port
  port="$(_pg_pid_port "$dir" || true)"
  [[ -n "$port" ]] || return 0
  _pg_port_busy "$port" && return 0
  echo "Removing stale lock files in $dir (nothing listens on port $port)."
  rm -f "$dir/data/postmaster.pid" "$dir/.s.PGSQL.$port" "$dir/.s.PGSQL.$port.lock"
  sleep 1
}

pg_ensure_cluster() {
  local dir="$1" port="$2"
  [[ "$port" =~ ^[0-9]+$ ]] || { _pg_err "pg_ensure_cluster: port must be a number, got '$port'."; return 1; }
  pg_ensure_installed || return 1
  mkdir -p "$dir" || { _pg_err "cannot create cluster folder $dir."; return 1; }
  dir="$(cd "$dir" && pwd -P)"
  if _pg_is_root; then
    id postgres >/dev/null 2>&1 || { _pg_err "running as root but there is no 'postgres' user to own the cluster. Fix: install the postgresql package (it creates the user) or run as a normal user."; return 1; }
    chown postgres:postgres "$dir" && chmod 700 "$dir"
    _pg_as_owner test -w "$dir" -a -x "$dir" || {
      _pg_err "the postgres user cannot reach $dir (a parent folder is not traversable). Fix: use a folder under /var/tmp or /tmp (see pg_default_dir)."
      return 1
    }
  fi

  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    rm -rf "$dir/data" # leftover of an interrupted initdb, never a working cluster
    echo "Initialising PostgreSQL cluster in $dir/data ..."
    if ! _pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      _pg_err "initdb failed for $dir/data (output above)."
      return 1
    fi
    # Unix socket paths are limited to 107 bytes; on a deep path, go TCP-only.
    local socket_dir="$dir"
    ((${#dir} > 90)) && socket_dir=""
    _pg_as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# Added by scripts/lib/postgres.sh (local dev/test cluster). The port is given at start-up.
listen_addresses = '127.0.0.1'
unix_socket_directories = $(_pg_literal "$socket_dir")
max_connections = 300
EOF
  fi

  local running_port
  running_port="$(_pg_pid_port "$dir" || true)"
  if [[ -n "$running_port" ]] && _pg_answering "$running_port"; then
    if [[ "$running_port" == "$port" ]]; then
      echo "PostgreSQL already running: $dir (127.0.0.1:$port)"
      return 0
    fi
    _pg_err "the cluster in $dir is already running on port $running_port, not $port. Fix: use port $running_port, or stop it first (pg_stop $dir)."
    return 1
  fi
  _pg_clear_stale_pid "$dir"
  if _pg_port_busy "$port"; then
    _pg_err "port $port on 127.0.0.1 is used by another process. Fix: stop it, or choose another port (MODULAR_PG_PORT for run.sh, MODULAR_TEST_PG_PORT for test.sh)."
    return 1
  fi

  if ! _pg_as_owner "$PG_BIN/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/postgres.log" -o "-p $port" >/dev/null; then
    tail -n 30 "$dir/postgres.log" >&2 2>/dev/null || true
    _pg_err "PostgreSQL failed to start (log: $dir/postgres.log, tail above)."
    return 1
  fi
  echo "PostgreSQL running: $dir (127.0.0.1:$port, log $dir/postgres.log)"
}

pg_stop() {
  local dir="$1" port
  [[ -f "$dir/data/postmaster.pid" ]] || return 0
  _pg_find_bin || return 0
  _pg_clear_stale_pid "$dir"
  [[ -f "$dir/data/postmaster.pid" ]] || return 0
  port="$(_pg_pid_port "$dir" || true)"
  _pg_as_owner "$PG_BIN/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null 2>&1 ||
    _pg_as_owner "$PG_BIN/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
  # After a kill the pid file may be stale or its pid reused, so trust the port, not the pid.
  [[ -n "$port" ]] || return 0
  local _
  for _ in {1..50}; do
    _pg_answering "$port" || return 0
    sleep 0.2
  done
  _pg_err "PostgreSQL in $dir still answers on port $port after pg_ctl stop."
  return 1
}

pg_create_database() {
  local port="$1" name="$2" exists
  pg_ensure_installed || return 1
  exists="$(PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAq \
    -c "select 1 from pg_database where datname = $(_pg_literal "$name")")" ||
    { _pg_err "cannot query PostgreSQL on 127.0.0.1:$port (is it running?)."; return 1; }
  [[ "$exists" == 1 ]] && return 0
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name" ||
    { _pg_err "createdb $name failed on 127.0.0.1:$port."; return 1; }
  echo "Created database $name"
}

# Trust auth ignores the password; it keeps the string in the usual Npgsql shape.
pg_connection_string() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=postgres;Password=postgres\n' "$1" "$2"
}

pg_with_database() {
  local part out="" IFS=';'
  for part in $1; do
    [[ -n "$part" ]] || continue
    case "${part%%=*}" in
      [Dd]atabase | [Dd]b) ;;
      *) out+="$part;" ;;
    esac
  done
  printf '%sDatabase=%s\n' "$out" "$2"
}

pg_libpq() {
  local part key value out=""
  local IFS=';'
  for part in $1; do
    [[ -n "$part" ]] || continue
    key="${part%%=*}" value="${part#*=}"
    case "${key,,}" in
      host|server) out+="host=$value " ;;
      port) out+="port=$value " ;;
      database|db) out+="dbname=$value " ;;
      username|user\ id|userid|user) out+="user=$value " ;;
      password) out+="password=$value " ;;
    esac
  done
  printf '%s\n' "${out% }"
}
