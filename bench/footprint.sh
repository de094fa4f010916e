#!/usr/bin/env bash
#
# Footprint and speed of `run` against an embedded Hubble node, with the baselines measured
# in the same run (issue 8; method and results in docs/benchmarks.md).
#
#   bench/footprint.sh [--quick] [--minutes N] [--repeats R] [--configs "a b c"] [--skip-build]
#
# Builds the jar once, then for each configuration (below) and each repeat starts `run` in
# its own JVM with a pass every 10 s against one embedded node (`demo --serve`, in another
# JVM) and measures:
#   - start-up: wall time from exec to the first 200 of /readyz (polled every 20 ms), and
#     the agent's own "first pass finished N ms after start-up" log line;
#   - memory after N minutes: RSS (anonymous and file-backed), peak RSS (VmHWM), threads,
#     heap and metaspace used/committed (jcmd GC.heap_info, taken after the RSS sample);
#   - CPU per pass: utime+stime of the process over the second half of the run, divided by
#     the passes finished in between (the agent's own counter), idle time included.
# Runs are interleaved (config a, b, c, a, b, c, ...) so that the load of the shared
# machine falls on every configuration alike; the tables show medians.
# Then the baselines: `openssl speed` for the primitives of one pass's handshakes, and the
# same handshakes made by `openssl s_client` processes, one per probe, as the manual
# procedure does (medians of three).
#
# --quick: 1 minute per run (CPU window from 20 s), 2 repeats. Default: 10 minutes, 3 repeats.
# Results: agent/target/bench/footprint/ (runs.csv, rss-*.csv, summary.md, logs).
#
# Configurations:
#   default    `java -jar` on the full JDK, no flags: what a naive image would run.
#   image-0.1  the runtime and flags of the image before this benchmark (jlink without a
#              CDS archive; SerialGC, C1 only, MaxRAMPercentage=40 of the old 256 MiB limit).
#   image      the runtime and flags of the Dockerfile as it is: jlink as the Dockerfile
#              does it, the AOT cache recorded by bench/aot-training.sh, the ENTRYPOINT's
#              flags read from the Dockerfile, under a 96 MiB limit (-XX:MaxRAM=96m stands
#              in for the container's cgroup limit, which the JVM would read there).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=$ROOT/agent/target/bench/footprint
JAR=$ROOT/agent/target/hubble-tls-agent.jar

MINUTES=10 REPEATS=3 WARMUP="" BUILD=1
CONFIGS="default image-0.1 image"
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) MINUTES=1 REPEATS=2 WARMUP=20 ;;
        --minutes) MINUTES=$2; shift ;;
        --repeats) REPEATS=$2; shift ;;
        --configs) CONFIGS=$2; shift ;;
        --skip-build) BUILD=0 ;;
        *) sed -n '2,/^set -euo/p' "$0" | sed -e 's/^# \{0,1\}//' -e '$d'; exit 2 ;;
    esac
    shift
done
# The CPU window: the second half of each run, when the JIT has mostly settled.
WARMUP=${WARMUP:-$((MINUTES * 30 / 10 * 10))}

# The flags of the image before issue 8, kept here as the baseline.
IMAGE_01_FLAGS=(-XX:+UseSerialGC -XX:MaxRAMPercentage=40 -XX:TieredStopAtLevel=1 -Xss256k
    -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:+ExitOnOutOfMemoryError
    -XX:-UsePerfData -XX:MaxRAM=256m)

mkdir -p "$OUT"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# ---- Build once, and the two image runtimes. --------------------------------------------
if [[ $BUILD == 1 ]]; then
    log "building the jar"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl agent -am)
fi

