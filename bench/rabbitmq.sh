#!/usr/bin/env bash
# A private RabbitMQ node for side-by-side runs: bench/rabbitmq.sh start|stop|pid
# AMQP 127.0.0.1:$RMQ_PORT (5702), Erlang distribution 127.0.0.1:$RMQ_DIST_PORT (25702),
# everything under $RMQ_BASE (/tmp/warren-bench-rmq). Needs Debian's rabbitmq-server.
# RMQ_TLS_PORT, RMQ_TLS_CERT and RMQ_TLS_KEY (PEM files) add an AMQPS listener.
set -euo pipefail
BASE=${RMQ_BASE:-/tmp/warren-bench-rmq}
export HOME=$BASE/home RABBITMQ_NODENAME=wbench@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=${RMQ_PORT:-5702} RABBITMQ_DIST_PORT=${RMQ_DIST_PORT:-25702}
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
    printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\nlog.file.level = warning\nlog.console = false\n' \
      "$RABBITMQ_NODE_PORT" > "$RABBITMQ_CONFIG_FILE"
    if [ -n "${RMQ_TLS_PORT:-}" ] && [ -n "${RMQ_TLS_CERT:-}" ]; then  # AMQPS beside the plain listener
      cp "$RMQ_TLS_CERT" "$BASE/cert.pem"; cp "$RMQ_TLS_KEY" "$BASE/key.pem"
      printf 'listeners.ssl.default = 127.0.0.1:%s\nssl_options.certfile = %s\nssl_options.keyfile = %s\nssl_options.verify = verify_none\nssl_options.fail_if_no_peer_cert = false\n' \
        "$RMQ_TLS_PORT" "$BASE/cert.pem" "$BASE/key.pem" >> "$RABBITMQ_CONFIG_FILE"
    fi
    echo "[]." > "$RABBITMQ_ADVANCED_CONFIG_FILE"; : > "$RABBITMQ_CONF_ENV_FILE"; echo "[]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    nohup $SBIN/rabbitmq-server > "$BASE/server.out" 2>&1 &
    timeout 120 $SBIN/rabbitmqctl -q wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null
    cat "$RABBITMQ_PID_FILE" ;;
  stop)
    [ -f "$RABBITMQ_PID_FILE" ] || exit 0
    p=$(cat "$RABBITMQ_PID_FILE")
    if kill -0 "$p" 2>/dev/null; then timeout 90 $SBIN/rabbitmqctl -q stop "$RABBITMQ_PID_FILE" || kill "$p"; fi
    rm -f "$RABBITMQ_PID_FILE" ;;
  pid) cat "$RABBITMQ_PID_FILE" ;;
  *) echo "usage: $0 start|stop|pid" >&2; exit 2 ;;
esac
