#!/usr/bin/env bash
# Runs JMH benchmarks alternately without and with the agent, ROUNDS times, in one run, and prints per benchmark
# the median score of each side and their ratio (with / without). Alternating spreads the load of a shared
# machine over both sides, which two long passes one after the other do not.
#
#   BENCH        JMH benchmark regex (default: dev.tangle.bench.JdkCollections)
#   ROUNDS       rounds of (without, with) per benchmark (default 3)
#   JDKS         space-separated JAVA_HOMEs (default: the java on PATH)
#   AGENT_OPTS   more agent options after out=..., e.g. ,jdkMonitors=none
#   WI W I R     JMH -wi -w -i -r (default 2 1s 3 1s), one fork each
#   BUILD        build the agent and benchmarks first (default 1)
#   AGENT_JAR    the agent jar (default agent/target/tangle-agent.jar)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${BENCH:-dev.tangle.bench.JdkCollections}
ROUNDS=${ROUNDS:-3}
JDKS=${JDKS:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
RESULTS=${RESULTS:-$ROOT/benchmarks/target/results/alternating-$(date +%Y%m%d-%H%M%S)}
AGENT_JAR=${AGENT_JAR:-$ROOT/agent/target/tangle-agent.jar}
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
mkdir -p "$RESULTS"
if [[ ${BUILD:-1} != 0 ]]; then
    mvn -q -B -DskipTests package -pl agent,benchmarks -am
fi
JMH=(-f 1 -wi "${WI:-2}" -w "${W:-1s}" -i "${I:-3}" -r "${R:-1s}" -foe true)
for home in $JDKS; do
    java_bin=$home/bin/java
    major=$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    for b in $("$java_bin" -jar "$BENCH_JAR" -l "$BENCH" | grep '^dev\.'); do
        short=${b#dev.tangle.bench.}
        for round in $(seq "$ROUNDS"); do
            for side in plain agent; do
                out=$RESULTS/jdk$major-$short-$round-$side.json
                extra=()
                if [[ $side == agent ]]; then
                    extra=(-jvmArgsAppend "-javaagent:$AGENT_JAR=out=$RESULTS/jdk$major-$short.trace${AGENT_OPTS:-}")
                fi
                "$java_bin" -jar "$BENCH_JAR" "^${b//./\\.}\$" "${JMH[@]}" "${extra[@]}" -rf json -rff "$out" \
                    > "${out%.json}.log" 2>&1 || { echo "JMH failed, see ${out%.json}.log" >&2; exit 1; }
                rm -f "$RESULTS/jdk$major-$short.trace"
            done
        done
    done
done
python3 - "$RESULTS" <<'PY' | tee "$RESULTS/table.txt"
import glob, json, os, re, statistics, sys
scores = {}
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    m = re.match(r"(jdk\d+)-(.+)-(\d+)-(plain|agent)\.json", os.path.basename(f))
    for r in json.load(open(f)):
        scores.setdefault((m.group(2), m.group(1)), {}).setdefault(m.group(4), []).append(r["primaryMetric"]["score"])
print("%-32s %-6s %22s %22s %8s %7s" % ("benchmark", "JDK", "without (median, range)", "with (median, range)",
                                       "added", "ratio"))
for (name, jdk), s in sorted(scores.items()):
    a, b = s.get("plain", []), s.get("agent", [])
    if not a or not b:
        continue
    ma, mb = statistics.median(a), statistics.median(b)
    print("%-32s %-6s %9.1f (%5.1f-%5.1f) %9.1f (%5.1f-%5.1f) %8.1f %6.2fx" % (name, jdk, ma, min(a), max(a), mb,
          min(b), max(b), mb - ma, mb / ma))
PY
