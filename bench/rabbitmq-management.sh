#!/usr/bin/env bash
# A private RabbitMQ node with the management plugin, for side-by-side runs of the management API:
#   bench/rabbitmq-management.sh start|stop|pid
# AMQP 127.0.0.1:$RMQ_PORT (5741), Erlang distribution 127.0.0.1:$RMQ_DIST_PORT (25741), management
# 127.0.0.1:$RMQ_MGMT_PORT (15741), everything under $RMQ_BASE (/tmp/warren-bench-rmq-mgmt); with
# RMQ_PROM_PORT set, rabbitmq_prometheus too, on 127.0.0.1:$RMQ_PROM_PORT. Needs Debian's
# rabbitmq-server. (bench/rabbitmq.sh's node, with [rabbitmq_management] enabled.)
set -euo pipefail
BASE=${RMQ_BASE:-/tmp/warren-bench-rmq-mgmt}
MGMT_PORT=${RMQ_MGMT_PORT:-15741}
PROM_PORT=${RMQ_PROM_PORT:-}
export HOME=$BASE/home RABBITMQ_NODENAME=${RMQ_NODENAME:-wmgmt@localhost} RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=${RMQ_PORT:-5741} RABBITMQ_DIST_PORT=${RMQ_DIST_PORT:-25741}
export RABBITMQ_MNESIA_BASE=$BASE/mnesia RABBITMQ_LOG_BASE=$BASE/log RABBITMQ_CONFIG_FILE=$BASE/rabbitmq.conf
export RABBITMQ_ENABLED_PLUGINS_FILE=$BASE/enabled_plugins RABBITMQ_PID_FILE=$BASE/node.pid
export RABBITMQ_ADVANCED_CONFIG_FILE=$BASE/advanced.config RABBITMQ_CONF_ENV_FILE=$BASE/rabbitmq-env.conf
export ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
SBIN=/usr/lib/rabbitmq/bin
case "${1:-}" in
  start)
    [ -x $SBIN/rabbitmq-server ] || { echo "rabbitmq-server is not installed" >&2; exit 3; }
    rm -rf "$BASE"; mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$HOME/.erlang.cookie"; chmod 400 "$HOME/.erlang.cookie"
    printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\nlog.file.level = warning\nlog.console = false\nmanagement.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' \
      "$RABBITMQ_NODE_PORT" "$MGMT_PORT" > "$RABBITMQ_CONFIG_FILE"
    echo "[]." > "$RABBITMQ_ADVANCED_CONFIG_FILE"; : > "$RABBITMQ_CONF_ENV_FILE"
    if [ -n "$PROM_PORT" ]; then
      printf 'prometheus.tcp.ip = 127.0.0.1\nprometheus.tcp.port = %s\n' "$PROM_PORT" >> "$RABBITMQ_CONFIG_FILE"
      echo "[rabbitmq_management,rabbitmq_prometheus]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    else
      echo "[rabbitmq_management]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    fi
    nohup $SBIN/rabbitmq-server > "$BASE/server.out" 2>&1 &
    timeout 120 $SBIN/rabbitmqctl -q wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null
    for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$MGMT_PORT) 2>/dev/null && break; sleep 0.2; done
    cat "$RABBITMQ_PID_FILE" ;;
  stop)
    [ -f "$RABBITMQ_PID_FILE" ] || exit 0
    p=$(cat "$RABBITMQ_PID_FILE")
    if kill -0 "$p" 2>/dev/null; then timeout 90 $SBIN/rabbitmqctl -q stop "$RABBITMQ_PID_FILE" || kill "$p"; fi
    rm -f "$RABBITMQ_PID_FILE" ;;
  pid) cat "$RABBITMQ_PID_FILE" ;;
  ctl) shift; $SBIN/rabbitmqctl "$@" ;;
  *) echo "usage: $0 start|stop|pid|ctl ARGS" >&2; exit 2 ;;
esac
