#!/usr/bin/python3
"""Medians per broker and scenario from bench/run.sh raw lines, and the WarrenMQ/RabbitMQ ratio."""
import re, statistics, sys
from collections import defaultdict

rows = defaultdict(list)
for line in open(sys.argv[1]):
    if not line.startswith("RESULT "):
        continue
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    rows[(kv["scenario"], kv["broker"])].append(kv)

def med(vals, key):
    xs = [float(v[key]) for v in vals if key in v and re.fullmatch(r"-?[0-9.]+", v[key])]
    return statistics.median(xs) if xs else None

METRICS = {
    "default": [("recv", "recv msg/s", True), ("send", "send msg/s", True), ("lat_p50_us", "p50 µs", False),
                ("lat_p99_us", "p99 µs", False), ("rss_peak_kb", "RSS peak MiB", False), ("rssanon_peak_kb", "RssAnon peak MiB", False)],
    "conns": [("conns", "connections", True), ("kb_per_conn", "kB/conn", False), ("rssanon_with_kb", "RssAnon MiB", False)],
    "backlog": [("in_msg_s", "in msg/s", True), ("out_msg_s", "out msg/s", True), ("rssanon_growth_kb", "RssAnon growth MiB", False),
                ("rssanon_full_kb", "RssAnon full MiB", False), ("rssanon_drained_kb", "RssAnon drained MiB", False),
                ("disk_full_mb", "disk full MB", False), ("disk_drained_mb", "disk drained MB", False)],
}
scenarios = sorted({s for s, _ in rows}, key=lambda s: "a b c d lat conns backlog".split().index(s) if s in "a b c d lat conns backlog".split() else 99)
print("| scenario | metric | WarrenMQ | RabbitMQ | ratio W/R |")
print("|---|---|---|---|---|")
for s in scenarios:
    for key, label, _ in METRICS.get(s, METRICS["default"]):
        w = med(rows[(s, "warren")], key)
        r = med(rows[(s, "rabbitmq")], key)
        fmt = lambda x: "-" if x is None else (f"{x/1024:.0f}" if key.endswith("_kb") and key != "kb_per_conn" else f"{x:.0f}")
        ratio = f"{w / r:.2f}" if w is not None and r not in (None, 0) else "-"
        print(f"| {s} | {label} | {fmt(w)} | {fmt(r)} | {ratio} |")
