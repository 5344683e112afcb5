#!/usr/bin/env bash
# Makes rabbitmq-3.10.8.json (and rabbitmqctl-3.10.8.json, rabbitmqctl export_definitions' file of
# the same broker): the definitions a real RabbitMQ (Debian's rabbitmq-server 3.10.8 with
# its management plugin) exports for a representative topology. Runs a private node of its own
# (ports $RMQ_PORT/$RMQ_DIST_PORT/$RMQ_MGMT_PORT, files under $RMQ_BASE), stops it by its pid file.
#   warren-it/src/test/resources/definitions/make-fixture.sh [output.json]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/rabbitmq-3.10.8.json}
BASE=${RMQ_BASE:-/tmp/warren-defs-fixture-rmq}
export HOME=$BASE/home RABBITMQ_NODENAME=wdefs@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=${RMQ_PORT:-5761} RABBITMQ_DIST_PORT=${RMQ_DIST_PORT:-25761}
MGMT=${RMQ_MGMT_PORT:-15761}
export RABBITMQ_MNESIA_BASE=$BASE/mnesia RABBITMQ_LOG_BASE=$BASE/log RABBITMQ_CONFIG_FILE=$BASE/rabbitmq.conf
export RABBITMQ_ENABLED_PLUGINS_FILE=$BASE/enabled_plugins RABBITMQ_PID_FILE=$BASE/node.pid
export RABBITMQ_ADVANCED_CONFIG_FILE=$BASE/advanced.config RABBITMQ_CONF_ENV_FILE=$BASE/rabbitmq-env.conf
export ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
SBIN=/usr/lib/rabbitmq/bin
[ -x $SBIN/rabbitmq-server ] || { echo "rabbitmq-server is not installed" >&2; exit 3; }
rm -rf "$BASE"; mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$HOME/.erlang.cookie"; chmod 400 "$HOME/.erlang.cookie"
printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\nlog.file.level = warning\nlog.console = false\nmanagement.tcp.ip = 127.0.0.1\nmanagement.tcp.port = %s\n' \
  "$RABBITMQ_NODE_PORT" "$MGMT" > "$RABBITMQ_CONFIG_FILE"
