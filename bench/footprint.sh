#!/usr/bin/env bash
#
# Footprint and speed of `run` against an embedded Hubble node, with the baselines measured
# in the same run (issue 8; method and results in docs/benchmarks.md).
#
#   bench/footprint.sh [--quick] [--minutes N] [--rounds R] [--starts S] [--configs "a b"]
#                      [--no-kubernetes] [--skip-build]
#
# Builds the jar once and the configurations' runtimes (below), starts one embedded node
# (`demo --serve`, in its own JVM) and a stand-in Kubernetes API server (bench/
# stub-apiserver.py), then measures `run` against them in two phases:
#
# Start-up, one JVM at a time: S starts of each configuration, interleaved (a, b, c, a, ...),
#   each stopped once its first pass is done. Figures: wall time from exec to the
#   "first pass finished" log line (its timestamp) and to the first 200 of /readyz (polled
#   every 20 ms once the pass is logged), and the agent's own count in that line (from the
#   start of `run`, after the JVM and its arguments).
# Steady state, all configurations side by side: R rounds; in each, every configuration
#   runs `run` with a pass every 10 s for N minutes (starts staggered by 15 s). Figures at
#   the end: RSS (anonymous and file-backed), peak RSS (VmHWM), threads, heap, metaspace
#   and classes (jcmd GC.heap_info and VM.metaspace, taken after the RSS sample); CPU per
#   pass: utime+stime of the process over the second half of the run over the passes
#   finished in between (the agent's own counter), idle time included.
# Then the baselines: `openssl speed` for the primitives of one pass's handshakes, and the
# same handshakes made by `openssl s_client` processes, one per probe, as the manual
# procedure does (medians of three). The tables show medians.
#
# --quick: 2 minutes, 1 round, 2 starts. Default: 10 minutes, 2 rounds, 5 starts.
# --no-kubernetes: `run` without the Kubernetes features (no stand-in API server; fabric8
#   stays unloaded). By default they are on, as in the chart's DaemonSet.
# Results: agent/target/bench/footprint/ (startup.csv, steady.csv, rss-*.csv, summary.md,
# logs).
#
# Configurations:
#   default    `java -jar` on the full JDK, no flags: what a naive image would run.
#   image-0.1  the runtime and flags of the image before this benchmark (jlink without a
#              CDS archive; SerialGC, C1 only, MaxRAMPercentage=40 of the old 256 MiB limit).
#   image      the Dockerfile as it is: its modules and jlink options, its CDS archive, its
#              jvm.options and MALLOC_ settings, under the chart's memory limit (-XX:MaxRAM
#              stands in for the container's cgroup limit, which the JVM would read there).
#   aot        image plus the JDK's ahead-of-time cache recorded by bench/aot-training.sh:
#              the start-up it buys against the memory it costs.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=$ROOT/agent/target/bench/footprint
JAR=$ROOT/agent/target/hubble-tls-agent.jar

MINUTES=10 ROUNDS=2 STARTS=5 BUILD=1 KUBERNETES=1
CONFIGS="default image-0.1 image aot"
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) MINUTES=2 ROUNDS=1 STARTS=2 ;;
        --minutes) MINUTES=$2; shift ;;
        --rounds) ROUNDS=$2; shift ;;
        --starts) STARTS=$2; shift ;;
        --configs) CONFIGS=$2; shift ;;
        --no-kubernetes) KUBERNETES=0 ;;
        --skip-build) BUILD=0 ;;
        *) sed -n '2,/^set -euo/p' "$0" | sed -e 's/^# \{0,1\}//' -e '$d'; exit 2 ;;
    esac
    shift
done

for config in $CONFIGS; do
    case $config in
        default | image-0.1 | image | aot) ;;
        *) echo "unknown configuration $config: the configurations are default, image-0.1, image and aot" >&2
           exit 2 ;;
    esac
done

# The flags of the image before issue 8, kept here as the baseline.
IMAGE_01_FLAGS=(-XX:+UseSerialGC -XX:MaxRAMPercentage=40 -XX:TieredStopAtLevel=1 -Xss256k
    -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:+ExitOnOutOfMemoryError
    -XX:-UsePerfData -XX:MaxRAM=256m)

