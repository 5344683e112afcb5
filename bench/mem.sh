#!/usr/bin/env bash
# Prints "rss_kb=N rssanon_kb=N" for a process (from /proc/PID/status).
awk '/^VmRSS:/ {r=$2} /^RssAnon:/ {a=$2} END {printf "rss_kb=%d rssanon_kb=%d\n", r, a}' "/proc/$1/status" 2>/dev/null || echo "rss_kb=0 rssanon_kb=0"
