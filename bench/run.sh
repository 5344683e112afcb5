#!/usr/bin/env bash
# Side-by-side load benchmark: WarrenMQ and (when rabbitmq-server is installed) a private RabbitMQ
# node on this machine, the same RabbitMQ PerfTest scenarios against both, interleaved, REPS times.
#
#   bench/run.sh [REPS] [SECONDS] [SCENARIOS]      e.g. bench/run.sh 3 20 "a b c d lat conns backlog"
#
# Prints a table of medians and the ratio WarrenMQ/RabbitMQ per scenario, with broker RSS and
# RssAnon (peak during the run). Raw lines go to bench/results/raw-<time>.txt.
# Env: BROKERS ("warren rabbitmq"), CONNS (1000), BACKLOG_N (1000000), BACKLOG_SIZE (1000),
# WARREN_JVM_OPTS, PT_JAVA, WARREN_BENCH_PIDFILE and WARREN_BENCH_DATA (where WarrenMQ's PID and data
# go: /tmp/warren-bench.pid, /tmp/warren-bench-data), BENCH_TLS (1: every broker's PerfTest clients
# go over AMQPS, with a fresh self-signed certificate: WarrenMQ on WARREN_BENCH_TLS_PORT, 5741,
# RabbitMQ on RMQ_TLS_PORT, 5703; WARREN_BENCH_TLS=1 is the former name; compare a run with and
# one without, e.g. BENCH_TLS=1 bench/run.sh 3 20 a).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
REPS=${1:-3}; DUR=${2:-20}; SCENARIOS=${3:-"a b c d lat"}
BROKERS=${BROKERS:-"warren rabbitmq"}
CONNS=${CONNS:-1000}; BACKLOG_N=${BACKLOG_N:-1000000}; BACKLOG_SIZE=${BACKLOG_SIZE:-1000}
BACKLOG_TIMEOUT=${BACKLOG_TIMEOUT:-900}  # seconds for each of publish and drain
WPORT=${WARREN_BENCH_PORT:-5740}; RPORT=${RMQ_PORT:-5702}
JAVA_HOME=$("$ROOT/bin/java-home"); export JAVA_HOME
PT_JAVA=${PT_JAVA:-$JAVA_HOME/bin/java}
mkdir -p "$HERE/results" "$HERE/logs"
RAW="$HERE/results/raw-$(date +%Y%m%d-%H%M%S).txt"
if ! ls "$HERE"/lib/perf-test-*.jar >/dev/null 2>&1; then
  (cd "$ROOT" && ./mvnw -q -B -f bench/pom.xml dependency:copy-dependencies) || { echo "cannot fetch PerfTest" >&2; exit 2; }
