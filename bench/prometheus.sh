#!/usr/bin/env bash
# Prometheus endpoint timings with many queues: GET /metrics (aggregated) and /metrics/per-object
# on WarrenMQ, beside a private RabbitMQ node with rabbitmq_prometheus when rabbitmq-server is
# installed. Each broker gets QUEUES_N queues (declared pipelined by bench/Footprint.java), then
# each endpoint is fetched REPS times; prints the median time and the answer's size.
#
#   bench/prometheus.sh            Env: QUEUES_N (100000), REPS (3), BROKERS ("warren rabbitmq")
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
QUEUES_N=${QUEUES_N:-100000}; REPS=${REPS:-3}; BROKERS=${BROKERS:-"warren rabbitmq"}
WPORT=5744; WPROM=15875; RPORT=5796; RPROM=15896; RDIST=25796
RBASE=/tmp/warren-prom-rmq
JAVA_HOME=$("$ROOT/bin/java-home"); export JAVA_HOME
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || BROKERS=warren
if ! ls "$HERE"/lib/amqp-client-*.jar >/dev/null 2>&1; then
  (cd "$ROOT" && ./mvnw -q -B -f bench/pom.xml dependency:copy-dependencies) || { echo "cannot fetch the client" >&2; exit 2; }
fi
CP=$(ls "$HERE"/lib/amqp-client-*.jar):$(ls "$HERE"/lib/slf4j-api-*.jar)
WPID=""
rmq() {  # start|stop: a private node with rabbitmq_prometheus (as bench/rabbitmq.sh, plus the plugin)
  export HOME=$RBASE/home RABBITMQ_NODENAME=wprom@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$RPORT RABBITMQ_DIST_PORT=$RDIST RABBITMQ_MNESIA_BASE=$RBASE/mnesia
  export RABBITMQ_LOG_BASE=$RBASE/log RABBITMQ_CONFIG_FILE=$RBASE/rabbitmq.conf RABBITMQ_PID_FILE=$RBASE/node.pid
  export RABBITMQ_ENABLED_PLUGINS_FILE=$RBASE/enabled_plugins RABBITMQ_ADVANCED_CONFIG_FILE=$RBASE/advanced.config
  export RABBITMQ_CONF_ENV_FILE=$RBASE/rabbitmq-env.conf ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  local sbin=/usr/lib/rabbitmq/bin
  if [ "$1" = start ]; then
    rm -rf "$RBASE"; mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$HOME/.erlang.cookie"; chmod 400 "$HOME/.erlang.cookie"
    printf 'listeners.tcp.default = 127.0.0.1:%s\nprometheus.tcp.ip = 127.0.0.1\nprometheus.tcp.port = %s\nlog.file.level = warning\nlog.console = false\n' \
      "$RPORT" "$RPROM" > "$RABBITMQ_CONFIG_FILE"
    echo "[]." > "$RABBITMQ_ADVANCED_CONFIG_FILE"; : > "$RABBITMQ_CONF_ENV_FILE"; echo "[rabbitmq_prometheus]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    nohup $sbin/rabbitmq-server > "$RBASE/server.out" 2>&1 &
    timeout 120 $sbin/rabbitmqctl -q wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null
  elif [ -f "$RABBITMQ_PID_FILE" ]; then
    timeout 90 $sbin/rabbitmqctl -q stop "$RABBITMQ_PID_FILE" || kill "$(cat "$RABBITMQ_PID_FILE")"
  fi
}
cleanup() { [ -n "$WPID" ] && kill "$WPID" 2>/dev/null && wait "$WPID" 2>/dev/null; [[ " $BROKERS " == *" rabbitmq "* ]] && (rmq stop >/dev/null 2>&1); }
trap cleanup EXIT
timed() {  # port path: median seconds and bytes of REPS GETs
  local ts=() size=0 line
  for _ in $(seq 1 "$REPS"); do
    line=$(curl -s -o /dev/null --max-time 300 -w '%{time_total} %{size_download} %{http_code}' "http://127.0.0.1:$1$2")
    ts+=("${line%% *}"); size=$(echo "$line" | cut -d' ' -f2); code=${line##* }
  done
  echo "median_s=$(printf '%s\n' "${ts[@]}" | sort -n | sed -n "$(( (REPS + 1) / 2 ))p") bytes=$size http=$code all_s=$(IFS=,; echo "${ts[*]}")"
}
for b in $BROKERS; do
  if [ "$b" = warren ]; then
    rm -rf /tmp/warren-prom
    WARREN_MANAGEMENT_PORT=0 "$ROOT/bin/warren" --port "$WPORT" --prometheus-port "$WPROM" --data-dir /tmp/warren-prom > /tmp/warren-prom.log 2>&1 &
    WPID=$!; port=$WPORT; prom=$WPROM
    for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/$WPORT) 2>/dev/null && break; sleep 0.2; done
  else
    (rmq start) || { echo "RabbitMQ did not start ($RBASE)" >&2; continue; }
    port=$RPORT; prom=$RPROM
  fi
  uri="amqp://guest:guest@127.0.0.1:$port/%2F"
  "$JAVA_HOME/bin/java" -cp "$CP" "$HERE/Footprint.java" queues "$uri" "$QUEUES_N" 8 nowait 2>&1 | grep -v SLF4J | sed "s/^/$b /"
  sleep 10  # RabbitMQ's metrics tables fill as its queues emit their first stats
  echo "$b queues=$QUEUES_N /metrics:            $(timed "$prom" /metrics)"
  echo "$b queues=$QUEUES_N /metrics/per-object: $(timed "$prom" /metrics/per-object)"
  if [ "$b" = warren ]; then kill "$WPID"; wait "$WPID" 2>/dev/null; WPID=""; else (rmq stop >/dev/null 2>&1); fi
done
