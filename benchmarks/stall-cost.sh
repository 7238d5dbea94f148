#!/usr/bin/env bash
# The stall watcher's cost: dev.tangle.loadbench.StalledThreadsLoad under the agent with the watcher off
# (stallMillis=0) and on (stallMillis=200 by default), alternating, ROUNDS times each, in one run; prints every
# round's ops/s and the ratio of the medians (on / off). See benchmarks/RESULTS.md.
#
# Environment (all optional): JAVA (default: java on PATH), ROUNDS (5), STALL (200), STUCK (200), CHURN (16),
# SECONDS (5), BUILD=0 to skip the Maven build.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA=${JAVA:-java}; ROUNDS=${ROUNDS:-5}; STALL=${STALL:-200}
STUCK=${STUCK:-200}; CHURN=${CHURN:-16}; SECONDS_=${SECONDS:-5}
if [[ ${BUILD:-1} != 0 ]]; then
    mvn -q -B -DskipTests package -pl agent,benchmarks -am
fi
TRACES=$(mktemp -d "${TMPDIR:-/tmp}/tangle-stall.XXXXXX")
trap 'rm -rf "$TRACES"' EXIT
run() { # $1 = stallMillis
    "$JAVA" -javaagent:"$ROOT/agent/target/tangle-agent.jar=out=$TRACES/s$1.trace,full=drop,stallMillis=$1" \
        -cp "$ROOT/benchmarks/target/benchmarks.jar" dev.tangle.loadbench.StalledThreadsLoad \
        "$STUCK" "$CHURN" "$SECONDS_" 2>/dev/null | sed -n 's/^ops\/s //p'
}
off=(); on=()
for ((r = 1; r <= ROUNDS; r++)); do
    a=$(run 0); b=$(run "$STALL")
    off+=("$a"); on+=("$b")
    echo "round $r: watcher off $a ops/s, on (stallMillis=$STALL) $b ops/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
m0=$(median "${off[@]}"); m1=$(median "${on[@]}")
awk -v a="$m0" -v b="$m1" 'BEGIN {printf "median ops/s: off %.0f, on %.0f; on/off throughput %.3f (cost %.1f %%)\n", a, b, b/a, (1-b/a)*100}'
