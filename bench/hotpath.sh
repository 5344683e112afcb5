#!/usr/bin/env bash
# What the management side costs the AMQP hot path (issue 9, "Performance"): PerfTest scenarios of
# bench/run.sh (default a and b) against WarrenMQ in three set-ups, interleaved, REPS times:
#   base  a tree without the statistics counters (BASE_TREE, e.g. a `git archive` of the commit
#         before them), management and Prometheus off
#   off   this tree, WARREN_MANAGEMENT_PORT=0 WARREN_PROMETHEUS_PORT=0
#   on    this tree, both listeners on, with /metrics and /api/overview fetched every 5 s (a scrape)
# Prints each run's send/recv rates and, per scenario, the medians and the ratios off/base, on/off.
# BASE_TREE "none" leaves out base. The order of off and on swaps every repetition (whichever runs
# first after base was seen to gain a few per cent).
#
#   bench/hotpath.sh REPS SECONDS BASE_TREE ["a b"]
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPS=${1:-3}; DUR=${2:-20}; BASE=${3:?BASE_TREE}; SCENARIOS=${4:-"a b"}
OUT=$HERE/results/hotpath-$(date +%Y%m%d-%H%M%S).txt; mkdir -p "$HERE/results"
MPORT=15877; PPORT=15878
run() {  # setup tree
  local setup=$1 tree=$2 scraper=""
  if [ "$setup" = on ]; then
    ( while true; do sleep 5; curl -s -o /dev/null "http://127.0.0.1:$PPORT/metrics";
        curl -s -o /dev/null -u guest:guest "http://127.0.0.1:$MPORT/api/overview"; done ) &
    scraper=$!
    BROKERS=warren WARREN_BENCH_PORT=5745 WARREN_MANAGEMENT_PORT=$MPORT WARREN_PROMETHEUS_PORT=$PPORT \
      bash "$tree/bench/run.sh" 1 "$DUR" "$SCENARIOS"
    kill "$scraper"; wait "$scraper" 2>/dev/null
  else
    BROKERS=warren WARREN_BENCH_PORT=5745 WARREN_MANAGEMENT_PORT=0 WARREN_PROMETHEUS_PORT=0 \
      bash "$tree/bench/run.sh" 1 "$DUR" "$SCENARIOS"
  fi | grep '^RESULT' | sed "s/^RESULT/RESULT setup=$setup/" | tee -a "$OUT"
}
for rep in $(seq 1 "$REPS"); do
  [ "$BASE" = none ] || run base "$BASE"
  if [ $((rep % 2)) = 1 ]; then run off "$HERE/.."; run on "$HERE/.."; else run on "$HERE/.."; run off "$HERE/.."; fi
done
/usr/bin/python3 - "$OUT" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(re.findall(r'(\w+)=(\S+)', line))
    rows.setdefault((kv['scenario'], kv['setup']), []).append((int(kv['send']), int(kv['recv'])))
for sc in sorted({k[0] for k in rows}):
    med = {s: (statistics.median(r[0] for r in rows[(sc, s)]), statistics.median(r[1] for r in rows[(sc, s)]))
           for s in ('base', 'off', 'on') if (sc, s) in rows}
    print(f"scenario {sc}: " + "  ".join(f"{s} send={m[0]:.0f} recv={m[1]:.0f}" for s, m in med.items()))
    if 'base' in med and 'off' in med:
        print(f"  counters off/base: send {med['off'][0] / med['base'][0]:.3f} recv {med['off'][1] / med['base'][1]:.3f}")
    if 'on' in med and 'off' in med:
        print(f"  listeners on/off:  send {med['on'][0] / med['off'][0]:.3f} recv {med['on'][1] / med['off'][1]:.3f}")
PY
echo "raw: $OUT"
