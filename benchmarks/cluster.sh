#!/usr/bin/env bash
# `make cluster` (start) and `make cluster-stop` (stop): the app on several servers, on
# this machine. PostgreSQL (persistent under var/cluster/pg, on a Unix socket), Redis for
# the rate limits, moto's S3 server for the PDFs, two gunicorn nodes and HAProxy in front,
# which checks `GET /healthz` on each node every second and sets X-Forwarded-For.
#
#   HAProxy 127.0.0.1:8800 -> gunicorn node1 :8801, node2 :8802 (2 workers x 4 threads),
#                             connecting from 127.0.0.2 (DJANGO_TRUSTED_PROXIES)
#                          -> PostgreSQL (socket), Redis :8803, S3 (moto) :8804
#
# CLUSTER_PORT moves the five ports (HAProxy's, the next four for the rest). Every process
# it starts gets a process group of its own (setsid) and a PID file in var/cluster/run/;
# `stop` ends those groups, and PostgreSQL with pg_ctl, and nothing else. Logs are in
# var/cluster/log/ (PostgreSQL's in var/cluster/pg/). moto keeps its objects in memory: after a stop the PDFs are gone from
# it, and the first download of each renders it again from its snapshot (README,
# "Reliability").
set -Eeuo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=$root/var/cluster
run=$dir/run
logs=$dir/log
base=${CLUSTER_PORT:-8800}
proxy_port=$base
node_ports=($((base + 1)) $((base + 2)))
redis_port=$((base + 3))
s3_port=$((base + 4))
bucket=gutbrain-cluster
proxy_address=127.0.0.2
url=http://127.0.0.1:$proxy_port/
venv=$root/.venv/bin

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pg_data=$dir/pg/data
pg_socket=$dir/pg
if [ "$(id -u)" = 0 ]; then
  # The server refuses to run as root.
  pg_run() { runuser -u postgres -- "$@"; }
else
  pg_run() { "$@"; }
fi

# The processes of the cluster, by the name of their PID file, and a word their command
# line must contain: a PID file left by a cluster that died is never taken for another
# program's process group that got the same number since.
declare -A programs=([haproxy]=haproxy [node1]=gunicorn [node2]=gunicorn [redis]=redis-server [s3]=moto_server)

ours() { # name: whether the process group of that PID file still has a process of ours
  # (gunicorn's workers outlive a master that was killed).
  local pid
  pid=$(cat "$run/$1.pid" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
  ps -eo pgid=,args= | awk -v g="$pid" -v p="${programs[$1]}" \
    '$1 == g && index($0, p) { found = 1 } END { exit !found }'
}

alive() { # name: whether the process of that PID file itself runs and is ours
  local pid
  pid=$(cat "$run/$1.pid" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *"${programs[$1]}"* ]]
}

