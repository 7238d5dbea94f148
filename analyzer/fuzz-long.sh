#!/usr/bin/env bash
# The long pass of the structure-aware trace fuzzer (dev.tangle.fuzz.FuzzPass, test sources of this module):
# INPUTS mutants of the seed traces (default 10 000 000), each read, modelled, analysed and reported, with the heap
# capped at 256 MiB (for all THREADS, default 1, together). Prints its figures every 5 %; the first input that ends in anything but a result or
# TraceFormatException (or runs over 10 s) is saved in analyzer/target/fuzz-crashes/ and stops the pass (exit 1,
# or 3 for a hang). Not run by CI (CI runs the one-minute pass of the 'fuzz' surefire execution).
#
#   analyzer/fuzz-long.sh [INPUTS] [SEED] [THREADS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
inputs=${1:-10000000}
seed=${2:-$(date +%s)}
threads=${3:-1}
classpath_file="$root/analyzer/target/fuzz.classpath"
# every module of the build writes the file; the analyzer, built last, leaves its test class path in it
mvn -q -B -f "$root/pom.xml" -pl analyzer -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
cd "$root/analyzer"
exec java -Xmx256m -Dtangle.fuzz.crashDir=target/fuzz-crashes -Dtangle.fuzz.threads="$threads" \
    -cp "target/classes:target/test-classes:$(cat "$classpath_file")" dev.tangle.fuzz.FuzzPass "$inputs" "$seed"