fi
if [[ " $BROKERS " == *" rabbitmq "* ]] && [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  echo "rabbitmq-server not installed: WarrenMQ only (apt-get install rabbitmq-server for the comparison)" >&2
  BROKERS=warren
fi
# Scenarios run in subshells ($(...)) and may restart a broker there: the brokers' PIDs live in
# files, never in variables a subshell would update only for itself.
WPIDFILE=${WARREN_BENCH_PIDFILE:-/tmp/warren-bench.pid}; WDATA=${WARREN_BENCH_DATA:-/tmp/warren-bench-data}
WTLS=${BENCH_TLS:-${WARREN_BENCH_TLS:-0}}; WTLSPORT=${WARREN_BENCH_TLS_PORT:-5741}; WTLSDIR=${WDATA}-tls
RTLSPORT=${RMQ_TLS_PORT:-5703}
WARREN_TLS_ARGS=()
if [ "$WTLS" = 1 ]; then
  mkdir -p "$WTLSDIR"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout "$WTLSDIR/key.pem" \
    -out "$WTLSDIR/cert.pem" >/dev/null 2>&1 || { echo "openssl cannot make the benchmark's certificate" >&2; exit 2; }
  WARREN_TLS_ARGS=(--ssl-port "$WTLSPORT" --ssl-certfile "$WTLSDIR/cert.pem" --ssl-keyfile "$WTLSDIR/key.pem")
  # RabbitMQ's node gets an AMQPS listener with the same certificate (bench/rabbitmq.sh)
  export RMQ_TLS_PORT=$RTLSPORT RMQ_TLS_CERT=$WTLSDIR/cert.pem RMQ_TLS_KEY=$WTLSDIR/key.pem
fi
# PerfTest's URI: amqps:// for WarrenMQ with WARREN_BENCH_TLS=1 (the Java client then trusts any certificate)
uri() {
  case $1 in
    warren) if [ "$WTLS" = 1 ]; then echo "amqps://guest:guest@127.0.0.1:$WTLSPORT/%2F"; else plain_uri warren; fi ;;
    rabbitmq) if [ "$WTLS" = 1 ]; then echo "amqps://guest:guest@127.0.0.1:$RTLSPORT/%2F"; else plain_uri rabbitmq; fi ;;
    *) plain_uri "$1" ;;
  esac
}
# qtool.py (pika) always takes the plain port
plain_uri() { case $1 in warren) echo "amqp://guest:guest@127.0.0.1:$WPORT/%2F" ;; rabbitmq) echo "amqp://guest:guest@127.0.0.1:$RPORT/%2F" ;; esac; }
bpid() { case $1 in warren) cat "$WPIDFILE" 2>/dev/null ;; rabbitmq) RMQ_PORT=$RPORT "$HERE/rabbitmq.sh" pid 2>/dev/null ;; esac; }
start_warren() {
  rm -rf "$WDATA"
  "$ROOT/bin/warren" --port "$WPORT" --data-dir "$WDATA" "${WARREN_TLS_ARGS[@]}" > "$HERE/logs/warren.log" 2>&1 &
  local p=$!; echo "$p" > "$WPIDFILE"
  for _ in $(seq 1 600); do
    kill -0 "$p" 2>/dev/null || { echo "WarrenMQ exited at start (bench/logs/warren.log)" >&2; exit 1; }
    (exec 3<>/dev/tcp/127.0.0.1/$WPORT) 2>/dev/null && return 0; sleep 0.2
  done
  echo "WarrenMQ did not start (bench/logs/warren.log)" >&2; exit 1
}
stop_warren() {  # SIGTERM, then wait for the process to be gone (wait(1) cannot: it may not be our child)
  local p; p=$(cat "$WPIDFILE" 2>/dev/null) || return 0
  kill "$p" 2>/dev/null
  for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  rm -f "$WPIDFILE"
}
start_rabbit() { RMQ_PORT=$RPORT "$HERE/rabbitmq.sh" start >/dev/null; }
stop_rabbit() { RMQ_PORT=$RPORT "$HERE/rabbitmq.sh" stop >/dev/null 2>&1; }
cleanup() { stop_warren; [[ " $BROKERS " == *" rabbitmq "* ]] && stop_rabbit; }
trap cleanup EXIT
restart() { case $1 in warren) stop_warren; start_warren ;; rabbitmq) stop_rabbit; start_rabbit ;; esac; }

