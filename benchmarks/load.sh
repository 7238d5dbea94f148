#!/usr/bin/env bash
# The load benchmark: a real embedded H2 database (JDBC, 8 client threads), a real Jetty 12 HTTP server (8 client
# threads on loopback) and the plain uncontended lock loop (2 threads, each its own monitor and ReentrantLock),
# each without the agent and under it (default options), in alternating pairs, in one run. Prints every run, then
# the median throughput ratio, the events recorded and lost (read back from each trace) and the findings of
# `tangle analyze` (there must be none: these programs are correct). See benchmarks/README.md.
#
# Usage: benchmarks/load.sh            (3 pairs; H2 20 s warm-up + 30 s, Jetty 20 s + 20 s, lock loop 2 s + 5 s; about 13 minutes)
# Environment (all optional):
#   PAIRS SERVER_SECONDS LOOP_SECONDS   pairs per workload, measured seconds per Jetty / lock-loop run
#   SERVER_WARMUP  seconds Jetty runs before it is measured (default 20; 10 before 2026-12-06, 3 in the first runs)
#   H2_WARMUP H2_SECONDS  H2's warm-up and measured seconds (default 20 and 30: see benchmarks/README.md)
#   WORKLOADS    comma-separated subset of h2,jetty,lockloop
#   AGENT_OPTS   more agent options after out=..., e.g. ",full=drop"
#   JAVA_HOME    the JDK for the workloads (default: the `java` on PATH)
#   WORK         where traces, outputs and analysis reports go (default: benchmarks/target/load/<date-time>)
#   KEEP_TRACES=1  keep the traces;  BUILD=0  skip the Maven build
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WORK=${WORK:-$ROOT/benchmarks/target/load/$(date +%Y%m%d-%H%M%S)}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$WORK"

if [[ ${BUILD:-1} != 0 ]]; then
    echo "== building agent, command line and benchmarks (mvn -q -B -DskipTests package)"
    mvn -q -B -DskipTests package -pl agent,analyzer,benchmarks -am
fi

"$JAVA" -cp "$ROOT/benchmarks/target/benchmarks.jar" dev.tangle.load.LoadBenchmark \
    --java "$JAVA" \
    --bench-jar "$ROOT/benchmarks/target/load-workloads.jar" \
    --agent-jar "$ROOT/agent/target/tangle-agent.jar" \
    --cli-jar "$ROOT/analyzer/target/tangle.jar" \
    --agent-opts "${AGENT_OPTS:-}" \
    --pairs "${PAIRS:-3}" --seconds "${SERVER_SECONDS:-20}" --loop-seconds "${LOOP_SECONDS:-5}" \
    --warmup "${SERVER_WARMUP:-20}" --h2-warmup "${H2_WARMUP:-20}" --h2-seconds "${H2_SECONDS:-30}" \
    --workloads "${WORKLOADS:-h2,jetty,lockloop}" \
    --work "$WORK" --keep-traces "$([[ ${KEEP_TRACES:-0} == 1 ]] && echo true || echo false)" \
    2>&1 | tee "$WORK/summary.txt"