mkdir -p "$OUT"
rm -f "$OUT"/run-*.log "$OUT"/rss-*.csv
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- Build once, and the configurations' runtimes. --------------------------------------
if [[ $BUILD == 1 ]]; then
    log "building the jar"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl agent -am)
fi

# shellcheck source=bench/image-settings.sh
source "$ROOT/bench/image-settings.sh"

if [[ ! -s $OUT/modules || $OUT/modules -ot $JAR ]]; then
    log "jdeps: modules of the jar"
    "$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 21 "$JAR" \
        >"$OUT/modules"
fi
EXTRA_MODULES=$(extra_modules)
MODULES=$(cat "$OUT/modules")
log "modules: $MODULES; the image adds ${EXTRA_MODULES:-none}"

# The image keeps jar and argument file in /opt/hubble-tls-agent; here they sit in $OUT/opt.
mkdir -p "$OUT/opt"
cp -p "$JAR" "$OUT/opt/hubble-tls-agent.jar"
jvm_options >"$OUT/opt/jvm.options"
LIMIT=$(chart_limit)
mapfile -t IMAGE_ENV < <(image_env)
log "image: limit $LIMIT; env ${IMAGE_ENV[*]:-(none)}; jvm.options: $(grep -v '^#' "$OUT/opt/jvm.options" | tr '\n' ' ')"

runtime_for() {  # $1: directory; $2: modules; $3...: jlink options
    local dir=$1 modules=$2; shift 2
    if [[ -x $dir/bin/java && $dir/.jar-stamp -nt $JAR && $dir/.jar-stamp -nt $ROOT/Dockerfile ]]; then
        return 1
    fi
    rm -rf "$dir"
    "$JAVA_HOME/bin/jlink" --add-modules "$modules" "$@" --output "$dir"
    touch "$dir/.jar-stamp"
}
runtime_for "$OUT/runtime-0.1" "$MODULES" --strip-debug --no-header-files --no-man-pages --compress zip-6 || true
# shellcheck disable=SC2046
if runtime_for "$OUT/runtime" "$MODULES${EXTRA_MODULES:+,$EXTRA_MODULES}" $(jlink_options); then
    # As the Dockerfile does: the JDK's CDS archive for the image's flags.
    "$OUT/runtime/bin/java" @"$OUT/opt/jvm.options" -Xshare:dump >"$OUT/cds-dump.log" 2>&1
fi
AOT_CACHE=$OUT/opt/run.aot
if [[ " $CONFIGS " == *" aot "* && ( ! -s $AOT_CACHE || $AOT_CACHE -ot $OUT/runtime/.jar-stamp ) ]]; then
    log "recording the AOT cache (bench/aot-training.sh)"
    rm -f "$AOT_CACHE"
    "$ROOT/bench/aot-training.sh" "$OUT/runtime/bin/java" "$OUT/opt/hubble-tls-agent.jar" \
        "$AOT_CACHE" @"$OUT/opt/jvm.options" -XX:MaxRAM="$LIMIT"
fi

config_command() {  # the command line of a configuration, up to and including the jar
    local image=(env "${IMAGE_ENV[@]}" "$OUT/runtime/bin/java" @"$OUT/opt/jvm.options" -XX:MaxRAM="$LIMIT")
    case $1 in
        default) echo "$JAVA_HOME/bin/java" -jar "$JAR" ;;
        image-0.1) echo "$OUT/runtime-0.1/bin/java" "${IMAGE_01_FLAGS[@]}" -jar "$JAR" ;;
        image) echo "${image[@]}" -jar "$OUT/opt/hubble-tls-agent.jar" ;;
        aot) echo "${image[@]}" -XX:AOTCache="$AOT_CACHE" -jar "$OUT/opt/hubble-tls-agent.jar" ;;
        *) echo "unknown configuration $1" >&2; exit 2 ;;
    esac
}

# ---- The embedded node and the stand-in API server. -------------------------------------
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
NODE=$(grep -o -- '--node-name [^ ]*' "$OUT/demo.log" | head -1 | cut -d' ' -f2)