# PerfTest with a background RSS sampler; prints "send= recv= lat_p50= lat_p99= rss_peak_kb= rssanon_peak_kb="
perftest() {  # broker duration flags...
  local b=$1 d=$2; shift 2
  local log="$HERE/logs/$b-$(date +%H%M%S)-$RANDOM.log" pid peak_r=0 peak_a=0
  pid=$(bpid "$b")
  timeout $((d + 60)) "$PT_JAVA" -Xms256m -Xmx1g -cp "$HERE/lib/*" com.rabbitmq.perf.PerfTest -h "$(uri "$b")" -i 1 -z "$d" "$@" > "$log" 2>&1 &
  local pt=$!
  while kill -0 $pt 2>/dev/null; do
    read -r r a < <("$HERE/mem.sh" "$pid" | tr -c '0-9\n' ' ' | awk '{print $1, $2}')
    [ "${r:-0}" -gt "$peak_r" ] && peak_r=$r; [ "${a:-0}" -gt "$peak_a" ] && peak_a=$a
    sleep 1
  done
  wait $pt
  local s r l
  s=$(grep -oE 'sending rate avg: [0-9]+' "$log" | tail -1 | awk '{print $4}')
  r=$(grep -oE 'receiving rate avg: [0-9]+' "$log" | tail -1 | awk '{print $4}')
  l=$(grep -E 'consumer latency min/median/75th/95th/99th [0-9]' "$log" | tail -1 | grep -oE '[0-9]+/[0-9]+/[0-9]+/[0-9]+/[0-9]+')
  IFS=/ read -r _ p50 _ _ p99 <<<"${l:-0/0/0/0/0}"
  echo "send=${s:-0} recv=${r:-0} lat_p50_us=$p50 lat_p99_us=$p99 rss_peak_kb=$peak_r rssanon_peak_kb=$peak_a log=$log"
}

qdelete() { /usr/bin/python3 "$HERE/qtool.py" delete "$(plain_uri "$1")" "${@:2}" >/dev/null 2>&1; }

scenario() {  # broker scenario
  local b=$1 sc=$2
  case $sc in
    a) qdelete "$b" bench-a; perftest "$b" "$DUR" -x 1 -y 1 -s 1000 -a -u bench-a -ad false ;;
    b) qdelete "$b" bench-b; perftest "$b" "$DUR" -x 1 -y 1 -s 16 -a -u bench-b -ad false ;;
    c) qdelete "$b" bench-c; perftest "$b" "$DUR" -x 1 -y 1 -s 1000 -f persistent -c 100 -q 100 -u bench-c -ad false ;;
    d) qdelete "$b" $(seq -f "bench-d-%g" 1 10)
       perftest "$b" "$DUR" -x 1 -y 10 -s 1000 -a -t fanout -e bench-fanout --queue-pattern 'bench-d-%d' \
         --queue-pattern-from 1 --queue-pattern-to 10 -ad false ;;
    lat) qdelete "$b" bench-lat; perftest "$b" "$DUR" -x 1 -y 1 -s 1000 -a -r 1000 -u bench-lat -ad false ;;
    conns) conns "$b" ;;
    backlog) backlog "$b" ;;
  esac
}

conns() {  # idle connections, 1 channel + 1 consumer each; kB per connection from the RSS delta
  local b=$1 pid before after; restart "$b"; pid=$(bpid "$b")
  qdelete "$b" bench-conns
  before=$("$HERE/mem.sh" "$pid" | grep -oE 'rss_kb=[0-9]+' | cut -d= -f2)
  local wait_s=$(( CONNS > 1000 ? CONNS / 40 : 100 ))  # PerfTest opens ~70 connections/s here
  timeout $((wait_s + 120)) "$PT_JAVA" -Xmx2g -cp "$HERE/lib/*" com.rabbitmq.perf.PerfTest -h "$(uri "$b")" -x 0 -y "$CONNS" -a \
    -u bench-conns -ad false -niot 4 -z $((wait_s + 20)) > "$HERE/logs/conns-$b.log" 2>&1 &
  local pt=$! n=0
  for _ in $(seq 1 $((wait_s * 2))); do
    n=$(ss -tn state established "( sport = :$( [ "$b" = warren ] && echo $WPORT || echo $RPORT ) )" | tail -n +2 | wc -l)
    [ "$n" -ge "$CONNS" ] && break; sleep 0.5
  done
  sleep 5
  after=$("$HERE/mem.sh" "$pid" | grep -oE 'rss_kb=[0-9]+' | cut -d= -f2)
  local anon; anon=$("$HERE/mem.sh" "$pid" | grep -oE 'rssanon_kb=[0-9]+' | cut -d= -f2)
  kill $pt 2>/dev/null; wait $pt 2>/dev/null
  echo "conns=$n rss_before_kb=$before rss_with_kb=$after rssanon_with_kb=$anon kb_per_conn=$(( (after - before) / (n > 0 ? n : 1) ))"
}

