#!/usr/bin/env bash
# Three-node clusters on this machine, one after the other in one run: WarrenMQ (quorum queues on
# Ratis) and RabbitMQ 3.10.8 (quorum queues on Ra), the same PerfTest load against each.
#
#   bench/cluster.sh [c] [backlog] [failover] [queues]        (default: c failover)
#     c         quorum queue, persistent 1 KB, confirms (100 in flight), manual ack, prefetch 100,
#               publisher and consumer on node 1; broker CPU summed over the three nodes
#     backlog   BACKLOG_N x 1 KB into a quorum queue with no consumer: RssAnon of every node before
#               and full, then the drain
#     failover  a confirming publisher on a node that does not lead; the leader is killed -9:
#               time from the kill to the next confirmed publish (FAILOVERS times; median and max)
#     queues    QUEUES_N idle quorum queues, declared through the three nodes in turn (so each
#               node leads a third): threads, RssAnon and idle CPU of every node before and after,
#               and what one queue costs
# Env: BROKERS ("warren rabbitmq"), DUR (30), BACKLOG_N (1000000), FAILOVERS (5), QUEUES_N (1000),
#      IDLE (20: seconds of idle CPU measured), WARMUP (0: seconds
#      of the c load run first and not measured, for each broker).
# Prints RESULT lines (as ../shared/bench/perftest.sh) and a summary.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd) || { echo "needs ../shared/bench (perftest.sh)" >&2; exit 2; }
WHAT=${*:-"c failover"}
BROKERS=${BROKERS:-"warren rabbitmq"}
DUR=${DUR:-30}; FAILOVERS=${FAILOVERS:-5}; WARMUP=${WARMUP:-0}; QUEUES_N=${QUEUES_N:-1000}; IDLE=${IDLE:-20}
BASE=/tmp/warren-cbench
JAVA_HOME=$("$ROOT/bin/java-home"); export JAVA_HOME
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || BROKERS=${BROKERS//rabbitmq/}
W_AMQP=(5761 5762 5763); W_RAFT=(25761 25763 25765)
R_AMQP=(5771 5772 5773); R_DIST=(25771 25772 25773)
PIDS=(); KIND=""
log() { echo "[$(date +%T)] $*" >&2; }

# ---------------------------------------------------------------- WarrenMQ
warren_start() {
  rm -rf "$BASE"; mkdir -p "$BASE"
  local peers="127.0.0.1:${W_RAFT[0]},127.0.0.1:${W_RAFT[1]},127.0.0.1:${W_RAFT[2]}" i
  (cd "$ROOT" && bin/warren --version >/dev/null 2>&1)  # builds once if needed
  for i in 0 1 2; do
    "$ROOT/bin/warren" --node-name "n$((i+1))" --bind 127.0.0.1 --port "${W_AMQP[$i]}" \
      --cluster-port "${W_RAFT[$i]}" --cluster-peers "$peers" --management-port 0 --prometheus-port 0 --data-dir "$BASE/n$((i+1))" \
      > "$BASE/n$((i+1)).log" 2>&1 &
    PIDS[$i]=$!
  done
  for i in 0 1 2; do
    warren_await "$i" || { log "WarrenMQ node $((i+1)) did not see 3 nodes ($BASE/n$((i+1)).log)"; return 1; }
  done
  KIND=warren
}
warren_await() {  # $1 index: its control socket, then 3 nodes online (120 s in all)
  local d="$BASE/n$(( $1 + 1 ))" k
  for k in $(seq 1 120); do [ -S "$d/warren.sock" ] && break; sleep 1; done
  "$ROOT/bin/warrenctl" --data-dir "$d" await_online_nodes 3 --timeout 120 >/dev/null
}
warren_leader() { "$ROOT/bin/warrenctl" --data-dir "$BASE/n$(( $2 + 1 ))" queue_leader "$1" 2>/dev/null | tail -1; }
warren_stop() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done; PIDS=(); }
warren_restart_node() {  # $1 index
  local peers="127.0.0.1:${W_RAFT[0]},127.0.0.1:${W_RAFT[1]},127.0.0.1:${W_RAFT[2]}" i=$1
  "$ROOT/bin/warren" --node-name "n$((i+1))" --bind 127.0.0.1 --port "${W_AMQP[$i]}" \
    --cluster-port "${W_RAFT[$i]}" --cluster-peers "$peers" --management-port 0 --prometheus-port 0 --data-dir "$BASE/n$((i+1))" \
    >> "$BASE/n$((i+1)).log" 2>&1 &
  PIDS[$i]=$!
  rm -f "$BASE/n$((i+1))/warren.sock" 2>/dev/null
  warren_await "$i"
}

