#!/usr/bin/env bash
# Measures the Tangle agent's overhead with JMH: every benchmark without the agent and with it, on each JDK
# available, then prints ns/op side by side and checks the traces the agent wrote. See benchmarks/README.md.
#
# Environment (all optional):
#   JDKS         space-separated JAVA_HOMEs (default: the `java` on PATH, plus Temurin 25 if installed)
#   BENCH        JMH benchmark regex (default: dev.tangle.bench.(Uncontended|Contended))
#   FORKS WI W I R   JMH -f -wi -w -i -r (default: 1 3 1s 5 1s)
#   JMH_ARGS     more JMH options for both passes (e.g. "-prof gc")
#   AGENT_OPTS   more agent options, appended after out=... (e.g. ",stacks=none" or ",buffer=65536")
#   RESULTS      where JSON results and the table go (default: benchmarks/target/results/<date-time>)
#   TRACES       where traces go (default: a fresh temporary directory)
#   KEEP_TRACES=1  keep the traces (0.4 to 2 GB per lock benchmark at the defaults)
#   CHECK=0      skip reading the traces back;  BUILD=0  skip the Maven build
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

FORKS=${FORKS:-1}; WI=${WI:-3}; W=${W:-1s}; I=${I:-5}; R=${R:-1s}
BENCH=${BENCH:-dev.tangle.bench.(Uncontended|Contended)}
JMH_ARGS=${JMH_ARGS:-}
AGENT_OPTS=${AGENT_OPTS:-}
RESULTS=${RESULTS:-$ROOT/benchmarks/target/results/$(date +%Y%m%d-%H%M%S)}
KEEP_TRACES=${KEEP_TRACES:-0}
CHECK=${CHECK:-1}
AGENT_JAR=$ROOT/agent/target/tangle-agent.jar
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar

if [[ -z "${JDKS:-}" ]]; then
    JDKS=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    for h in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk; do
        if [[ -x $h/bin/java ]]; then JDKS="$JDKS $h"; break; fi
    done
fi
if [[ -z "${TRACES:-}" ]]; then
    TRACES=$(mktemp -d "${TMPDIR:-/tmp}/tangle-bench.XXXXXX")
fi
case "$ROOT$TRACES$AGENT_OPTS" in
    *" "*) echo "run.sh: paths and AGENT_OPTS must not contain spaces (JMH splits -jvmArgsAppend at spaces)" >&2
           exit 2;;
esac
mkdir -p "$RESULTS" "$TRACES"

if [[ ${BUILD:-1} != 0 ]]; then
    echo "== building agent and benchmarks"
    mvn -q -B -DskipTests package -pl agent,benchmarks -am
fi