datadir() { case $1 in warren) echo "$WDATA" ;; rabbitmq) echo /tmp/warren-bench-rmq/mnesia ;; esac; }

backlog() {  # BACKLOG_N x BACKLOG_SIZE bytes, transient, into one queue, then drained by one consumer
  local b=$1 pid base; restart "$b"; pid=$(bpid "$b")
  qdelete "$b" bench-backlog
  base=$("$HERE/mem.sh" "$pid" | grep -oE 'rssanon_kb=[0-9]+' | cut -d= -f2)
  local t0 t1 t2 full
  t0=$(date +%s.%N)
  timeout "$BACKLOG_TIMEOUT" "$PT_JAVA" -Xmx1g -cp "$HERE/lib/*" com.rabbitmq.perf.PerfTest -h "$(uri "$b")" -x 1 -y 0 -s "$BACKLOG_SIZE" \
    -C "$BACKLOG_N" -u bench-backlog -ad false > "$HERE/logs/backlog-pub-$b.log" 2>&1
  /usr/bin/python3 "$HERE/qtool.py" wait "$(plain_uri "$b")" bench-backlog ge "$BACKLOG_N" "$BACKLOG_TIMEOUT" >/dev/null
  t1=$(date +%s.%N)
  sleep 3
  full=$("$HERE/mem.sh" "$pid"); local disk_full; disk_full=$(du -sm "$(datadir "$b")" | cut -f1)
  timeout "$BACKLOG_TIMEOUT" "$PT_JAVA" -Xmx1g -cp "$HERE/lib/*" com.rabbitmq.perf.PerfTest -h "$(uri "$b")" -x 0 -y 1 -a \
    -u bench-backlog -ad false -D "$BACKLOG_N" > "$HERE/logs/backlog-drain-$b.log" 2>&1
  t2=$(date +%s.%N)
  sleep 3
  local drained disk_drained; drained=$("$HERE/mem.sh" "$pid" | grep -oE 'rssanon_kb=[0-9]+' | cut -d= -f2)
  disk_drained=$(du -sm "$(datadir "$b")" | cut -f1)
  echo "disk_full_mb=$disk_full disk_drained_mb=$disk_drained rssanon_drained_kb=$drained in_msg_s=$(echo "$BACKLOG_N / ($t1 - $t0)" | bc) out_msg_s=$(echo "$BACKLOG_N / ($t2 - $t1)" | bc) rssanon_base_kb=$base $(echo "$full" | sed 's/rss_kb/rss_full_kb/; s/rssanon_kb/rssanon_full_kb/') rssanon_growth_kb=$(( $(echo "$full" | grep -oE 'rssanon_kb=[0-9]+' | cut -d= -f2) - base ))"
}

for b in $BROKERS; do case $b in warren) start_warren ;; rabbitmq) start_rabbit ;; esac; done
echo "brokers: $BROKERS (warren pid $(bpid warren), rabbitmq pid $(bpid rabbitmq)); $REPS x $DUR s; scenarios: $SCENARIOS" | tee "$RAW"
[ "$WTLS" = 1 ] && echo "over TLS: $(for b in $BROKERS; do printf '%s %s  ' "$b" "$(uri "$b")"; done)" | tee -a "$RAW"
for rep in $(seq 1 "$REPS"); do
  for sc in $SCENARIOS; do
    case $sc in conns|backlog) [ "$rep" -gt 1 ] && [ "${MEM_REPS:-1}" -lt "$rep" ] && continue ;; esac
    for b in $BROKERS; do
      line="RESULT broker=$b scenario=$sc rep=$rep $(scenario "$b" "$sc")"
      echo "$line" | tee -a "$RAW"
    done
  done
done
/usr/bin/python3 "$HERE/summarize.py" "$RAW"