# ---------------------------------------------------------------- RabbitMQ
rmq_env() {  # $1 index: the environment of node rabbitN@localhost
  local i=$1 d="$BASE/r$(( $1 + 1 ))"
  export HOME=$d/home RABBITMQ_NODENAME=rabbit$((i+1))@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=${R_AMQP[$i]} RABBITMQ_DIST_PORT=${R_DIST[$i]}
  export RABBITMQ_MNESIA_BASE=$d/mnesia RABBITMQ_LOG_BASE=$d/log RABBITMQ_CONFIG_FILE=$d/rabbitmq.conf
  export RABBITMQ_ENABLED_PLUGINS_FILE=$d/enabled_plugins RABBITMQ_PID_FILE=$d/node.pid
  export RABBITMQ_ADVANCED_CONFIG_FILE=$d/advanced.config RABBITMQ_CONF_ENV_FILE=$d/rabbitmq-env.conf
  export ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}
rmq_start_node() {  # $1 index
  local i=$1 d="$BASE/r$(( $1 + 1 ))"
  ( rmq_env "$i"
    mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    [ -f "$HOME/.erlang.cookie" ] || { printf WARRENCLUSTERBENCH > "$HOME/.erlang.cookie"; chmod 400 "$HOME/.erlang.cookie"; }
    printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\nlog.file.level = warning\nlog.console = false\n' \
      "${R_AMQP[$i]}" > "$RABBITMQ_CONFIG_FILE"
    echo "[]." > "$RABBITMQ_ADVANCED_CONFIG_FILE"; : > "$RABBITMQ_CONF_ENV_FILE"; echo "[]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    nohup /usr/lib/rabbitmq/bin/rabbitmq-server > "$d/server.out" 2>&1 &
    timeout 120 /usr/lib/rabbitmq/bin/rabbitmqctl -q wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null )
  PIDS[$i]=$(cat "$d/node.pid")
}
rmqctl() { local i=$1; shift; ( rmq_env "$i"; timeout 120 /usr/lib/rabbitmq/bin/rabbitmqctl -q "$@" ); }
rabbitmq_start() {
  rm -rf "$BASE"; mkdir -p "$BASE"
  local i
  for i in 0 1 2; do rmq_start_node "$i" || { log "RabbitMQ node $((i+1)) did not start"; return 1; }; done
  for i in 1 2; do
    rmqctl "$i" stop_app && rmqctl "$i" join_cluster rabbit1@localhost && rmqctl "$i" start_app \
      || { log "rabbit$((i+1)) did not join"; return 1; }
  done
  KIND=rabbitmq
}
rabbitmq_leader() {  # prints nN of the quorum queue's leader
  rmqctl "$2" eval "{ok, Q} = rabbit_amqqueue:lookup(rabbit_misc:r(<<\"/\">>, queue, <<\"$1\">>)), {_, L} = amqqueue:get_pid(Q), io:format(\"~s~n\", [L])." 2>/dev/null \
    | grep -oE 'rabbit[0-9]' | head -1 | sed 's/rabbit/n/'
}
rabbitmq_stop() { local i; for i in 0 1 2; do rmqctl "$i" stop >/dev/null 2>&1 || kill "${PIDS[$i]}" 2>/dev/null; done; PIDS=(); }
rabbitmq_restart_node() { rmq_start_node "$1"; }