# The ENTRYPOINT's JVM arguments: every quoted "-..." or "@..." element before "-jar".
image_flags() {
    sed -n '/^ENTRYPOINT \[/,/\]/p' "$ROOT/Dockerfile" | grep -o '"[-@][^"]*"' | tr -d '"' \
        | sed '/^-jar$/,$d'
}
# The argument file the Dockerfile writes (COPY <<'FLAGS' .../jvm.options ... FLAGS).
jvm_options() {
    sed -n "/^COPY <<'FLAGS' /,/^FLAGS\$/p" "$ROOT/Dockerfile" | sed '1d;$d'
}
# The Dockerfile's jlink options: its ARG JLINK_OPTIONS.
jlink_options() {
    sed -n 's/^ARG JLINK_OPTIONS="\(.*\)"$/\1/p' "$ROOT/Dockerfile"
}
# The image's ENV settings for glibc (MALLOC_*), as NAME=VALUE.
image_env() {
    sed -n 's/^ENV \(MALLOC_[A-Z_]*=[^ ]*\)$/\1/p' "$ROOT/Dockerfile"
}

runtime_for() {  # $1: directory; $2...: extra jlink options
    local dir=$1; shift
    if [[ -x $dir/bin/java && $dir/.jar-stamp -nt $JAR ]]; then return; fi
    rm -rf "$dir"
    "$JAVA_HOME/bin/jlink" --add-modules "$MODULES" "$@" --output "$dir"
    touch "$dir/.jar-stamp"
}

if [[ ! -s $OUT/modules || $OUT/modules -ot $JAR ]]; then
    log "jdeps: modules of the jar"
    "$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 21 "$JAR" \
        >"$OUT/modules"
fi
MODULES=$(cat "$OUT/modules")
log "modules: $MODULES"
runtime_for "$OUT/runtime-0.1" --strip-debug --no-header-files --no-man-pages --compress zip-6
# shellcheck disable=SC2046
runtime_for "$OUT/runtime" $(jlink_options)
# The image keeps jar, argument file and cache in /opt/hubble-tls-agent; here they sit in
# $OUT/opt, and the arguments are rewritten to point there.
mkdir -p "$OUT/opt"
cp -p "$JAR" "$OUT/opt/hubble-tls-agent.jar"
jvm_options >"$OUT/opt/jvm.options"
mapfile -t IMAGE_ENV < <(image_env)
IMAGE_FLAGS=() AOT_CACHE=""
while read -r flag; do
    flag=${flag//\/opt\/hubble-tls-agent/$OUT/opt}
    if [[ $flag == -XX:AOTCache=* ]]; then AOT_CACHE=${flag#-XX:AOTCache=}; fi
    IMAGE_FLAGS+=("$flag")
done < <(image_flags)
log "image: env ${IMAGE_ENV[*]:-(none)}; flags ${IMAGE_FLAGS[*]}; $OUT/opt/jvm.options:"
grep -v '^#' "$OUT/opt/jvm.options" | tr '\n' ' ' >&2; echo >&2
if [[ -n $AOT_CACHE ]]; then
    log "recording the AOT cache (bench/aot-training.sh)"
    training_flags=()
    for flag in "${IMAGE_FLAGS[@]}"; do
        [[ $flag == -XX:AOTCache=* ]] || training_flags+=("$flag")
    done
    rm -f "$AOT_CACHE"
    "$ROOT/bench/aot-training.sh" "$OUT/runtime/bin/java" "$OUT/opt/hubble-tls-agent.jar" \
        "$AOT_CACHE" "${training_flags[@]}" -XX:MaxRAM=96m
fi

config_command() {  # the java command line of a configuration, up to and including the jar
    case $1 in
        default) echo "$JAVA_HOME/bin/java" -jar "$JAR" ;;
        image-0.1) echo "$OUT/runtime-0.1/bin/java" "${IMAGE_01_FLAGS[@]}" -jar "$JAR" ;;
        image) echo env "${IMAGE_ENV[@]}" "$OUT/runtime/bin/java" "${IMAGE_FLAGS[@]}" \
            -XX:MaxRAM=96m -jar "$OUT/opt/hubble-tls-agent.jar" ;;
        *) echo "unknown configuration $1" >&2; exit 2 ;;
    esac
}