JMH_COMMON=(-f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" -foe true)
# shellcheck disable=SC2206
JMH_EXTRA=($JMH_ARGS)

for home in $JDKS; do
    java_bin=$home/bin/java
    major=$("$java_bin" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java.specification.version = //p')
    tag=jdk$major
    echo "== $tag ($home)"
    benches=$("$java_bin" -jar "$BENCH_JAR" -l "$BENCH" | grep '^dev\.')

    echo "-- $tag without the agent"
    "$java_bin" -jar "$BENCH_JAR" "$BENCH" "${JMH_COMMON[@]}" "${JMH_EXTRA[@]}" \
        -rf json -rff "$RESULTS/$tag-plain.json" > "$RESULTS/$tag-plain.log" 2>&1 \
        || { echo "JMH failed, see $RESULTS/$tag-plain.log" >&2; exit 1; }
    grep -E '^(Benchmark +Mode|[A-Z][A-Za-z]*\.)' "$RESULTS/$tag-plain.log" || true

    # The agent writes exactly the out= path (no per-fork pattern) and JMH runs forks one after another, so in
    # one invocation each fork would truncate the previous fork's trace. One invocation per benchmark gives each
    # benchmark its own trace; with FORKS > 1 its forks still overwrite each other (never concurrently), leaving
    # the last fork's trace.
    echo "-- $tag with the agent"
    for b in $benches; do
        short=${b#dev.tangle.bench.}
        trace=$TRACES/$tag-$short.trace
        rm -f "$trace"
        "$java_bin" -jar "$BENCH_JAR" "^${b//./\\.}\$" "${JMH_COMMON[@]}" "${JMH_EXTRA[@]}" \
            -jvmArgsAppend "-javaagent:$AGENT_JAR=out=$trace$AGENT_OPTS" \
            -rf json -rff "$RESULTS/$tag-agent-$short.json" > "$RESULTS/$tag-agent-$short.log" 2>&1 \
            || { echo "JMH failed, see $RESULTS/$tag-agent-$short.log" >&2; exit 1; }
        grep -E '^[A-Z][A-Za-z]*\.' "$RESULTS/$tag-agent-$short.log" || true
        grep '^tangle:' "$RESULTS/$tag-agent-$short.log" | sort -u || true
    done
    jq -s 'add' "$RESULTS/$tag"-agent-*.json > "$RESULTS/$tag-agent.json"
done

echo
echo "== overhead (ns/op; uncontended: one acquire+release per op; contended: 2 threads, per-thread ns/op)"
python3 - "$RESULTS" $JDKS <<'PY' | tee "$RESULTS/table.txt"
import glob, json, os, sys
results = sys.argv[1]
rows = {}
for f in sorted(glob.glob(os.path.join(results, "jdk*-plain.json")) + glob.glob(os.path.join(results, "jdk*-agent.json"))):
    tag = os.path.basename(f).split("-")[0]
    mode = "with" if "-agent" in f else "without"
    for r in json.load(open(f)):
        name = r["benchmark"].replace("dev.tangle.bench.", "")
        m = r["primaryMetric"]
        err = m["scoreError"]
        err = float(err) if isinstance(err, (int, float)) else float("nan")
        rows.setdefault((name, tag), {})[mode] = (m["score"], err)
def target(name, tag, added, ratio):
    if name.startswith("Contended."):
        return ("<=1.3x", ratio <= 1.3)
    if name == "Uncontended.call" or name.startswith("Channels."):
        return ("-", None)  # no target for queues (issue 3): the ratio is the result
    limit = 25 if tag == "jdk25" else 40
    return ("<=%d ns" % limit, added <= limit)
hdr = "%-26s %-6s %16s %16s %9s %7s  %-9s %s" % ("benchmark", "JDK", "without", "with", "added", "ratio", "target", "")
print(hdr)
print("-" * len(hdr))
for (name, tag) in sorted(rows, key=lambda k: (k[0], int(k[1][3:]))):
    d = rows[(name, tag)]
    if "without" not in d or "with" not in d:
        continue
    (a, ae), (b, be) = d["without"], d["with"]
    added, ratio = b - a, b / a
    t, ok = target(name, tag, added, ratio)
    print("%-26s %-6s %9.1f ± %-5.1f %9.1f ± %-5.1f %9.1f %6.2fx  %-9s %s" % (
        name, tag, a, ae, b, be, added, ratio, t, "" if ok is None else ("ok" if ok else "MISSED")))
PY

if [[ $CHECK != 0 ]]; then
    echo
    echo "== traces (read back with dev.tangle.trace.TraceReader)"
    java -cp "$ROOT/agent/target/classes" "$ROOT/benchmarks/src/check/TraceCheck.java" "$TRACES"/*.trace \
        | tee "$RESULTS/traces.txt" || echo "SOME TRACES ARE INVALID (see above)"
fi
if [[ $KEEP_TRACES != 0 ]]; then
    echo "traces kept in $TRACES"
else
    rm -f "$TRACES"/*.trace
    rmdir "$TRACES" 2>/dev/null || true
fi
echo "results: $RESULTS"
