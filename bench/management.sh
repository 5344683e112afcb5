#!/usr/bin/env bash
# The management API and the Prometheus endpoint with many queues, WarrenMQ beside RabbitMQ:
# declares QUEUES_N queues in each broker (bench/Footprint.java, non-durable, THREADS connections,
# DECLARE sync or nowait), then prints the median of `curl -w '%{time_total}'` and the answer's
# size for
#   management  /api/queues?page=1&page_size=100   (a page: the UI's queue list)      REPS
#   management  /api/queues                        (the whole listing)                SLOW_REPS
#   management  /api/overview                                                         REPS
#   prometheus  /metrics                           (aggregated)                       REPS
#   prometheus  /metrics/per-object                (a series per queue)               SLOW_REPS
# on both, side by side with the ratio RabbitMQ / WarrenMQ. RabbitMQ is a private node of Debian's
# rabbitmq-server with its management and prometheus plugins (bench/rabbitmq-management.sh); it is
# skipped when that is not installed. WarrenMQ runs with its default collect_statistics_interval
# (5 s): the statistics sampler walks every queue while the requests are timed, as in production.
#
#   bench/management.sh                 QUEUES_N=2000 REPS=3 bench/management.sh   (a quick check)
# Env: QUEUES_N (100000), THREADS (8), DECLARE (nowait), REPS (11), SLOW_REPS (3),
#      BROKERS ("warren rabbitmq"), TIMEOUT (curl, 600 s).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
QUEUES_N=${QUEUES_N:-100000}; THREADS=${THREADS:-8}; DECLARE=${DECLARE:-nowait}
REPS=${REPS:-11}; SLOW_REPS=${SLOW_REPS:-3}; TIMEOUT=${TIMEOUT:-600}
BROKERS=${BROKERS:-"warren rabbitmq"}
WPORT=5746; WMGMT=15746; WPROM=15747; RPORT=5741; RMGMT=15741; RPROM=15742
JAVA_HOME=$("$ROOT/bin/java-home"); export JAVA_HOME
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || BROKERS=${BROKERS//rabbitmq/}
if ! ls "$HERE"/lib/amqp-client-*.jar >/dev/null 2>&1; then  # PerfTest's class path has the client
  (cd "$ROOT" && ./mvnw -q -B -f bench/pom.xml dependency:copy-dependencies) || { echo "cannot fetch the client" >&2; exit 2; }
fi
CP=$(ls "$HERE"/lib/amqp-client-*.jar):$(ls "$HERE"/lib/slf4j-api-*.jar)
WPID=""; RSTARTED=""
rmq() { RMQ_PORT=$RPORT RMQ_MGMT_PORT=$RMGMT RMQ_PROM_PORT=$RPROM "$HERE/rabbitmq-management.sh" "$@"; }
cleanup() {
  [ -n "$WPID" ] && kill "$WPID" 2>/dev/null && wait "$WPID" 2>/dev/null
  [ -n "$RSTARTED" ] && rmq stop >/dev/null 2>&1
}
trap cleanup EXIT
load() { "$JAVA_HOME/bin/java" -cp "$CP" "$HERE/Footprint.java" "$@" 2>&1 | grep -v SLF4J; }

# "median_seconds bytes" of n GETs of one path after a warm-up one; "- -" unless all answered 200
timed() {
  local port=$1 path=$2 n=$3
  curl -s -o /dev/null -u guest:guest -m "$TIMEOUT" "http://127.0.0.1:$port$path" # warm-up
  for _ in $(seq 1 "$n"); do
    curl -s -o /dev/null -u guest:guest -m "$TIMEOUT" -w '%{time_total} %{size_download} %{http_code}\n' \
      "http://127.0.0.1:$port$path"
  done | sort -n | awk '$3 != 200 { bad = 1 } { t[NR] = $1; b[NR] = $2 }
    END { m = int((NR + 1) / 2); if (bad || NR == 0) print "- -"; else print t[m], b[m] }'
}

# kind path reps: the endpoints timed, in the order printed
ENDPOINTS=("management /api/queues?page=1&page_size=100 $REPS" "management /api/queues $SLOW_REPS"
  "management /api/overview $REPS" "prometheus /metrics $REPS" "prometheus /metrics/per-object $SLOW_REPS")
declare -A RESULT
for b in $BROKERS; do
  if [ "$b" = warren ]; then
    rm -rf /tmp/warren-mgmt-bench
    "$ROOT/bin/warren" --port "$WPORT" --management-port "$WMGMT" --prometheus-port "$WPROM" \
      --data-dir /tmp/warren-mgmt-bench > /tmp/warren-mgmt-bench.log 2>&1 &
    WPID=$!
    # bin/warren builds first when the sources changed: wait for it as long as it lives
    for _ in $(seq 1 3000); do
      (exec 3<>/dev/tcp/127.0.0.1/$WMGMT) 2>/dev/null && break
      kill -0 "$WPID" 2>/dev/null || { echo "WarrenMQ did not start (/tmp/warren-mgmt-bench.log)" >&2; exit 1; }
      sleep 0.2
    done
    mgmt=$WMGMT; prom=$WPROM; uri="amqp://guest:guest@127.0.0.1:$WPORT/%2F"
  else
    rmq start >/dev/null || { echo "RabbitMQ did not start" >&2; continue; }
    RSTARTED=1
    mgmt=$RMGMT; prom=$RPROM; uri="amqp://guest:guest@127.0.0.1:$RPORT/%2F"
  fi
  load queues "$uri" "$QUEUES_N" "$THREADS" "$DECLARE" | sed "s/^/$b /"
  # the listing must see them all before timing (RabbitMQ's statistics arrive late)
  for _ in $(seq 1 300); do
    n=$(curl -s -u guest:guest -m "$TIMEOUT" "http://127.0.0.1:$mgmt/api/queues?page=1&page_size=1&columns=name" |
      sed -n 's/.*"total_count":\([0-9]*\).*/\1/p')
    [ "${n:-0}" -ge "$QUEUES_N" ] && break; sleep 1
  done
  for e in "${ENDPOINTS[@]}"; do
    read -r kind path reps <<< "$e"
    port=$mgmt; [ "$kind" = prometheus ] && port=$prom
    RESULT["$b $path"]=$(timed "$port" "$path" "$reps")
    echo "$b $path: ${RESULT["$b $path"]}"
  done
  if [ "$b" = warren ]; then kill "$WPID"; wait "$WPID" 2>/dev/null; WPID=""; fi
  if [ "$b" = rabbitmq ]; then rmq stop >/dev/null; RSTARTED=""; fi
done

echo
echo "$QUEUES_N queues: median seconds (of REPS=$REPS, or SLOW_REPS=$SLOW_REPS for the whole listing and per-object) and bytes"
printf '%-36s %10s %12s %10s %12s %8s\n' path WarrenMQ bytes RabbitMQ bytes ratio
for e in "${ENDPOINTS[@]}"; do
  read -r kind path reps <<< "$e"
  read -r w wb <<< "${RESULT["warren $path"]:-- -}"
  read -r r rb <<< "${RESULT["rabbitmq $path"]:-- -}"
  ratio=$(awk -v w="$w" -v r="$r" 'BEGIN { if (w > 0 && r > 0) printf "%.1fx", r / w; else print "-" }')
  printf '%-36s %10s %12s %10s %12s %8s\n' "$path" "$w" "$wb" "$r" "$rb" "$ratio"
done