# ---------------------------------------------------------------- measurements
port() { if [ "$KIND" = warren ]; then echo "${W_AMQP[$1]}"; else echo "${R_AMQP[$1]}"; fi; }
uri() { echo "amqp://guest:guest@127.0.0.1:$(port "$1")/%2F"; }
cpu_ticks() { local t=0 p; for p in "${PIDS[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
rssanon() { local p out=""; for p in "${PIDS[@]}"; do out+="$(awk '/^RssAnon:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)/"; done; echo "${out%/}"; }

run_c() {
  local t0 t1 r recv cpu
  if [ "$WARMUP" -gt 0 ]; then  # the same load first, not measured: JIT compilers settle (three JVMs share two cores)
    log "$KIND: c warm-up, ${WARMUP} s"
    LABEL="$KIND-3n-warmup" EXTRA="--quorum-queue" "$SHARED/perftest.sh" "$(uri 0)" c "$WARMUP" >/dev/null 2>&1
  fi
  t0=$(cpu_ticks)
  r=$(LABEL="$KIND-3n" EXTRA="--quorum-queue" "$SHARED/perftest.sh" "$(uri 0)" c "$DUR" | tail -1)
  t1=$(cpu_ticks)
  recv=$(echo "$r" | grep -oE 'recv=[0-9]+' | cut -d= -f2)
  cpu=NA; [ -n "$recv" ] && [ "$recv" -gt 0 ] && cpu=$(echo "scale=1; ($t1 - $t0) * 10000 / ($recv * $DUR)" | bc)
  echo "$r cluster_cpu_us_per_msg=$cpu"
}

run_backlog() {
  local before r peak
  before=$(rssanon)
  ( while true; do rssanon; sleep 1; done ) > "$BASE/rssanon.samples" 2>/dev/null &
  local sampler=$!
  r=$(LABEL="$KIND-3n" EXTRA="--quorum-queue" BROKER_PID="${PIDS[0]}" "$SHARED/perftest.sh" "$(uri 0)" backlog | tail -1)
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
  peak=$(python3 -c "
rows = [[int(x) for x in l.strip().split('/')] for l in open('$BASE/rssanon.samples') if l.strip()]
print('/'.join(str(max(r[i] for r in rows)) for i in range(len(rows[0]))) if rows else 'NA')")
  echo "$r rssanon_kb_per_node_before=$before rssanon_kb_per_node_peak=$peak rssanon_kb_per_node_after=$(rssanon)"
}

run_failover() {
  local k times=() q=bench-failover
  /usr/bin/python3 - "$(port 0)" "$(port 1)" "$(port 2)" "$q" declare <<'PY' || return 1
import sys, pika
p = pika.BlockingConnection(pika.ConnectionParameters('127.0.0.1', int(sys.argv[1])))
p.channel().queue_declare(sys.argv[4], durable=True, arguments={'x-queue-type': 'quorum'})
p.close()
PY
  for k in $(seq 1 "$FAILOVERS"); do
    sleep 3
    local leader="" li pub
    for li in 0 1 2; do leader=$("${KIND}_leader" "$q" "$li"); [ -n "$leader" ] && break; done
    [ -z "$leader" ] && { log "no leader for $q"; continue; }
    li=$(( ${leader#n} - 1 )); pub=$(( (li + 1) % 3 ))
    /usr/bin/python3 "$HERE/failover_publisher.py" "$(port $pub)" "$q" > "$BASE/failover-$k.out" 2>&1 &
    local ppid=$!
    sleep 3
    date +%s.%N > "$BASE/failover-$k.kill"
    kill -9 "${PIDS[$li]}"
    wait "$ppid"
    "${KIND}_restart_node" "$li"
    local t; t=$(python3 -c "
import sys
kill = float(open('$BASE/failover-$k.kill').read())
after = [float(l.split()[1]) for l in open('$BASE/failover-$k.out') if l.startswith('confirmed') and float(l.split()[1]) > kill]
print('%.3f' % (after[0] - kill) if after else 'NA')")
    log "$KIND failover $k: leader n$((li+1)) killed, next confirm after ${t}s"
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | python3 -c "
import sys, statistics
v = [float(x) for x in sys.stdin.read().split() if x != 'NA']
print('RESULT broker=$KIND-3n scenario=failover kills=$FAILOVERS measured=%d median_s=%s max_s=%s' % (len(v), '%.2f' % statistics.median(v) if v else 'NA', '%.2f' % max(v) if v else 'NA'))"
}
threads() { local p out=""; for p in "${PIDS[@]}"; do out+="$(awk '/^Threads:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)/"; done; echo "${out%/}"; }
idle_cpu() {  # per node, ms of CPU per second over IDLE seconds
  local p a=() b=() out="" i
  for p in "${PIDS[@]}"; do a+=("$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)"); done
  sleep "$IDLE"
  for p in "${PIDS[@]}"; do b+=("$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)"); done
  for i in "${!a[@]}"; do out+="$(( (b[i] - a[i]) * 10 / IDLE ))/"; done  # ticks of 10 ms
  echo "${out%/}"
}

run_queues() {
  local t0 t1 th0 rss0 cpu0 th1 rss1 cpu1
  th0=$(threads); rss0=$(rssanon); cpu0=$(idle_cpu)
  t0=$(date +%s.%N)
  /usr/bin/python3 - "$(port 0)" "$(port 1)" "$(port 2)" "$QUEUES_N" <<'PY' || { log "$KIND: the declares failed"; return 1; }
import sys, pika
ports, n = [int(p) for p in sys.argv[1:4]], int(sys.argv[4])
chans = [pika.BlockingConnection(pika.ConnectionParameters('127.0.0.1', p)).channel() for p in ports]
for i in range(n):
    chans[i % 3].queue_declare('qq.idle.%d' % i, durable=True, arguments={'x-queue-type': 'quorum'})
PY
  t1=$(date +%s.%N)
  sleep 10  # the groups elect their leaders and settle
  th1=$(threads); rss1=$(rssanon); cpu1=$(idle_cpu)
  python3 -c "
n = $QUEUES_N
def v(s): return [int(x) for x in s.split('/')]
th0, th1, r0, r1, c0, c1 = v('$th0'), v('$th1'), v('$rss0'), v('$rss1'), v('$cpu0'), v('$cpu1')
f = lambda l: '/'.join(str(x) for x in l)
per = lambda a, b, k: '/'.join('%.2f' % ((y - x) * k / n) for x, y in zip(a, b))
print('RESULT broker=$KIND-3n scenario=queues queues=%d declare_s=%.1f threads_per_node=%s->%s rssanon_kb_per_node=%s->%s'
      ' idle_cpu_ms_per_s_per_node=%s->%s threads_per_queue=%s rssanon_kb_per_queue=%s idle_cpu_us_per_s_per_queue=%s'
      % (n, $t1 - $t0, f(th0), f(th1), f(r0), f(r1), f(c0), f(c1), per(th0, th1, 1), per(r0, r1, 1), per(c0, c1, 1000)))"
}

export -f log

cleanup() { [ -n "$KIND" ] && "${KIND}_stop"; }
trap cleanup EXIT
for b in $BROKERS; do
  log "starting a three-node $b cluster"
  "${b}_start" || { cleanup; KIND=""; continue; }
  for w in $WHAT; do
    log "$b: $w"
    case "$w" in
      c) run_c ;;
      backlog) run_backlog ;;
      failover) run_failover ;;
      queues) run_queues ;;
      *) echo "unknown measurement $w" >&2 ;;
    esac
  done
  "${b}_stop"; KIND=""
done