# ---- The embedded node. -----------------------------------------------------------------
log "starting the embedded node"
"$JAVA_HOME/bin/java" -jar "$JAR" demo --serve >"$OUT/demo.log" 2>&1 &
PIDS+=($!)
for ((i = 0; i < 600; i++)); do
    grep -q ' run --socket ' "$OUT/demo.log" && break
    sleep 0.1
done
read -r -a TARGET <<<"$(grep ' run --socket ' "$OUT/demo.log" | sed -e 's/.* run //' \
    -e 's/ --interval [^ ]*//')"
SERVER=$(grep -o 'check --server [^ ]*' "$OUT/demo.log" | cut -d' ' -f3)
SERVER_NAME=$(grep -o -- '--server-name [^ ]*' "$OUT/demo.log" | head -1 | cut -d' ' -f2)
TLS_DIR=$(grep -o -- '--tls-dir [^ ]*' "$OUT/demo.log" | head -1 | cut -d' ' -f2)

free_port() {
    local port
    for ((i = 0; i < 50; i++)); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    return 1
}
sum_kib() {  # $1 "used" or "total": summed over the heap's generations in GC.heap_info $2
    awk -v key="$1" '/^ *(DefNew|Tenured|def new generation|tenured generation|garbage-first heap)/ {
        for (i = 1; i <= NF; i++) if ($i == key) s += $(i + 1) + 0 } END {print s + 0}' <<<"$2"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }
passes() {  # passes finished so far: one client-cert-required handshake per pass
    curl -s "http://127.0.0.1:$1/metrics" \
        | awk '/^hubble_tls_handshake_duration_seconds_count\{.*probe="client-cert-required"/ {print $NF}'
}

# ---- One measured run. --------------------------------------------------------------------
CSV=$OUT/runs.csv
echo "config,repeat,loadavg,ready_ms,first_pass_ms,rss_kib,rss_anon_kib,rss_file_kib,hwm_kib,threads,heap_used_kib,heap_committed_kib,meta_used_kib,meta_committed_kib,cpu_ms,passes,cpu_ms_per_pass" >"$CSV"
TICK_MS=$((1000 / $(getconf CLK_TCK)))

measure() {  # $1 configuration, $2 repeat
    local config=$1 repeat=$2 port start ready_ms="" pid log rsslog
    port=$(free_port)
    log="$OUT/run-$config-$repeat.log"
    rsslog="$OUT/rss-$config-$repeat.csv"
    read -r -a command <<<"$(config_command "$config")"
    local load=$(loadavg)
    start=$(date +%s%N)
    "${command[@]}" run "${TARGET[@]}" --interval 10s --http-host 127.0.0.1 \
        --http-port "$port" >"$log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for ((i = 0; i < 3000; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz") == 200 ]]; then
            ready_ms=$((($(date +%s%N) - start) / 1000000))
            break
        fi
        sleep 0.02
    done
    local first_pass
    first_pass=$(grep -o 'first pass finished [0-9]* ms' "$log" | awk '{print $4}')
    echo "seconds,rss_kib" >"$rsslog"
    local elapsed=0 cpu0="" passes0="" total=$((MINUTES * 60))
    while ((elapsed < total)); do
        sleep 10
        elapsed=$((elapsed + 10))
        echo "$elapsed,$(status_kb "$pid" VmRSS)" >>"$rsslog"
        if ((elapsed == WARMUP)); then
            cpu0=$(cpu_ticks "$pid")
            passes0=$(passes "$port")
        fi
    done
    local cpu1 passes1 rss anon file hwm threads heap
    cpu1=$(cpu_ticks "$pid")
    passes1=$(passes "$port")
    rss=$(status_kb "$pid" VmRSS) anon=$(status_kb "$pid" RssAnon) file=$(status_kb "$pid" RssFile)
    hwm=$(status_kb "$pid" VmHWM) threads=$(status_kb "$pid" Threads)
    # After the RSS sample: attaching starts a thread in the JVM.
    heap=$("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info 2>/dev/null || true)
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    local heap_used heap_committed meta_used meta_committed
    # Serial prints "DefNew total <c>K, used <u>K" and "Tenured total ...", G1
    # "garbage-first heap total ..."; metaspace "Metaspace used <u>K, committed <c>K".
    heap_used=$(sum_kib 'used' "$heap")
    heap_committed=$(sum_kib 'total' "$heap")
    meta_used=$(awk '/Metaspace/ {for (i = 1; i <= NF; i++) if ($i == "used") print $(i + 1) + 0}' <<<"$heap")
    meta_committed=$(awk '/Metaspace/ {for (i = 1; i <= NF; i++) if ($i == "committed") print $(i + 1) + 0}' <<<"$heap")
    local cpu_ms=$(((cpu1 - cpu0) * TICK_MS)) npasses=$((passes1 - passes0))
    local per_pass
    per_pass=$(awk -v c="$cpu_ms" -v n="$npasses" 'BEGIN {printf "%.1f", n > 0 ? c / n : 0}')
    echo "$config,$repeat,${load// //},$ready_ms,$first_pass,$rss,$anon,$file,$hwm,$threads,$heap_used,$heap_committed,$meta_used,$meta_committed,$cpu_ms,$npasses,$per_pass" >>"$CSV"
    log "$config #$repeat: ready ${ready_ms} ms, first pass ${first_pass} ms, RSS ${rss} KiB (peak ${hwm}), ${threads} threads, ${per_pass} ms CPU/pass over ${npasses} passes"
}

