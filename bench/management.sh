#!/usr/bin/env bash
# The management API with many queues, WarrenMQ beside RabbitMQ: declares QUEUES_N queues in each
# broker (bench/Footprint.java, non-durable, THREADS connections), then prints the median of REPS
# `curl -w '%{time_total}'` for
#   /api/queues?page=1&page_size=100     (a page: the UI's queue list)
#   /api/queues                          (the whole listing)
#   /api/overview
# on both, side by side with the ratio RabbitMQ / WarrenMQ. RabbitMQ is a private node of Debian's
# rabbitmq-server with its management plugin (bench/rabbitmq-management.sh); it is skipped when
# that is not installed.
#
#   bench/management.sh
# Env: QUEUES_N (100000), THREADS (8), REPS (11), BROKERS ("warren rabbitmq"), TIMEOUT (curl, 600 s).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
QUEUES_N=${QUEUES_N:-100000}; THREADS=${THREADS:-8}; REPS=${REPS:-11}; TIMEOUT=${TIMEOUT:-600}
BROKERS=${BROKERS:-"warren rabbitmq"}
WPORT=5746; WMGMT=15746; RPORT=5741; RMGMT=15741
JAVA_HOME=$("$ROOT/bin/java-home"); export JAVA_HOME
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || BROKERS=warren
if ! ls "$HERE"/lib/amqp-client-*.jar >/dev/null 2>&1; then  # PerfTest's class path has the client
  (cd "$ROOT" && ./mvnw -q -B -f bench/pom.xml dependency:copy-dependencies) || { echo "cannot fetch the client" >&2; exit 2; }
fi
CP=$(ls "$HERE"/lib/amqp-client-*.jar):$(ls "$HERE"/lib/slf4j-api-*.jar)
WPID=""; RSTARTED=""
cleanup() {
  [ -n "$WPID" ] && kill "$WPID" 2>/dev/null && wait "$WPID" 2>/dev/null
  [ -n "$RSTARTED" ] && RMQ_PORT=$RPORT RMQ_MGMT_PORT=$RMGMT "$HERE/rabbitmq-management.sh" stop >/dev/null 2>&1
}
trap cleanup EXIT
load() { "$JAVA_HOME/bin/java" -cp "$CP" "$HERE/Footprint.java" "$@" 2>&1 | grep -v SLF4J; }

# median of REPS timings (seconds) of one GET
median() {
  local port=$1 path=$2
  curl -s -o /dev/null -u guest:guest -m "$TIMEOUT" "http://127.0.0.1:$port$path" # warm-up
  for _ in $(seq 1 "$REPS"); do
    curl -s -o /dev/null -u guest:guest -m "$TIMEOUT" -w '%{time_total}\n' "http://127.0.0.1:$port$path"
  done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

PATHS=("/api/queues?page=1&page_size=100" "/api/queues" "/api/overview")
declare -A RESULT
for b in $BROKERS; do
  if [ "$b" = warren ]; then
    rm -rf /tmp/warren-mgmt-bench
    "$ROOT/bin/warren" --port "$WPORT" --management-port "$WMGMT" --data-dir /tmp/warren-mgmt-bench \
      > /tmp/warren-mgmt-bench.log 2>&1 &
    WPID=$!
    # bin/warren builds first when the sources changed: wait for it as long as it lives
    for _ in $(seq 1 3000); do
      (exec 3<>/dev/tcp/127.0.0.1/$WMGMT) 2>/dev/null && break
      kill -0 "$WPID" 2>/dev/null || { echo "WarrenMQ did not start (/tmp/warren-mgmt-bench.log)" >&2; exit 1; }
      sleep 0.2
    done
    port=$WMGMT; uri="amqp://guest:guest@127.0.0.1:$WPORT/%2F"
  else
    RMQ_PORT=$RPORT RMQ_MGMT_PORT=$RMGMT "$HERE/rabbitmq-management.sh" start >/dev/null || { echo "RabbitMQ did not start" >&2; continue; }
    RSTARTED=1
    port=$RMGMT; uri="amqp://guest:guest@127.0.0.1:$RPORT/%2F"
  fi
  load queues "$uri" "$QUEUES_N" "$THREADS" sync | sed "s/^/$b /"
  # the listing must see them all before timing (RabbitMQ's statistics arrive late)
  for _ in $(seq 1 300); do
    n=$(curl -s -u guest:guest -m "$TIMEOUT" "http://127.0.0.1:$port/api/queues?page=1&page_size=1&columns=name" |
      sed -n 's/.*"total_count":\([0-9]*\).*/\1/p')
    [ "${n:-0}" -ge "$QUEUES_N" ] && break; sleep 1
  done
  for p in "${PATHS[@]}"; do RESULT["$b $p"]=$(median "$port" "$p"); done
  if [ "$b" = warren ]; then kill "$WPID"; wait "$WPID" 2>/dev/null; WPID=""; fi
  if [ "$b" = rabbitmq ]; then RMQ_PORT=$RPORT RMQ_MGMT_PORT=$RMGMT "$HERE/rabbitmq-management.sh" stop >/dev/null; RSTARTED=""; fi
done

echo
echo "$QUEUES_N queues, median of $REPS requests (seconds)"
printf '%-36s %12s %12s %10s\n' path WarrenMQ RabbitMQ ratio
for p in "${PATHS[@]}"; do
  w=${RESULT["warren $p"]:-}; r=${RESULT["rabbitmq $p"]:-}
  ratio=$(awk -v w="$w" -v r="$r" 'BEGIN { if (w > 0 && r > 0) printf "%.1fx", r / w; else print "-" }')
  printf '%-36s %12s %12s %10s\n' "$p" "${w:--}" "${r:--}" "$ratio"
done
