#!/usr/bin/env bash
# The cluster harness: on loopback, the stand-alone XProtect simulator, one PostgreSQL, N gateway
# instances and Debian's nginx running deploy/nginx/cns-gateway.conf unchanged in front of them.
# Tests (ClusterTest) and benchmarks drive it; people can too:
#
#   scripts/cluster.sh start            # then http://127.0.0.1:8090 (nginx), 8091.. (instances)
#   scripts/cluster.sh stop
#
# Commands: start | stop | status | kill-gateway N (SIGKILL) | start-gateway N | stop-gateway N
#           | restart-postgres [seconds down] | env (prints the state file)
#
# Environment:
#   CLUSTER_DIR             state, logs and data (default ./data/cluster). As root, the postgres user
#                           must be able to reach it (every parent directory searchable).
#   CLUSTER_GATEWAYS        gateway instances (default 2)
#   CLUSTER_PORT            nginx's port (default 8090); instance i on CLUSTER_PORT+i, the simulator
#                           on CLUSTER_PORT+20, PostgreSQL on CLUSTER_PORT+30
#   CLUSTER_CLASSPATH       run the gateway and the simulator from this Java classpath (the tests do)
#                           instead of gateway/target/cns-gateway.jar and the simulator's jar
#   CLUSTER_JAVA_OPTS       JVM options of each instance (default -Xmx768m)
#   CLUSTER_SIMULATOR_ARGS  more simulator options (e.g. --cameras=24 --token-ttl=60)
#   Any of the gateway's own variables (AUTH_*, PLAYBACK_*, RECORDING_*, MILESTONE_* but the
#   address and user) is passed to every instance.
#
# `start` writes CLUSTER_DIR/cluster.env (addresses and pids, no secrets); the admin password is in
# CLUSTER_DIR/admin-password (AUTH_ADMIN_PASSWORD when set), the signed-URL secret nginx shares with
# the instances in CLUSTER_DIR/url-signing-secret. Logs: CLUSTER_DIR/*.log.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${CLUSTER_DIR:-$ROOT/data/cluster}"
N="${CLUSTER_GATEWAYS:-2}"
PORT="${CLUSTER_PORT:-8090}"
SIM_PORT=$((PORT + 20))
PG_PORT=$((PORT + 30))
JAVA_OPTS="${CLUSTER_JAVA_OPTS:--Xmx768m}"

log() { echo "cluster: $*" >&2; }
die() { log "$*"; exit 1; }

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  die "no PostgreSQL server binaries (scripts/install-prerequisites.sh installs them)"
}

# As root, PostgreSQL runs as the postgres system user (initdb refuses root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

java_main() { # java_main <main class> <jar> args...
  local main="$1" jar="$2"
  shift 2
  if [ -n "${CLUSTER_CLASSPATH:-}" ]; then
    echo java --enable-native-access=ALL-UNNAMED -cp "$CLUSTER_CLASSPATH" "$main" "$@"
  else
    [ -f "$jar" ] || die "$jar is missing: build first (mvn -DskipTests package)"
    echo java --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"
  fi
}