pg_running() { [ -f "$pg_data/postmaster.pid" ] && pg_run "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; }

launch() { # name command...: in a session and process group of its own (its PID is the group's)
  local name=$1
  shift
  setsid "$@" </dev/null >"$logs/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
}

wait_for() { # what url-or-redis: until it answers, 60 s at most
  local what=$1 target=$2
  "$venv/python" - "$target" <<'EOF' || { echo "$what did not answer within 60 s (logs: $logs/)" >&2; exit 1; }
import socket, sys, time, urllib.request
target = sys.argv[1]
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        if target.startswith("redis:"):
            with socket.create_connection(("127.0.0.1", int(target[6:])), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    sys.exit(0)
        else:
            urllib.request.urlopen(target, timeout=5)
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(1)
EOF
}

node_env() {
  export DJANGO_SETTINGS_MODULE=gutbrain.settings
  export DATABASE_URL="postgres://gutbrain@/gutbrain?host=$pg_socket"
  export REDIS_URL=redis://127.0.0.1:$redis_port/0
  export DJANGO_MEDIA_S3_BUCKET=$bucket
  export DJANGO_MEDIA_S3_ENDPOINT_URL=http://127.0.0.1:$s3_port
  export DJANGO_MEDIA_S3_ACCESS_KEY_ID=cluster
  export DJANGO_MEDIA_S3_SECRET_ACCESS_KEY=cluster-secret
  export DJANGO_MEDIA_S3_REGION=us-east-1
  # The same keys on every node, from the environment, as on servers of their own.
  DJANGO_SECRET_KEY=$(cat "$dir/secret-key")
  DJANGO_ACCESS_LOG_KEY=$(cat "$dir/access-log-key")
  export DJANGO_SECRET_KEY DJANGO_ACCESS_LOG_KEY
  # HAProxy connects to the nodes from an address of its own, 127.0.0.2 (all of 127/8 is
  # loopback), as a proxy on a machine of its own would: its X-Forwarded-For is believed,
  # so the access log, the lockouts and the rate limits see the client's address, and a
  # client on 127.0.0.1 is a client, whose own X-Forwarded-For is not.
  export DJANGO_TRUSTED_PROXIES=$proxy_address
  export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
}

start() {
  local name up=() down=()
  for name in "${!programs[@]}"; do
    if alive "$name"; then up+=("$name"); else down+=("$name"); fi
  done
  if pg_running; then up+=(postgresql); else down+=(postgresql); fi
  if [ ${#down[@]} = 0 ]; then
    echo "The cluster is already running: $url (logins in $dir/demo-logins.json; make cluster-stop ends it)."
    return 0
  fi
  if [ ${#up[@]} != 0 ]; then
    echo "The cluster is partly running (${up[*]} up, ${down[*]} not): make cluster-stop, then make cluster." >&2
    return 1
  fi
  if [ -z "$pg_bin" ]; then
    echo "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2
    return 1
  fi
  mkdir -p "$run" "$logs"
  rm -f "$run"/*.pid
  trap 'echo "make cluster failed: make cluster-stop ends what it started (logs: $logs/)" >&2' ERR
  for key in secret-key access-log-key; do
    [ -s "$dir/$key" ] || (umask 077 && "$venv/python" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$dir/$key")
  done

  echo "== PostgreSQL ($pg_data)"
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    mkdir -p "$pg_data"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
      chown -R postgres "$dir/pg"
    fi
    pg_run "$pg_bin/initdb" -D "$pg_data" -U gutbrain --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  pg_run "$pg_bin/pg_ctl" -D "$pg_data" -l "$dir/pg/postgresql.log" -w \
    -o "-k $pg_socket -c listen_addresses=''" start >/dev/null
  pg_run "$pg_bin/psql" -h "$pg_socket" -U gutbrain -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'gutbrain'" | grep -q 1 ||
    pg_run "$pg_bin/createdb" -h "$pg_socket" -U gutbrain gutbrain

  echo "== Redis (127.0.0.1:$redis_port) and S3 (moto, 127.0.0.1:$s3_port)"
  # Only counts live in Redis: no persistence.
  launch redis redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$dir" \
    --save '' --appendonly no --protected-mode yes
  launch s3 "$venv/moto_server" -H 127.0.0.1 -p "$s3_port"
  wait_for Redis "redis:$redis_port"
  wait_for "moto's S3 server" "http://127.0.0.1:$s3_port/"
  node_env
  "$venv/python" - <<'EOF'
import os, boto3
boto3.client(
    "s3",
    endpoint_url=os.environ["DJANGO_MEDIA_S3_ENDPOINT_URL"],
    region_name=os.environ["DJANGO_MEDIA_S3_REGION"],
    aws_access_key_id=os.environ["DJANGO_MEDIA_S3_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["DJANGO_MEDIA_S3_SECRET_ACCESS_KEY"],
).create_bucket(Bucket=os.environ["DJANGO_MEDIA_S3_BUCKET"])
EOF

  echo "== the database: migrate, the knowledge base (into an empty one), the demo clinic"
  "$venv/python" manage.py migrate --no-input -v 0
  "$venv/python" manage.py load_knowledge_base
  "$venv/python" manage.py seed_demo --url "$url" --logins "$dir/demo-logins.json" >"$dir/logins.txt"

  echo "== two gunicorn nodes (127.0.0.1:${node_ports[0]}, :${node_ports[1]})"
  for n in 1 2; do
    launch "node$n" "$venv/gunicorn" gutbrain.wsgi:application --workers 2 --threads 4 \
      --bind "127.0.0.1:${node_ports[$((n - 1))]}" --log-level warning
  done
  for port in "${node_ports[@]}"; do
    wait_for "gunicorn on :$port" "http://127.0.0.1:$port/healthz"
  done

  echo "== HAProxy (127.0.0.1:$proxy_port)"
  cat >"$dir/haproxy.cfg" <<EOF
# Written by benchmarks/cluster.sh.
global
    maxconn 2000
    stats socket $run/haproxy.sock mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # The client's address in X-Forwarded-For (DJANGO_TRUSTED_PROXIES believes it).
    option forwardfor
    # A connection to a node per request: no request is sent on a kept-alive connection
    # that the node is closing at that moment, which HAProxy answers by closing the
    # client's connection without an answer (as the node did).
    option http-server-close
    # A connection refused by a node that died is tried again on the other; a request a
    # node had already received is never sent twice.
    retries 3
    option redispatch 1
    # To the nodes from an address of its own: DJANGO_TRUSTED_PROXIES names it.
    source $proxy_address

frontend gutbrain
    bind 127.0.0.1:$proxy_port
    default_backend nodes

backend nodes
    balance leastconn
    # Out of the pool after two failed checks a second apart, back after two good ones. A
    # check is a question of up or down, not of speed: a node busy with a queue of requests
    # has 5 s to answer; a dead node refuses the connection at once.
    option httpchk GET /healthz
    http-check expect status 200
    timeout check 5s
    default-server inter 1s fall 2 rise 2
    server node1 127.0.0.1:${node_ports[0]} check
    server node2 127.0.0.1:${node_ports[1]} check
EOF
  haproxy -c -q -f "$dir/haproxy.cfg"
  launch haproxy haproxy -f "$dir/haproxy.cfg"
  wait_for HAProxy "${url}healthz"

  cat "$dir/logins.txt"
  echo "The cluster is running: $url (make cluster-stop ends it; logs in $logs/)."
}

stop_group() { # name: TERM to its process group, KILL after 30 s
  local name=$1 pid
  if ! ours "$name"; then
    rm -f "$run/$name.pid"
    return 0
  fi
  pid=$(cat "$run/$name.pid")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 300); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$run/$name.pid"
  echo "  $name stopped"
}

stop() {
  local name
  for name in haproxy node1 node2 s3 redis; do
    stop_group "$name"
  done
  rm -f "$run/haproxy.sock"
  if pg_running; then
    pg_run "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
    echo "  postgresql stopped"
  fi
  echo "The cluster is stopped (its database stays in $dir/pg)."
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
  echo "Usage: $0 start|stop" >&2
  exit 2
  ;;
esac
