#!/usr/bin/env bash
#
# Records the JDK's ahead-of-time cache (JEP 483/514/515) for `run`: the classes it loads
# and links, and the method profiles of its first passes. bench/footprint.sh runs it for
# its `aot` configuration, which weighs the start-up the cache buys against the memory it
# costs; the image does without it (docs/benchmarks.md, Footprint).
#
#   bench/aot-training.sh JAVA JAR CACHE [JVM flags...]
#
# JAVA is the java launcher of the runtime that will use the cache (the same build), JAR
# the shaded agent jar at the path it will have, CACHE the file to write. The JVM flags
# must be the ones `run` is started with later: a cache recorded under other flags (another
# GC, other object headers) is refused at start-up with a warning, and the JVM then runs
# without it.
#
# The training run: an embedded healthy Hubble node (`demo --serve`, in its own JVM),
# `run` against it with a pass every 2 s, each endpoint requested once, three passes,
# then SIGTERM; the JVM writes the cache as it exits. No Kubernetes, no OTLP export.
# Uses only bash and the JDK (no curl): the builder image need not have more.
set -euo pipefail

if [[ $# -lt 3 ]]; then
    echo "usage: $0 JAVA JAR CACHE [JVM flags...]" >&2
    exit 2
fi
java=$1 jar=$2 cache=$3
shift 3

work=$(mktemp -d)
demo_pid="" run_pid=""
cleanup() {
    [[ -n $run_pid ]] && kill "$run_pid" 2>/dev/null || true
    [[ -n $demo_pid ]] && kill "$demo_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Waits up to $2 tenths of a second for the extended regex $1 in file $3, written by
# process $4; gives up at once when that process has ended.
await() {
    local pattern=$1 tenths=$2 file=$3 pid=$4
    for ((i = 0; i < tenths; i++)); do
        grep -Eq -- "$pattern" "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "aot-training: gave up waiting for '$pattern' in $file:" >&2
    cat "$file" >&2
    return 1
}

# One GET over bash's /dev/tcp; the answer is read until the server closes or pauses for
# a second (the server may keep the connection open), and dropped.
get() {
    local port=$1 path=$2 line
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
    while IFS= read -r -t 1 line <&3; do :; done
    exec 3<&-
}

"$java" -jar "$jar" demo --serve >"$work/demo.log" 2>&1 &
demo_pid=$!
await ' run --socket ' 1200 "$work/demo.log" "$demo_pid"
# The printed line ends with "run --socket S --node-name N --tls-dir D --interval 10s".
read -r -a target <<<"$(grep ' run --socket ' "$work/demo.log" | sed -e 's/.* run //' \
    -e 's/ --interval [^ ]*//')"

# A port that nothing listens on: where a connection is refused.
port=""
for ((i = 0; i < 50; i++)); do
    candidate=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
    fi
done
[[ -n $port ]] || { echo "aot-training: no free port found" >&2; exit 1; }

"$java" "$@" -XX:AOTCacheOutput="$cache" -jar "$jar" run "${target[@]}" \
    --interval 2s --http-host 127.0.0.1 --http-port "$port" >"$work/run.log" 2>&1 &
run_pid=$!
await 'first pass finished' 1200 "$work/run.log" "$run_pid"
for path in /livez /readyz /status / /metrics; do
    get "$port" "$path"
done
sleep 5
get "$port" /metrics
kill -TERM "$run_pid"
wait "$run_pid" || true
run_pid=""
if [[ ! -s $cache ]]; then
    echo "aot-training: no cache written to $cache; the run's log:" >&2
    cat "$work/run.log" >&2
    exit 1
fi
echo "aot-training: wrote $cache ($(($(stat -c %s "$cache") / 1024 / 1024)) MiB)"
