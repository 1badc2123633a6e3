# shellcheck shell=bash
# A throwaway RabbitMQ broker for the tests, without Docker: Debian's rabbitmq-server, one node bound to 127.0.0.1
# on non-default ports, with its data under a folder of its own. Source this file; it defines functions only.
#
#   rmq_ensure_installed        find (or apt-get install) rabbitmq-server; exports RMQ_BIN
#   rmq_start DIR AMQP_PORT     start a node with its state in DIR; waits until it accepts AMQP connections
#   rmq_stop DIR                stop the node started in DIR (and the epmd it started)
#   rmq_uri AMQP_PORT           print the AMQP URI of the node (user guest, which RabbitMQ allows on loopback)
#
# Every port is explicit and loopback-only: the AMQP port, the Erlang distribution port (AMQP + 20000) and epmd
# (AMQP + 1000). With default settings any rabbitmq command starts epmd on 0.0.0.0:4369.

_rmq_err() { printf 'rabbitmq.sh: error: %s\n' "$*" >&2; }

rmq_ensure_installed() {
  if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
    RMQ_BIN=/usr/lib/rabbitmq/bin
    export RMQ_BIN
    return 0
  fi
  local -a sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { _rmq_err "rabbitmq-server is not installed and you are not root (no sudo either). Fix: apt-get install rabbitmq-server, or set MODULAR_TEST_RABBITMQ to a broker's AMQP URI."; return 1; }
    if [[ -t 0 ]]; then sudo=(sudo); else sudo=(sudo -n); fi
  fi
  command -v apt-get >/dev/null 2>&1 || { _rmq_err "rabbitmq-server is not installed and apt-get is unavailable. Fix: install RabbitMQ 3.10+, or set MODULAR_TEST_RABBITMQ."; return 1; }
  echo "RabbitMQ not found; installing the rabbitmq-server package with apt-get..."
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rabbitmq-server; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
      { _rmq_err "'apt-get update' failed (see above). Fix: check network access to the Debian mirrors."; return 1; }
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rabbitmq-server ||
      { _rmq_err "'apt-get install rabbitmq-server' failed (see above)."; return 1; }
  fi
  # Where systemd runs, the package also starts a system broker on the default ports; the tests use their own node.
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || { _rmq_err "rabbitmq-server installed, but /usr/lib/rabbitmq/bin/rabbitmq-server is missing."; return 1; }
  RMQ_BIN=/usr/lib/rabbitmq/bin
  export RMQ_BIN
}

# The environment of the node in DIR; every rabbitmq command for it must run with it.
_rmq_env() {
  local dir="$1" port="$2"
  printf '%s\n' \
    "HOME=$dir" \
    "RABBITMQ_NODENAME=modular@localhost" \
    "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
    "RABBITMQ_NODE_PORT=$port" \
    "RABBITMQ_DIST_PORT=$((port + 20000))" \
    "ERL_EPMD_PORT=$((port + 1000))" \
    "ERL_EPMD_ADDRESS=127.0.0.1" \
    "RABBITMQ_BASE=$dir" \
    "RABBITMQ_MNESIA_BASE=$dir/mnesia" \
    "RABBITMQ_LOG_BASE=$dir/log" \
    "RABBITMQ_PID_FILE=$dir/rabbitmq.pid" \
    "RABBITMQ_CONFIG_FILE=$dir/rabbitmq" \
    "RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config" \
    "RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins" \
    "RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf" \
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}"
}

rmq_start() {
  local dir="$1" port="$2" _
  rmq_ensure_installed || return 1
  mkdir -p "$dir/mnesia" "$dir/log"
  echo "$port" >"$dir/port"
  : >"$dir/rabbitmq-env.conf"
  printf '[].\n' >"$dir/enabled_plugins"
  printf '[].\n' >"$dir/advanced.config"
  # Small disk and memory thresholds would otherwise block publishers on a busy CI disk.
  printf 'disk_free_limit.absolute = 50MB\nloopback_users.guest = true\n' >"$dir/rabbitmq.conf"
  mapfile -t env < <(_rmq_env "$dir" "$port")
  (cd "$dir" && exec env "${env[@]}" "$RMQ_BIN/rabbitmq-server" -noinput >"$dir/server.out" 2>&1) &
  echo $! >"$dir/launcher.pid"
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "RabbitMQ running: $dir (amqp://127.0.0.1:$port)"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/launcher.pid")" 2>/dev/null; then
      tail -n 30 "$dir/server.out" >&2
      _rmq_err "RabbitMQ exited during start-up (log above, more under $dir/log)."
      return 1
    fi
    sleep 0.1
  done
  tail -n 30 "$dir/server.out" >&2
  _rmq_err "RabbitMQ did not accept connections on 127.0.0.1:$port within 30 s."
  return 1
}

rmq_stop() {
  local dir="$1" pid env
  [[ -f "$dir/launcher.pid" ]] || return 0
  mapfile -t env < <(_rmq_env "$dir" "$(cat "$dir/port")")
  pid="$(cat "$dir/rabbitmq.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  kill -TERM "$(cat "$dir/launcher.pid")" 2>/dev/null || true
  # The node started an epmd on its own port; it outlives the node unless told to stop.
  env "${env[@]}" epmd -kill >/dev/null 2>&1 || true
  rm -f "$dir/launcher.pid"
}

rmq_uri() { printf 'amqp://guest:guest@127.0.0.1:%s\n' "$1"; }
