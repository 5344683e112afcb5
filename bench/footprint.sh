#!/usr/bin/env bash
# Memory footprint of what does not fit in the load scenarios of bench/run.sh:
#   - delayed messages: heap and RssAnon with 1,000 and with 1,000,000 messages held by an
#     x-delayed-message exchange (WarrenMQ only; RabbitMQ needs a plugin for it);
#   - 100,000 queues declared and bound: declares/s, bindings/s and RssAnon, side by side with a
#     private RabbitMQ node when rabbitmq-server is installed.
#
#   bench/footprint.sh [delayed] [topology]         (default: both)
# Env: DELAYED_N (1000000), QUEUES_N (100000), THREADS (8), BROKERS ("warren rabbitmq"),
#      DURABLE (0; 1: the topology's queues are durable), SETTLE (3: the topology's RssAnon is read
#      right after the declares and the bindings, and again SETTLE seconds later, when WarrenMQ's
#      periodic native-heap trim, every 2 s, has returned what the JIT compilers freed meanwhile).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WHAT=${*:-"delayed topology"}
DELAYED_N=${DELAYED_N:-1000000}; QUEUES_N=${QUEUES_N:-100000}; THREADS=${THREADS:-8}; SETTLE=${SETTLE:-3}
BROKERS=${BROKERS:-"warren rabbitmq"}
WPORT=5743; RPORT=5702
JAVA_HOME=$("$ROOT/bin/java-home"); export JAVA_HOME
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || BROKERS=warren
if ! ls "$HERE"/lib/amqp-client-*.jar >/dev/null 2>&1; then  # PerfTest's class path has the client and its dependencies
  (cd "$ROOT" && ./mvnw -q -B -f bench/pom.xml dependency:copy-dependencies) || { echo "cannot fetch the client" >&2; exit 2; }
fi
CP=$(ls "$HERE"/lib/amqp-client-*.jar):$(ls "$HERE"/lib/slf4j-api-*.jar)  # no logging backend: the client stays quiet
WPID=""; RPID=""
cleanup() { [ -n "$WPID" ] && kill "$WPID" 2>/dev/null && wait "$WPID" 2>/dev/null; [ -n "$RPID" ] && RMQ_PORT=$RPORT "$HERE/rabbitmq.sh" stop >/dev/null 2>&1; }
trap cleanup EXIT
load() { "$JAVA_HOME/bin/java" -cp "$CP" "$HERE/Footprint.java" "$@" 2>&1 | grep -v SLF4J; }
mem() { "$HERE/mem.sh" "$1"; }
heap() {  # used heap after a full GC, in kB
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info | awk '/used/ { for (i = 1; i < NF; i++) if ($i == "used") { v = $(i+1); sub("K,?", "", v); s += v } } END { print s }'
}
start_warren() {
  rm -rf /tmp/warren-fp
  "$ROOT/bin/warren" --port "$WPORT" --data-dir /tmp/warren-fp > /tmp/warren-fp.log 2>&1 &
  WPID=$!
  for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/$WPORT) 2>/dev/null && return 0; sleep 0.2; done
  echo "WarrenMQ did not start (/tmp/warren-fp.log)" >&2; exit 1
}
WURI="amqp://guest:guest@127.0.0.1:$WPORT/%2F"; RURI="amqp://guest:guest@127.0.0.1:$RPORT/%2F"

if [[ " $WHAT " == *" delayed "* ]]; then
  start_warren; sleep 2
  echo "warren empty:               heap_used_kb=$(heap $WPID) $(mem $WPID)"
  load delayed "$WURI" 0 1000
  echo "warren 1,000 delayed:       heap_used_kb=$(heap $WPID) $(mem $WPID)"
  load delayed "$WURI" 1000 "$DELAYED_N"
  echo "warren $DELAYED_N delayed: heap_used_kb=$(heap $WPID) $(mem $WPID) data=$(du -sm /tmp/warren-fp | cut -f1)MB"
  kill "$WPID"; wait "$WPID" 2>/dev/null; WPID=""
fi

if [[ " $WHAT " == *" topology "* ]]; then
  for b in $BROKERS; do
    if [ "$b" = warren ]; then start_warren; uri=$WURI; pid=$WPID
    else RPID=$(RMQ_PORT=$RPORT "$HERE/rabbitmq.sh" start | tail -1); uri=$RURI; pid=$RPID; fi
    sleep 2
    echo "$b empty:                 $(mem $pid)"
    load queues "$uri" "$QUEUES_N" "$THREADS" sync | sed "s/^/$b /"
    echo "$b $QUEUES_N queues:     $(mem $pid)"
    sleep "$SETTLE"; echo "$b $QUEUES_N queues, ${SETTLE} s later: $(mem $pid)"
    load bind "$uri" "$QUEUES_N" "$THREADS" sync | sed "s/^/$b /"
    echo "$b $QUEUES_N bound:      $(mem $pid)"
    sleep "$SETTLE"; echo "$b $QUEUES_N bound, ${SETTLE} s later: $(mem $pid)"
    load cleanup "$uri" "$QUEUES_N" >/dev/null
    load queues "$uri" "$QUEUES_N" "$THREADS" nowait | sed "s/^/$b /"
    load bind "$uri" "$QUEUES_N" "$THREADS" nowait | sed "s/^/$b /"
    echo "$b $QUEUES_N bound again: $(mem $pid)"
    if [ "$b" = warren ]; then kill "$WPID"; wait "$WPID" 2>/dev/null; WPID=""
    else RMQ_PORT=$RPORT "$HERE/rabbitmq.sh" stop >/dev/null 2>&1; RPID=""; fi
  done
fi