echo "[]." > "$RABBITMQ_ADVANCED_CONFIG_FILE"; : > "$RABBITMQ_CONF_ENV_FILE"; echo "[rabbitmq_management]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
nohup $SBIN/rabbitmq-server > "$BASE/server.out" 2>&1 &
stop() { [ -f "$RABBITMQ_PID_FILE" ] && kill "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null || true; }
trap stop EXIT
timeout 120 $SBIN/rabbitmqctl -q wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null
ctl() { $SBIN/rabbitmqctl -q "$@" >/dev/null; }
api() { # api METHOD PATH [JSON]
  curl -sf -u guest:guest -X "$1" -H 'content-type: application/json' "http://127.0.0.1:$MGMT/api$2" ${3:+-d "$3"} >/dev/null
}
for i in $(seq 1 60); do curl -sf -u guest:guest "http://127.0.0.1:$MGMT/api/overview" >/dev/null && break; sleep 0.5; done

# users: every management tag, an impersonator, a user without tags, limits
ctl add_user ops ops-secret;      ctl set_user_tags ops administrator
ctl add_user grafana graf-secret; ctl set_user_tags grafana monitoring
ctl add_user policy pol-secret;   ctl set_user_tags policy policymaker management
ctl add_user app app-secret
ctl add_user relay relay-secret;  ctl set_user_tags relay impersonator
ctl set_user_limits app '{"max-connections": 20, "max-channels": 100}'
# vhosts, with descriptions and tags
api PUT /vhosts/orders '{"description":"order processing","tags":"production,eu"}'
api PUT /vhosts/staging '{"description":"staging area"}'
# permissions and topic permissions
ctl set_permissions -p orders app '^orders\.' '^(orders\.|amq\.default$)' '^orders\.'
ctl set_permissions -p orders ops '.*' '.*' '.*'
ctl set_permissions -p orders policy '.*' '' '.*'
ctl set_permissions -p staging app '.*' '.*' '.*'
ctl set_permissions -p / relay '' '.*' ''
ctl set_topic_permissions -p orders app amq.topic '^orders\.' '^orders\.'
ctl set_topic_permissions -p orders app orders.events '^{username}\.' '.*'
# policies, operator policies, vhost limits, the cluster name
ctl set_policy -p orders ttl '^orders\.tmp\.' '{"message-ttl": 60000, "expires": 3600000}' --priority 1 --apply-to queues
ctl set_policy -p orders dlx '^orders\.work' '{"dead-letter-exchange": "orders.dlx", "max-length": 10000, "overflow": "reject-publish"}' --priority 5 --apply-to queues
ctl set_policy -p orders ae '^orders\.in$' '{"alternate-exchange": "orders.unrouted"}' --apply-to exchanges
ctl set_policy -p staging lazy '.*' '{"queue-mode": "lazy"}'
ctl set_operator_policy -p orders cap '.*' '{"max-length": 100000, "message-ttl": 86400000}' --priority 0 --apply-to queues
ctl set_vhost_limits -p orders '{"max-connections": 500, "max-queues": 1000}'
ctl set_vhost_limits -p staging '{"max-queues": 50}'
ctl set_cluster_name warren-fixture
# exchanges of every type, an alternate exchange, an internal one, exchange-to-exchange bindings
api PUT /exchanges/orders/orders.unrouted '{"type":"fanout","durable":true}'
api PUT /exchanges/orders/orders.in '{"type":"direct","durable":true,"arguments":{"alternate-exchange":"orders.unrouted"}}'
api PUT /exchanges/orders/orders.events '{"type":"topic","durable":true}'
api PUT /exchanges/orders/orders.match '{"type":"headers","durable":true}'
api PUT /exchanges/orders/orders.dlx '{"type":"fanout","durable":true}'
api PUT /exchanges/orders/orders.internal '{"type":"topic","durable":true,"internal":true}'
api PUT /exchanges/orders/orders.transient '{"type":"direct","durable":false,"auto_delete":true}'
api PUT /exchanges/staging/staging.in '{"type":"direct","durable":true}'
# durable queues with their arguments, a quorum queue, a non-durable one
api PUT /queues/orders/orders.work '{"durable":true,"arguments":{"x-max-length":5000,"x-dead-letter-exchange":"orders.dlx","x-dead-letter-routing-key":"failed"}}'
api PUT /queues/orders/orders.failed '{"durable":true,"arguments":{"x-message-ttl":604800000}}'
api PUT /queues/orders/orders.priority '{"durable":true,"arguments":{"x-max-priority":10,"x-single-active-consumer":true}}'
api PUT /queues/orders/orders.tmp.cache '{"durable":true,"arguments":{"x-expires":1800000,"x-overflow":"drop-head"}}'
api PUT /queues/orders/orders.audit '{"durable":true,"arguments":{"x-queue-type":"quorum"}}'
api PUT /queues/orders/orders.unrouted '{"durable":true}'
api PUT /queues/orders/orders.scratch '{"durable":false,"auto_delete":true}'
api PUT /queues/staging/staging.jobs '{"durable":true,"arguments":{"x-queue-mode":"lazy"}}'
api PUT '/queues/%2F/legacy' '{"durable":true}'
# bindings: queues with keys and arguments, headers, exchange to exchange
api POST /bindings/orders/e/orders.in/q/orders.work '{"routing_key":"work"}'
api POST /bindings/orders/e/orders.in/q/orders.work '{"routing_key":"work.retry","arguments":{"x-origin":"retry"}}'
api POST /bindings/orders/e/orders.dlx/q/orders.failed '{"routing_key":""}'
api POST /bindings/orders/e/orders.unrouted/q/orders.unrouted '{"routing_key":""}'
api POST /bindings/orders/e/orders.events/q/orders.audit '{"routing_key":"orders.#"}'
api POST /bindings/orders/e/orders.match/q/orders.priority '{"routing_key":"","arguments":{"x-match":"all","priority":"high","region":"eu"}}'
api POST /bindings/orders/e/orders.events/e/orders.in '{"routing_key":"orders.created"}'
api POST /bindings/orders/e/orders.in/e/orders.internal '{"routing_key":"work"}'
api POST /bindings/staging/e/staging.in/q/staging.jobs '{"routing_key":"job"}'
api POST '/bindings/%2F/e/amq.direct/q/legacy' '{"routing_key":"legacy"}'

curl -sf -u guest:guest "http://127.0.0.1:$MGMT/api/definitions" | python3 -c '
import json, sys
d = json.load(sys.stdin)
d["global_parameters"] = [g for g in d["global_parameters"] if g["name"] != "internal_cluster_id"]
json.dump(d, sys.stdout, indent=2, sort_keys=True)
print()' > "$OUT"
CTL_OUT=$(dirname "$OUT")/rabbitmqctl-3.10.8.json
$SBIN/rabbitmqctl -q export_definitions "$BASE/ctl.json" >/dev/null
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1])), sys.stdout, indent=2, sort_keys=True); print()' \
  "$BASE/ctl.json" > "$CTL_OUT"
echo "wrote $OUT and $CTL_OUT"
