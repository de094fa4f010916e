#!/usr/bin/env bash
#
# The JMH benchmarks of the in-process parts (docs/benchmarks.md): a probe dial, a PEM parse
# of the relay's material, a whole pass, and the JDK's cost for the handshakes' primitives.
#
#   bench/jmh.sh [JMH options...]      e.g. bench/jmh.sh PassJmh -f 1 -i 10
#
# Builds the tests with -Pjmh (JMH's annotation processor writes the harness), then runs
# JMH's own runner. Without options: short settings (1 fork, 3 x 2 s warm-up, 5 x 2 s
# measured) and the gc profiler, for allocation per operation. The JVM of each fork gets
# the image's JVM flags (its jvm.options, read from the Dockerfile) under the chart's memory limit;
# JMH_JVM_ARGS replaces them. Results: agent/target/bench/jmh.json and jmh.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=$ROOT/agent/target/bench
mkdir -p "$OUT"

cd "$ROOT"
./mvnw -B -q -Pjmh test-compile -pl agent -am
./mvnw -B -q dependency:build-classpath -pl agent -Dmdep.includeScope=test \
    -Dmdep.outputFile="$OUT/jmh.classpath" >/dev/null

if [[ -z ${JMH_JVM_ARGS+set} ]]; then
    # shellcheck source=bench/image-settings.sh
    source "$ROOT/bench/image-settings.sh"
    JMH_JVM_ARGS="$(jvm_options | grep -v '^#' | tr '\n' ' ')-XX:MaxRAM=$(chart_limit)"
fi
if [[ $# -eq 0 ]]; then
    set -- -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc 'dev.hubbletls.agent.bench.jmh.*'
fi
jvm=()
[[ -n ${JMH_JVM_ARGS// /} ]] && jvm=(-jvmArgs "$JMH_JVM_ARGS")
echo "JVM flags of each fork: ${JMH_JVM_ARGS:-(none)}" | tee "$OUT/jmh.txt"
"$JAVA_HOME/bin/java" -cp "agent/target/test-classes:agent/target/classes:$(cat "$OUT/jmh.classpath")" \
    org.openjdk.jmh.Main "${jvm[@]}" -rf json -rff "$OUT/jmh.json" "$@" | tee -a "$OUT/jmh.txt"
