#!/usr/bin/env bash
# The stall watcher's cost: dev.tangle.loadbench.StalledThreadsLoad under the agent with the watcher off
# (stallMillis=0) and on (stallMillis=200 by default), alternating, ROUNDS times each, in one run; prints every
# round's ops/s and the ratio of the medians (on / off). See benchmarks/RESULTS.md.
#
# Environment (all optional): JAVA (default: java on PATH), ROUNDS (5), STALL (200), STUCK (200), CHURN (16),
# DURATION (5 s), BUILD=0 to skip the Maven build.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JAVA=${JAVA:-java}; ROUNDS=${ROUNDS:-5}; STALL=${STALL:-200}
STUCK=${STUCK:-200}; CHURN=${CHURN:-16}; DURATION=${DURATION:-5}
if [[ ${BUILD:-1} != 0 ]]; then
    mvn -q -B -DskipTests package -pl agent,benchmarks -am
fi
TRACES=$(mktemp -d "${TMPDIR:-/tmp}/tangle-stall.XXXXXX")
trap 'rm -rf "$TRACES"' EXIT
run() { # $1 = stallMillis; prints "ops/s watcher-cpu-%"; the safepoint log goes to $TRACES/safepoints-$1.log
    "$JAVA" -Xlog:safepoint:file="$TRACES/safepoints-$1.log" \
        -javaagent:"$ROOT/agent/target/tangle-agent.jar=out=$TRACES/s$1.trace,full=drop,stallMillis=$1" \
        -cp "$ROOT/benchmarks/target/benchmarks.jar" dev.tangle.loadbench.StalledThreadsLoad \
        "$STUCK" "$CHURN" "$DURATION" 2>/dev/null \
        | awk '/^ops\/s/ {o=$2} /^watcher cpu/ {c=$4} END {print o, c}'
}
off=(); on=(); cpu=()
for ((r = 1; r <= ROUNDS; r++)); do
    read -r a _ <<< "$(run 0)"; read -r b c <<< "$(run "$STALL")"
    off+=("$a"); on+=("$b"); cpu+=("$c")
    # the watcher's dumps with stacks are the safepoints named ThreadDump
    dumps=$(sed -n 's/.*Safepoint "ThreadDump".*Total: \([0-9]*\) ns.*/\1/p' "$TRACES/safepoints-$STALL.log" \
        | awk '{n++; s+=$1; if ($1 > m) m = $1} END {printf "%d dumps, %.1f ms in all, longest %.1f ms", n, s/1e6, m/1e6}')
    echo "round $r: watcher off $a ops/s, on (stallMillis=$STALL) $b ops/s, watcher thread CPU $c % of one core," \
        "$dumps"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
m0=$(median "${off[@]}"); m1=$(median "${on[@]}")
awk -v a="$m0" -v b="$m1" 'BEGIN {printf "median ops/s: off %.0f, on %.0f; on/off throughput %.3f (cost %.1f %%)\n", a, b, b/a, (1-b/a)*100}'
echo "median CPU of the watcher thread: $(median "${cpu[@]}") % of one core; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