for ((r = 1; r <= REPEATS; r++)); do
    for config in $CONFIGS; do
        measure "$config" "$r"
    done
done

# ---- Baselines: OpenSSL. ------------------------------------------------------------------
# One pass's handshakes (client side): mtls-handshake and hubble-api present the relay's
# RSA-2048 certificate (2 RSA signatures), client-cert-verified a throwaway P-256 one
# (1 ECDSA signature); each of the 4 handshakes verifies the server's RSA-PSS signature and
# the server certificate's signature by the CA (8 RSA verifications) and makes an X25519 key
# share and the shared secret (8 X25519 operations).
log "openssl speed"
SPEED=$OUT/openssl-speed.txt
: >"$SPEED"
for ((r = 1; r <= 3; r++)); do
    openssl speed -seconds 3 -mr rsa2048 ecdsap256 ecdhx25519 2>/dev/null | grep '^+F' >>"$SPEED"
done
rsa_sign_us=$(awk -F: '/^\+F2:/ {print 1e6 / $4}' "$SPEED" | median)
rsa_verify_us=$(awk -F: '/^\+F2:/ {print 1e6 / $5}' "$SPEED" | median)
ecdsa_sign_us=$(awk -F: '/^\+F4:/ {print 1e6 / $4}' "$SPEED" | median)
x25519_us=$(awk -F: '/^\+F5:/ {print 1e6 / $4}' "$SPEED" | median)
floor_ms=$(awk -v s="$rsa_sign_us" -v v="$rsa_verify_us" -v e="$ecdsa_sign_us" -v x="$x25519_us" \
    'BEGIN {printf "%.2f", (2 * s + 8 * v + e + 8 * x) / 1000}')

log "openssl s_client, one process per probe"
FOREIGN=$OUT/foreign
mkdir -p "$FOREIGN"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=bench foreign client" -keyout "$FOREIGN/client.key" -out "$FOREIGN/client.crt" \
    >/dev/null 2>&1
s_client() {
    openssl s_client -connect "$SERVER" -servername "$SERVER_NAME" -tls1_3 -alpn h2 \
        -CAfile "$TLS_DIR/hubble-server-ca.crt" -verify_return_error "$@" </dev/null >/dev/null 2>&1 || true
}
openssl_pass() {  # the four handshakes of a pass, as the manual procedure makes them
    s_client -cert "$TLS_DIR/client.crt" -key "$TLS_DIR/client.key"              # mtls-handshake
    s_client -cert "$TLS_DIR/client.crt" -key "$TLS_DIR/client.key"              # hubble-api
    s_client                                                                      # no certificate
    s_client -cert "$FOREIGN/client.crt" -key "$FOREIGN/client.key"              # foreign CA
}
openssl s_client -connect "$SERVER" -servername "$SERVER_NAME" -tls1_3 -alpn h2 \
    -CAfile "$TLS_DIR/hubble-server-ca.crt" -cert "$TLS_DIR/client.crt" \
    -key "$TLS_DIR/client.key" -verify_return_error -brief </dev/null >"$OUT/s_client-check.txt" 2>&1 || true
