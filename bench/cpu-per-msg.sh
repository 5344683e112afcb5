#!/usr/bin/env bash
# Broker CPU time per message at a fixed publish rate: less at the mercy of other load on the
# machine than throughput is. PerfTest publishes RATE msg/s of SIZE bytes for SECONDS through one
# queue to one auto-ack consumer; the broker's utime+stime (/proc/PID/stat) over the run, divided
# by the messages received, in microseconds. Set-ups as bench/hotpath.sh: base (BASE_TREE, both
# listeners off), off, on (listeners on and scraped every 5 s). Interleaved, REPS times.
#
#   bench/cpu-per-msg.sh REPS SECONDS BASE_TREE      Env: RATE (10000), SIZE (1000)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPS=${1:-3}; DUR=${2:-15}; BASE=${3:?BASE_TREE}; RATE=${RATE:-10000}; SIZE=${SIZE:-1000}
PORT=5746; MPORT=15879; PPORT=15880
JAVA_HOME=$("$HERE/../bin/java-home"); export JAVA_HOME
OUT=$HERE/results/cpu-$(date +%Y%m%d-%H%M%S).txt; mkdir -p "$HERE/results"
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # clock ticks
tick=$(getconf CLK_TCK)
one() {  # setup tree
  local setup=$1 tree=$2 m=0 p=0 pid scraper=""
  [ "$setup" = on ] && { m=$MPORT; p=$PPORT; }
  rm -rf /tmp/warren-cpu
  WARREN_MANAGEMENT_PORT=$m WARREN_PROMETHEUS_PORT=$p "$tree/bin/warren" --port $PORT --data-dir /tmp/warren-cpu > /tmp/warren-cpu.log 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.2; done
  pid=$(pgrep -P "$pid" java || echo "$pid")
  if [ "$setup" = on ]; then
    ( while true; do sleep 5; curl -s -o /dev/null "http://127.0.0.1:$PPORT/metrics";
        curl -s -o /dev/null -u guest:guest "http://127.0.0.1:$MPORT/api/overview"; done ) & scraper=$!
  fi
  local c0 c1 log=/tmp/warren-cpu-pt.log
  # a warm-up run, then the measured one
  timeout 60 "$JAVA_HOME/bin/java" -cp "$HERE/lib/*" com.rabbitmq.perf.PerfTest -h "amqp://guest:guest@127.0.0.1:$PORT/%2F" \
    -x 1 -y 1 -s "$SIZE" -a -r "$RATE" -u cpu-q -ad false -z 5 > /dev/null 2>&1
  c0=$(cpu "$pid")
  timeout $((DUR + 60)) "$JAVA_HOME/bin/java" -cp "$HERE/lib/*" com.rabbitmq.perf.PerfTest -h "amqp://guest:guest@127.0.0.1:$PORT/%2F" \
    -x 1 -y 1 -s "$SIZE" -a -r "$RATE" -u cpu-q -ad false -z "$DUR" > "$log" 2>&1
  c1=$(cpu "$pid")
  local recv; recv=$(grep -oE 'receiving rate avg: [0-9]+' "$log" | tail -1 | awk '{print $4}')
  [ -n "$scraper" ] && { kill "$scraper"; wait "$scraper" 2>/dev/null; }
  kill "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  echo "RESULT setup=$setup recv_per_s=${recv:-0} cpu_s=$(echo "($c1 - $c0) / $tick" | bc -l | cut -c1-6) us_per_msg=$(echo "($c1 - $c0) * 1000000 / $tick / (${recv:-1} * $DUR)" | bc -l | cut -c1-6)" | tee -a "$OUT"
}
for rep in $(seq 1 "$REPS"); do one base "$BASE"; one off "$HERE/.."; one on "$HERE/.."; done
/usr/bin/python3 - "$OUT" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(re.findall(r'(\w+)=(\S+)', line))
    rows.setdefault(kv['setup'], []).append(float(kv['us_per_msg']))
med = {s: statistics.median(v) for s, v in rows.items()}
print("median us/msg: " + "  ".join(f"{s}={m:.2f}" for s, m in med.items()))
if 'base' in med and 'off' in med: print(f"counters off/base: {med['off'] / med['base']:.3f}")
if 'on' in med and 'off' in med: print(f"listeners on/off: {med['on'] / med['off']:.3f}")
PY
echo "raw: $OUT"
