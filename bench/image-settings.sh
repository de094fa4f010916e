# The image's settings as the Dockerfile and the chart's values write them, for the bench
# scripts to run the JVM the way the image does. Sourced; needs ROOT (the repository).

# The argument file the Dockerfile writes (COPY <<'FLAGS' .../jvm.options ... FLAGS).
jvm_options() {
    sed -n "/^COPY <<'FLAGS' /,/^FLAGS\$/p" "$ROOT/Dockerfile" | sed '1d;$d'
}
# The Dockerfile's jlink options: its ARG JLINK_OPTIONS.
jlink_options() {
    sed -n 's/^ARG JLINK_OPTIONS="\(.*\)"$/\1/p' "$ROOT/Dockerfile"
}
# The Dockerfile's ARG EXTRA_MODULES: modules jdeps cannot see, which the image adds.
extra_modules() {
    sed -n 's/^ARG EXTRA_MODULES="\(.*\)"$/\1/p' "$ROOT/Dockerfile"
}
# The image's ENV settings for glibc (MALLOC_*), as NAME=VALUE.
image_env() {
    sed -n 's/^ENV \(MALLOC_[A-Z_]*=[^ ]*\)$/\1/p' "$ROOT/Dockerfile"
}
# The chart's default memory limit (resources.limits.memory, in Mi) as a -XX:MaxRAM value.
chart_limit() {
    awk '/^  limits:/ {limits = 1} limits && /^    memory:/ {sub(/Mi$/, "m", $2); print $2; exit}' \
        "$ROOT/chart/hubble-tls-agent/values.yaml"
}