# Starts a command in its own session, output to a log, pid to a file.
spawn() { # spawn <name> <command...>
  local name="$1"
  shift
  setsid "$@" >>"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

stop_proc() { # stop_proc <name> [signal]
  local name="$1" sig="${2:-TERM}" pid i
  alive "$name" || { rm -f "$DIR/$name.pid"; return 0; }
  pid="$(cat "$DIR/$name.pid")"
  kill "-$sig" "$pid" 2>/dev/null || true
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$DIR/$name.pid"
}

wait_http() { # wait_http <url> <seconds> <name>
  local url="$1" secs="$2" name="$3" i
  for i in $(seq 1 $((secs * 5))); do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    alive "$name" || die "$name exited; its log ($DIR/$name.log) ends with:
$(tail -n 30 "$DIR/$name.log")"
    sleep 0.2
  done
  die "$name did not answer $url in ${secs}s; its log ends with:
$(tail -n 30 "$DIR/$name.log")"
}

secret_file() { # secret_file <file>: 48 random characters, made once, mode 600
  [ -s "$1" ] || (umask 077 && head -c 36 /dev/urandom | base64 | tr '+/' '-_' >"$1")
}

start_postgres() {
  local bin
  bin="$(pg_bin)"
  mkdir -p "$DIR/postgres"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
    chown postgres "$DIR/postgres"
    runuser -u postgres -- test -w "$DIR/postgres" \
      || die "the postgres user cannot write $DIR/postgres: choose a CLUSTER_DIR whose parents it can search"
  fi
  if [ ! -f "$DIR/postgres/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$DIR/postgres/data" -U postgres -A trust -E UTF8 >>"$DIR/postgres.log" 2>&1 \
      || die "initdb failed: $(tail -n 20 "$DIR/postgres.log")"
  fi
  as_pg "$bin/pg_ctl" -D "$DIR/postgres/data" -l "$DIR/postgres/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200" start \
    >>"$DIR/postgres.log" 2>&1 || die "PostgreSQL did not start: $(tail -n 20 "$DIR/postgres/server.log")"
  as_pg "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='cns'" \
    | grep -q 1 || as_pg "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres cns
}

stop_postgres() {
  [ -f "$DIR/postgres/data/postmaster.pid" ] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$DIR/postgres/data" -m fast -w -t 60 stop >>"$DIR/postgres.log" 2>&1 || true
}

start_simulator() {
  # shellcheck disable=SC2046,SC2086
  spawn simulator $(java_main com.cns.xprotect.simulator.SimulatorMain \
    "$ROOT/milestone-simulator/target/xprotect-simulator.jar" --port="$SIM_PORT" ${CLUSTER_SIMULATOR_ARGS:-})
  wait_http "http://127.0.0.1:$SIM_PORT/simulator/site" 60 simulator
}

start_gateway() { # start_gateway <i>
  local i="$1" port=$((PORT + $1))
  alive "gateway-$i" && return 0
  mkdir -p "$DIR/gateway-$i"
  # shellcheck disable=SC2046,SC2086
  env DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/cns" \
    MILESTONE_BASE_URL="http://127.0.0.1:$SIM_PORT" MILESTONE_USERNAME=admin MILESTONE_PASSWORD=admin \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$port" DATA_DIR="$DIR/gateway-$i" INSTANCE_ID="gateway-$i" \
    AUTH_ADMIN_PASSWORD_FILE="$DIR/admin-password" AUTH_URL_SIGNING_SECRET_FILE="$DIR/url-signing-secret" \
    setsid $(java_main com.cns.gateway.Main "$ROOT/gateway/target/cns-gateway.jar") \
    >>"$DIR/gateway-$i.log" 2>&1 </dev/null &
  echo $! >"$DIR/gateway-$i.pid"
  wait_http "http://127.0.0.1:$port/health/ready" 120 "gateway-$i"
}

start_nginx() {
  local i
  mkdir -p "$DIR/nginx/cns" "$DIR/nginx/tmp" "$DIR/nginx/cache"
  cp "$ROOT/deploy/nginx/cns-gateway.conf" "$DIR/nginx/cns-gateway.conf"
  {
    echo "upstream cns_gateways {"
    echo "    hash \$cns_route_key consistent;"
    for i in $(seq 1 "$N"); do
      echo "    server 127.0.0.1:$((PORT + i)) max_fails=3 fail_timeout=10s;"
    done
    echo "    keepalive 64;"
    echo "}"
    echo "map \$host \$cns_url_signing_secret { default \"$(cat "$DIR/url-signing-secret")\"; }"
    echo "proxy_cache_path $DIR/nginx/cache levels=1:2 keys_zone=cns_segments:16m max_size=2g inactive=1h use_temp_path=off;"
  } >"$DIR/nginx/cns/http.conf"
  chmod 600 "$DIR/nginx/cns/http.conf"
  printf 'listen 127.0.0.1:%s;\naccess_log %s cns_gateway;\n' "$PORT" "$DIR/nginx/access.log" >"$DIR/nginx/cns/listen.conf"
  cat >"$DIR/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $DIR/nginx/tmp;
    proxy_temp_path $DIR/nginx/tmp;
    fastcgi_temp_path $DIR/nginx/tmp;
    uwsgi_temp_path $DIR/nginx/tmp;
    scgi_temp_path $DIR/nginx/tmp;
    types { application/json json; }
    include cns-gateway.conf;
}
EOF
  local bin=nginx
  [ -x /usr/sbin/nginx ] && bin=/usr/sbin/nginx
  "$bin" -t -q -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" 2>>"$DIR/nginx.log" \
    || die "nginx refused deploy/nginx/cns-gateway.conf: $(tail -n 5 "$DIR/nginx.log")"
  spawn nginx "$bin" -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx"
  wait_http "http://127.0.0.1:$PORT/health/live" 20 nginx
}

write_env() {
  local i
  {
    echo "CLUSTER_DIR=$DIR"
    echo "NGINX_URL=http://127.0.0.1:$PORT"
    echo "SIMULATOR_URL=http://127.0.0.1:$SIM_PORT"
    echo "POSTGRES_PORT=$PG_PORT"
    echo "GATEWAYS=$N"
    for i in $(seq 1 "$N"); do
      echo "GATEWAY_${i}_URL=http://127.0.0.1:$((PORT + i))"
      echo "GATEWAY_${i}_PID=$(cat "$DIR/gateway-$i.pid" 2>/dev/null || true)"
    done
    echo "SIMULATOR_PID=$(cat "$DIR/simulator.pid" 2>/dev/null || true)"
    echo "NGINX_PID=$(cat "$DIR/nginx.pid" 2>/dev/null || true)"
  } >"$DIR/cluster.env"
}

cmd_start() {
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  secret_file "$DIR/url-signing-secret"
  if [ -n "${AUTH_ADMIN_PASSWORD:-}" ]; then
    (umask 077 && printf '%s' "$AUTH_ADMIN_PASSWORD" >"$DIR/admin-password")
  else
    secret_file "$DIR/admin-password"
  fi
  unset AUTH_ADMIN_PASSWORD AUTH_URL_SIGNING_SECRET DATABASE_URL
  export JDK_JAVA_OPTIONS="$JAVA_OPTS"
  log "PostgreSQL on 127.0.0.1:$PG_PORT"
  start_postgres
  log "XProtect simulator on 127.0.0.1:$SIM_PORT"
  alive simulator || start_simulator
  local i starts=() failed=0 pid
  for i in $(seq 1 "$N"); do
    log "gateway-$i on 127.0.0.1:$((PORT + i))"
    start_gateway "$i" &
    starts+=($!)
  done
  for pid in "${starts[@]}"; do
    wait "$pid" || failed=1
  done
  [ "$failed" = 0 ] || die "an instance did not start"
  log "nginx on 127.0.0.1:$PORT"
  alive nginx || start_nginx
  write_env
  log "ready: http://127.0.0.1:$PORT (admin's password: $DIR/admin-password)"
}

cmd_stop() {
  local i
  stop_proc nginx
  for f in "$DIR"/gateway-*.pid; do
    [ -e "$f" ] || continue
    i="$(basename "$f" .pid)"
    stop_proc "$i"
  done
  stop_proc simulator
  stop_postgres
  log "stopped"
}

cmd_status() {
  local name
  for name in nginx simulator $(for i in $(seq 1 "$N"); do echo "gateway-$i"; done); do
    if alive "$name"; then echo "$name running (pid $(cat "$DIR/$name.pid"))"; else echo "$name stopped"; fi
  done
  if [ -f "$DIR/postgres/data/postmaster.pid" ] && as_pg "$(pg_bin)/pg_ctl" -D "$DIR/postgres/data" status >/dev/null 2>&1; then
    echo "postgres running"
  else
    echo "postgres stopped"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cat "$DIR/cluster.env" ;;
  kill-gateway) stop_proc "gateway-${2:?instance number}" KILL; write_env ;;
  stop-gateway) stop_proc "gateway-${2:?instance number}"; write_env ;;
  start-gateway)
    export JDK_JAVA_OPTIONS="$JAVA_OPTS"
    unset AUTH_ADMIN_PASSWORD AUTH_URL_SIGNING_SECRET DATABASE_URL
    start_gateway "${2:?instance number}"
    write_env ;;
  restart-postgres) stop_postgres; sleep "${2:-0}"; start_postgres ;;
  *) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ] || exit 2 ;;
esac
