#!/usr/bin/env bash
# The soak run (not in CI): a real server under the agent for MINUTES (default 10), with short-lived locks churned
# beside it; then the trace is read back and analysed, and one table is appended to benchmarks/RESULTS.md (heap and
# the agent's object table over time, trace size and events per second, events written against read back, lost
# events, workload errors, findings). WORKLOAD is the main class of any dev.tangle.load.Workload (default: the load
# benchmark's H2 server, dev.tangle.load.H2Load; dev.tangle.load.JettyLoad is the other).
#
# Usage: benchmarks/soak.sh [MINUTES] [WORKLOAD]
# Environment (optional): THREADS (4), SAMPLE_SECONDS (60), CHURN_PER_SECOND (2000), HEAP (512m), ANALYZE_HEAP
#   (12g: tangle analyze holds every event while it builds the model, ~40 bytes each), JAVA_HOME,
#   WORK (benchmarks/target/soak/<date-time>), BUILD=0 to skip the Maven build, OPS_PER_SECOND (0: as fast as it
#   goes; N: each client thread paced to N operations a second, a server under a steady load: ten minutes at full
#   speed make billions of events, more than the in-memory analyser holds)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
MINUTES=${1:-10}
WORKLOAD=${2:-dev.tangle.load.H2Load}
WORK=${WORK:-$ROOT/benchmarks/target/soak/$(date +%Y%m%d-%H%M%S)}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$WORK"

if [[ ${BUILD:-1} != 0 ]]; then
    echo "== building agent, command line and benchmarks (mvn -q -B -DskipTests package)"
    mvn -q -B -DskipTests package -pl agent,analyzer,benchmarks -am
fi

"$JAVA" -cp "$ROOT/benchmarks/target/benchmarks.jar" dev.tangle.load.SoakBenchmark \
    --java "$JAVA" \
    --bench-jar "$ROOT/benchmarks/target/load-workloads.jar" \
    --agent-jar "$ROOT/agent/target/tangle-agent.jar" \
    --cli-jar "$ROOT/analyzer/target/tangle.jar" \
    --workload "$WORKLOAD" --minutes "$MINUTES" --threads "${THREADS:-4}" \
    --sample-seconds "${SAMPLE_SECONDS:-60}" --churn-per-second "${CHURN_PER_SECOND:-2000}" \
    --heap "${HEAP:-512m}" --analyze-heap "${ANALYZE_HEAP:-12g}" --ops-per-second "${OPS_PER_SECOND:-0}" --work "$WORK" --results "$ROOT/benchmarks/RESULTS.md" \
    2>&1 | tee "$WORK/summary.txt"