grep -q 'Verification: OK' "$OUT/s_client-check.txt" \
    || { echo "s_client did not verify the server:" >&2; cat "$OUT/s_client-check.txt" >&2; exit 1; }
SCLIENT=$OUT/s_client-cpu.txt
: >"$SCLIENT"
S_PASSES=20
for ((r = 1; r <= 3; r++)); do
    # `times` prints the children's user and system time on its second line.
    ( for ((p = 0; p < S_PASSES; p++)); do openssl_pass; done; times ) | tail -1 \
        | awk -v n="$S_PASSES" '{
            split($1, u, /[ms]/); split($2, s, /[ms]/);
            printf "%.2f\n", ((u[1] * 60 + u[2]) + (s[1] * 60 + s[2])) * 1000 / n }' >>"$SCLIENT"
done
s_client_ms=$(median <"$SCLIENT")

# ---- Summary. -------------------------------------------------------------------------------
col() {  # median of column $2 for configuration $1
    awk -F, -v c="$1" -v k="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == k) n = i; next}
        $1 == c && $n != "" {print $n}' "$CSV" | median
}
mib() { awk -v k="$1" 'BEGIN {if (k == "-") print "-"; else printf "%.1f", k / 1024}'; }
{
    echo "# Footprint ($(date -u +%Y-%m-%d), $MINUTES min per run, $REPEATS runs per configuration, medians)"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
    echo "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, Linux $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)."
    echo "Load average at each run's start: $(awk -F, 'NR > 1 {print $3}' "$CSV" | tr '\n' ' ')"
    echo
    echo "| figure | $(echo $CONFIGS | sed 's/ / | /g') |"
    echo "| --- |$(for c in $CONFIGS; do printf ' --- |'; done)"
    row() {
        local label=$1 key=$2 unit=${3:-}
        printf '| %s |' "$label"
        for c in $CONFIGS; do
            local v
            v=$(col "$c" "$key")
            [[ $unit == mib ]] && v=$(mib "$v")
            printf ' %s |' "$v"
        done
        echo
    }
    row "RSS after $MINUTES min (MiB)" rss_kib mib
    row "  anonymous (MiB)" rss_anon_kib mib
    row "  file-backed (MiB)" rss_file_kib mib
    row "peak RSS, VmHWM (MiB)" hwm_kib mib
    row "threads" threads
    row "heap used (MiB)" heap_used_kib mib
    row "heap committed (MiB)" heap_committed_kib mib
    row "metaspace used (MiB)" meta_used_kib mib
    row "metaspace committed (MiB)" meta_committed_kib mib
    row "exec to /readyz 200 (ms)" ready_ms
    row "first pass, agent's log (ms)" first_pass_ms
    row "CPU per pass (ms)" cpu_ms_per_pass
    row "passes in the CPU window" passes
    echo
    echo "OpenSSL $(openssl version | cut -d' ' -f2) on the same machine, medians of 3:"
    echo "RSA-2048 sign ${rsa_sign_us} µs, verify ${rsa_verify_us} µs; ECDSA P-256 sign ${ecdsa_sign_us} µs;"
    echo "X25519 ${x25519_us} µs. Crypto floor of one pass (2 RSA sign + 8 RSA verify + 1 ECDSA sign"
    echo "+ 8 X25519): **${floor_ms} ms**; 3x floor: $(awk -v f="$floor_ms" 'BEGIN {printf "%.2f", 3 * f}') ms."
    echo "The same 4 handshakes as 4 \`openssl s_client\` processes: **${s_client_ms} ms** CPU per pass."
} >"$OUT/summary.md"
cat "$OUT/summary.md"
