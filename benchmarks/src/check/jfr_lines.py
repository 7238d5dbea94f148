#!/usr/bin/env python3
"""Line-level profile from a JFR recording: where the samples of the benchmark threads land.

Usage: jfr print --json --events jdk.ExecutionSample REC.jfr | python3 jfr_lines.py [THREAD_PREFIX]

JFR reports inlined frames too, each with its line, so this shows which lines of the agent's hooks (inlined into
the benchmark method) take the time. Prints self samples by method:line, and inclusive samples by method.
"""
import collections, json, sys

prefix = sys.argv[1] if len(sys.argv) > 1 else "dev.tangle.bench"
data = json.load(sys.stdin)
selfc = collections.Counter()
incl = collections.Counter()
total = 0
for ev in data["recording"]["events"]:
    v = ev["values"]
    thread = (v.get("sampledThread") or {}).get("javaName") or ""
    if not thread.startswith(prefix):
        continue
    frames = v["stackTrace"]["frames"]
    if not frames:
        continue
    total += 1
    def name(f):
        m = f["method"]
        t = m["type"]["name"].split(".")[-1]
        return "%s.%s" % (t, m["name"])
    top = frames[0]
    selfc["%s:%s" % (name(top), top.get("lineNumber"))] += 1
    seen = set()
    for f in frames:
        n = name(f)
        if n not in seen:
            seen.add(n)
            incl[n] += 1
print("samples: %d" % total)
print("-- self, by method:line")
for k, c in selfc.most_common(40):
    print("%6.1f%%  %s" % (100.0 * c / total, k))
print("-- inclusive, by method")
for k, c in incl.most_common(30):
    print("%6.1f%%  %s" % (100.0 * c / total, k))