RUN_ENV=() RUN_ARGS=()
if [[ $KUBERNETES == 1 ]]; then
    log "starting the stand-in Kubernetes API server"
    coproc APISERVER { exec python3 "$ROOT/bench/stub-apiserver.py" "$NODE" "${SERVER##*:}" 2>"$OUT/apiserver.log"; }
    PIDS+=("$APISERVER_PID")
    read -r api_port <&"${APISERVER[0]}"
    # The agent finds a cluster through $KUBECONFIG, as it would on a workstation.
    cat >"$OUT/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: stub, cluster: {server: "http://127.0.0.1:$api_port"}}]
users: [{name: stub, user: {token: bench}}]
contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: kube-system}}]
current-context: stub
KUBECONFIG
    RUN_ENV=(KUBECONFIG="$OUT/kubeconfig")
    RUN_ARGS=(--kubernetes)
fi

free_port() {
    local port
    for ((i = 0; i < 50; i++)); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    return 1
}
start_run() {  # $1 configuration, $2 HTTP port, $3 log, $4 interval (10s); sets STARTED_PID
    local command
    read -r -a command <<<"$(config_command "$1")"
    env "${RUN_ENV[@]}" "${command[@]}" run "${TARGET[@]}" "${RUN_ARGS[@]}" --interval "${4:-10s}" \
        --http-host 127.0.0.1 --http-port "$2" >"$3" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

# The embedded node stands in for Cilium's server, compiled Go that is never cold; a fresh
# JVM answers its first handshakes slowly while it compiles. A minute of passes every
# second warms it up before anything is measured.
log "warming up the embedded node: 60 s of passes every second, not measured"
start_run image "$(free_port)" "$OUT/warm-up.log" 1s
sleep 60
kill -TERM "$STARTED_PID" 2>/dev/null || true
wait "$STARTED_PID" 2>/dev/null || true

# ---- Phase 1: start-up, one JVM at a time. ------------------------------------------------
STARTUP_CSV=$OUT/startup.csv
echo "config,start,loadavg,ready_ms,first_pass_wall_ms,first_pass_agent_ms" >"$STARTUP_CSV"

# The time of the agent's "first pass finished" line, from the timestamp it starts with.
logged_ms() {
    local stamp
    stamp=$(grep -m1 'first pass finished' "$1" | cut -d' ' -f1 || true)
    if [[ -n $stamp ]]; then
        echo $(($(date -d "$stamp" +%s%N) / 1000000))
    fi
}

# Until the first pass the script stays off the CPU: it looks at the log every 100 ms (the
# time comes from the log line's timestamp, not from when it was seen) and only then polls
# /readyz, which cannot answer 200 before the first pass. Polling with curl every 20 ms
# from the start took about 10 % of the two cores and made every start some 150 ms slower.
start_once() {  # $1 configuration, $2 start number
    local config=$1 n=$2 port start ready_ms="" pass_ms="" pass_at agent_ms logfile pid
    port=$(free_port)
    logfile="$OUT/run-start-$config-$n.log"
    local load=$(loadavg)
    start=$(now_ms)
    start_run "$config" "$port" "$logfile"
    pid=$STARTED_PID
    for ((i = 0; i < 600 && ${#pass_ms} == 0; i++)); do
        sleep 0.1
        pass_at=$(logged_ms "$logfile")
        [[ -n $pass_at ]] && pass_ms=$((pass_at - start))
        kill -0 "$pid" 2>/dev/null || break
    done
    for ((i = 0; i < 1500 && ${#pass_ms} > 0 && ${#ready_ms} == 0; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz") == 200 ]]; then
            ready_ms=$(($(now_ms) - start))
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    agent_ms=$(grep -o 'first pass finished [0-9]* ms' "$logfile" | awk '{print $4}' || true)
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$config,$n,${load// //},$ready_ms,$pass_ms,$agent_ms" >>"$STARTUP_CSV"
    log "start $config #$n: ready ${ready_ms:-?} ms, first pass ${pass_ms:-?} ms (agent: ${agent_ms:-?} ms)"
}

for ((n = 1; n <= STARTS; n++)); do
    for config in $CONFIGS; do start_once "$config" "$n"; done
done

# ---- Phase 2: steady state, side by side. ---------------------------------------------------
STEADY_CSV=$OUT/steady.csv
echo "config,round,rss_kib,rss_anon_kib,rss_file_kib,hwm_kib,threads,heap_used_kib,heap_committed_kib,meta_used_kib,meta_committed_kib,classes,cpu_ms,passes,cpu_ms_per_pass" >"$STEADY_CSV"
TICK_MS=$((1000 / $(getconf CLK_TCK)))

sum_kib() {  # $2 of jcmd GC.heap_info, summed over the heap's generations; $1 "used" or
    # "committed" (Serial says "total" for the latter, G1 "committed" and "total reserved")
    awk -v key="$1" '/^ *(DefNew|Tenured|def new generation|tenured generation|garbage-first heap)/ {
        for (i = 1; i <= NF; i++) if ($i == key || (key == "committed" && $i == "total")) s += $(i + 1) + 0 }
        END {print s + 0}' <<<"$2"
}
metaspace() {  # from jcmd VM.metaspace $2: $1 "used," or "committed," (KiB), or "classes"
    awk -v key="$1" '/^Total Usage/ {total = 1; if (key == "classes") {print $6; exit}}
        total && $1 == "Both:" {for (i = 1; i <= NF; i++) if ($i == key) {
            j = i - 1; while (j > 1 && $j !~ /^(bytes|KB|MB|GB)$/) j--
            f = $j == "KB" ? 1 : $j == "MB" ? 1024 : $j == "GB" ? 1048576 : 1 / 1024
            printf "%.0f\n", $(j - 1) * f; exit } }' <<<"$2"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }
passes() {  # passes finished so far: one client-cert-required handshake per pass
    curl -s "http://127.0.0.1:$1/metrics" \
        | awk '/^hubble_tls_handshake_duration_seconds_count\{.*probe="client-cert-required"/ {print $NF}'
}

steady() {  # $1 configuration, $2 round
    local config=$1 round=$2 port pid rsslog
    port=$(free_port)
    rsslog="$OUT/rss-$config-$round.csv"
    start_run "$config" "$port" "$OUT/run-steady-$config-$round.log"
    pid=$STARTED_PID
    # This runs in a subshell of its own: stop the JVM with it.
    trap 'kill "$pid" 2>/dev/null || true' EXIT
    echo "seconds,rss_kib" >"$rsslog"
    local elapsed=0 cpu0="" passes0="" total=$((MINUTES * 60)) half=$((MINUTES * 30))
    while ((elapsed < total)); do
        sleep 10
        elapsed=$((elapsed + 10))
        echo "$elapsed,$(status_kb "$pid" VmRSS)" >>"$rsslog"
        if ((elapsed == half)); then
            cpu0=$(cpu_ticks "$pid")
            passes0=$(passes "$port")
        fi
    done
    local cpu1 passes1 rss anon file hwm threads heap meta
    cpu1=$(cpu_ticks "$pid")
    passes1=$(passes "$port")
    rss=$(status_kb "$pid" VmRSS) anon=$(status_kb "$pid" RssAnon) file=$(status_kb "$pid" RssFile)
    hwm=$(status_kb "$pid" VmHWM) threads=$(status_kb "$pid" Threads)
    # After the RSS sample: attaching starts a thread in the JVM.
    heap=$("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info 2>/dev/null || true)
    meta=$("$JAVA_HOME/bin/jcmd" "$pid" VM.metaspace 2>/dev/null || true)
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    local cpu_ms=$(((cpu1 - cpu0) * TICK_MS)) npasses=$((passes1 - passes0)) per_pass
    per_pass=$(awk -v c="$cpu_ms" -v n="$npasses" 'BEGIN {printf "%.1f", (n > 0 ? c / n : 0)}')
    echo "$config,$round,$rss,$anon,$file,$hwm,$threads,$(sum_kib used "$heap"),$(sum_kib committed "$heap"),$(metaspace used, "$meta"),$(metaspace committed, "$meta"),$(metaspace classes "$meta"),$cpu_ms,$npasses,$per_pass" >>"$STEADY_CSV"
    log "steady $config #$round: RSS ${rss} KiB (peak ${hwm}), ${threads} threads, ${per_pass} ms CPU/pass over ${npasses} passes"
}

for ((r = 1; r <= ROUNDS; r++)); do
    log "round $r of $ROUNDS: $MINUTES min, load $(loadavg)"
    round_pids=()
    for config in $CONFIGS; do
        steady "$config" "$r" &
        round_pids+=($!)
        PIDS+=($!)
        sleep 15
    done
    wait "${round_pids[@]}"
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
col() {  # median of column $3 of CSV $1 for configuration $2
    awk -F, -v c="$2" -v k="$3" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == k) n = i; next}
        $1 == c && $n != "" {print $n}' "$1" | median
}
mib() { awk -v k="$1" 'BEGIN {if (k == "-") print "-"; else printf "%.1f", k / 1024}'; }
row() {  # $1 label, $2 CSV, $3 column, $4 "mib" to convert KiB
    local label=$1 csv=$2 key=$3 unit=${4:-} v
    printf '| %s |' "$label"
    for c in $CONFIGS; do
        v=$(col "$csv" "$c" "$key")
        [[ $unit == mib ]] && v=$(mib "$v")
        printf ' %s |' "$v"
    done
    echo
}
{
    echo "# Footprint ($(date -u +%Y-%m-%d); medians)"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
    echo "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, Linux $(uname -r), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)."
    echo "image and aot under -XX:MaxRAM=$LIMIT (the chart's memory limit)."
    echo "Kubernetes features: $([[ $KUBERNETES == 1 ]] && echo "on, against bench/stub-apiserver.py" || echo off)."
    echo
    echo "Start-up, $STARTS starts per configuration, one JVM at a time (load averages at the starts:"
    echo "$(awk -F, 'NR > 1 {print $3}' "$STARTUP_CSV" | tr '\n' ' '))."
    echo
    echo "| figure | $(echo $CONFIGS | sed 's/ / | /g') |"
    echo "| --- |$(for c in $CONFIGS; do printf ' --- |'; done)"
    row "exec to /readyz 200 (ms)" "$STARTUP_CSV" ready_ms
    row "exec to first pass finished (ms)" "$STARTUP_CSV" first_pass_wall_ms
    row "first pass, agent's log (ms)" "$STARTUP_CSV" first_pass_agent_ms
    echo
    echo "Steady state, $ROUNDS rounds of $MINUTES min with a pass every 10 s, configurations side by side:"
    echo
    echo "| figure | $(echo $CONFIGS | sed 's/ / | /g') |"
    echo "| --- |$(for c in $CONFIGS; do printf ' --- |'; done)"
    row "RSS after $MINUTES min (MiB)" "$STEADY_CSV" rss_kib mib
    row "  anonymous (MiB)" "$STEADY_CSV" rss_anon_kib mib
    row "  file-backed (MiB)" "$STEADY_CSV" rss_file_kib mib
    row "peak RSS, VmHWM (MiB)" "$STEADY_CSV" hwm_kib mib
    row "threads" "$STEADY_CSV" threads
    row "heap used (MiB)" "$STEADY_CSV" heap_used_kib mib
    row "heap committed (MiB)" "$STEADY_CSV" heap_committed_kib mib
    row "metaspace used (MiB)" "$STEADY_CSV" meta_used_kib mib
    row "metaspace committed (MiB)" "$STEADY_CSV" meta_committed_kib mib
    row "classes loaded" "$STEADY_CSV" classes
    row "CPU per pass (ms)" "$STEADY_CSV" cpu_ms_per_pass
    row "passes in the CPU window" "$STEADY_CSV" passes
    echo
    echo "OpenSSL $(openssl version | cut -d' ' -f2) on the same machine, medians of 3:"
    echo "RSA-2048 sign ${rsa_sign_us} µs, verify ${rsa_verify_us} µs; ECDSA P-256 sign ${ecdsa_sign_us} µs;"
    echo "X25519 ${x25519_us} µs. Crypto floor of one pass (2 RSA sign + 8 RSA verify + 1 ECDSA sign"
    echo "+ 8 X25519): **${floor_ms} ms**; 3x floor: $(awk -v f="$floor_ms" 'BEGIN {printf "%.2f", 3 * f}') ms."
    echo "The same 4 handshakes as 4 \`openssl s_client\` processes: **${s_client_ms} ms** CPU per pass."
} >"$OUT/summary.md"
cat "$OUT/summary.md"
