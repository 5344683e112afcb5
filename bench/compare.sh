#!/usr/bin/env bash
# Two WarrenMQ checkouts side by side: bench/run.sh's scenarios against each tree in turn, the
# order swapped every round (whichever runs first was seen to gain a few per cent), then the
# medians per tree and the ratio B/A. For "does this change cost or gain?" on a shared machine.
#
#   bench/compare.sh ROUNDS SECONDS "SCENARIOS" TREE_A TREE_B
#   e.g. git worktree add --detach /tmp/warren-old HEAD~3 && bench/compare.sh 3 20 "a b c d lat" /tmp/warren-old .
# Each tree is built by its own bin/warren on first use. Raw lines: bench/results/compare-<time>.txt.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${1:?ROUNDS}; DUR=${2:?SECONDS}; SCENARIOS=${3:?SCENARIOS}
A=$(cd "${4:?TREE_A}" && pwd); B=$(cd "${5:?TREE_B}" && pwd)
OUT=$HERE/results/compare-$(date +%Y%m%d-%H%M%S).txt; mkdir -p "$HERE/results"
for t in "$A" "$B"; do
  [ -f "$t/bench/run.sh" ] || { echo "$t has no bench/run.sh" >&2; exit 2; }
  [ -d "$t/bench/lib" ] || cp -r "$HERE/lib" "$t/bench/lib" 2>/dev/null || true
done
for i in $(seq 1 "$ROUNDS"); do
  if [ $((i % 2)) = 1 ]; then order=("$A" "$B"); else order=("$B" "$A"); fi
  for t in "${order[@]}"; do
    tag=A; [ "$t" = "$B" ] && tag=B
    BROKERS=warren bash "$t/bench/run.sh" 1 "$DUR" "$SCENARIOS" 2>&1 | grep '^RESULT' \
      | sed "s|^RESULT|RESULT tree=$tag round=$i|" | tee -a "$OUT"
  done
done
/usr/bin/python3 - "$OUT" "$A" "$B" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(re.findall(r'(\w+)=(\S+)', line))
    rows.setdefault((kv['scenario'], kv['tree']), []).append(kv)
print(f"A = {sys.argv[2]}\nB = {sys.argv[3]}")
for sc in sorted({k[0] for k in rows}):
    med = {t: {f: statistics.median(int(r.get(f, 0)) for r in rows[(sc, t)]) for f in ('recv', 'lat_p99_us')}
           for t in 'AB' if (sc, t) in rows}
    line = "  ".join(f"{t} recv={m['recv']:.0f} p99_us={m['lat_p99_us']:.0f}" for t, m in med.items())
    if len(med) == 2 and med['A']['recv']:
        line += f"  B/A recv {med['B']['recv'] / med['A']['recv']:.3f}"
    print(f"scenario {sc}: {line}")
PY
echo "raw: $OUT"
