# syntax=docker/dockerfile:1
#
# hubble-tls-agent: the shaded agent jar on a Java runtime cut down with jlink, on a
# distroless base (glibc and CA certificates; no shell, no package manager).
# .github/workflows/image.yaml builds it for linux/amd64 and linux/arm64:
#
#   docker buildx build --platform linux/amd64,linux/arm64 -t hubble-tls-agent .

ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG BASE_IMAGE=gcr.io/distroless/base-debian12:nonroot

# ---- 1. The jar, built once on the builder's own platform. ------------------------------
# The jar is the same for every platform: it carries Netty's native libraries for both
# x86_64 and aarch_64, so there is no need to run Maven under emulation.
FROM --platform=$BUILDPLATFORM ${JDK_IMAGE} AS jar
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
# Maven reads every module's pom even with -pl; chart-tests is not built.
COPY agent/pom.xml agent/
COPY chart-tests/pom.xml chart-tests/
COPY agent/src agent/src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -DskipTests -pl agent -am

# ---- 2. A runtime with only the modules the agent uses, for the target platform. -------
FROM ${JDK_IMAGE} AS runtime
# Modules reached only by name at run time are invisible to jdeps; list them here. These
# hold the security providers that the JDK's java.security names: when one is missing, a
# lookup that reaches it searches the class path for a provider of that name and
# instantiates every provider listed there, Bouncy Castle's among them: some 600 classes
# that the agent otherwise never loads.
ARG EXTRA_MODULES="java.security.jgss,java.security.sasl,java.smartcardio,java.xml.crypto,jdk.crypto.cryptoki,jdk.security.jgss"
# jlink's options; bench/footprint.sh builds the runtime it measures with the same. No
# --compress: a compressed module image costs every pod about 8 MiB more resident memory
# and a slower start, to save some 45 MB of image once per node.
ARG JLINK_OPTIONS="--strip-debug --no-header-files --no-man-pages"
COPY --from=jar /src/agent/target/hubble-tls-agent.jar /opt/hubble-tls-agent/hubble-tls-agent.jar

# The JVM flags, as an argument file that the ENTRYPOINT passes (java @file). Each group was
# measured by bench/footprint.sh against the embedded node; the figures are in
# docs/benchmarks.md (Footprint). The chart's jvmOptions (JDK_JAVA_OPTIONS) come before
# these, so a flag set here wins over the same flag there, except -Xmx, which overrides
# the RAM percentages.
COPY <<'FLAGS' /opt/hubble-tls-agent/jvm.options
# Heap: Serial GC (no GC threads of its own) with compact object headers; a fifth of the
# memory limit (38 MiB under the chart's 192 MiB). Both percentages: under 250 MiB or so
# the JVM sizes the heap by MinRAMPercentage.
-XX:+UseSerialGC
-XX:+UseCompactObjectHeaders
-XX:MinRAMPercentage=20
-XX:MaxRAMPercentage=20
-Xms8m
-XX:+ExitOnOutOfMemoryError
# JIT: C1 only. At a pass every 10 s, C2 cost 10 MiB more and bought no CPU back.
-XX:TieredStopAtLevel=1
-XX:ReservedCodeCacheSize=16m
# Class metadata: a cap at twice the 45 MiB that `run` uses with the Kubernetes features on.
-XX:MaxMetaspaceSize=96m
# Threads: small stacks; one Netty event loop for the probes' channels; no JFR events from
# Netty (they load JFR's classes for nothing).
-Xss256k
-Dio.grpc.netty.shaded.io.netty.eventLoopThreads=1
-Dio.grpc.netty.shaded.io.netty.jfr.enabled=false
# Unpooled Netty buffers: a pass moves a few kilobytes. With the pooled allocator `run`
# stayed 13 MiB more resident (medians of three 10-minute runs) for the same CPU.
-Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled
# Native memory: hand freed malloc memory back every 30 s; no hsperfdata file.
-XX:TrimNativeHeapInterval=30000
-XX:-UsePerfData
# protobuf reads arrays through sun.misc.Unsafe; from JDK 24 the JDK warns about it in four
# lines at every start. (A JDK_IMAGE older than 24 does not know this option.)
--sun-misc-unsafe-memory-access=allow
FLAGS

# jdeps reads the classes the jar references (today java.base, java.compiler, java.desktop,
# java.management, java.naming, java.net.http, java.sql, jdk.httpserver, jdk.jfr,
# jdk.unsupported; java.desktop comes from Jackson's java.beans support).
# --ignore-missing-deps skips optional libraries that the shaded jar names but does not
# contain. Then the JDK's class data sharing archive, dumped with the image's own flags:
# jlink writes none for compact object headers, and without one every class of the JDK is
# parsed at start-up.
RUN modules="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 21 \
        /opt/hubble-tls-agent/hubble-tls-agent.jar)" \
    && echo "jlink modules: ${modules}${EXTRA_MODULES:+,$EXTRA_MODULES}" \
    && jlink --add-modules "${modules}${EXTRA_MODULES:+,$EXTRA_MODULES}" ${JLINK_OPTIONS} \
        --output /opt/java \
    && /opt/java/bin/java @/opt/hubble-tls-agent/jvm.options -Xshare:dump

# ---- 3. The image. ----------------------------------------------------------------------
FROM ${BASE_IMAGE}
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
LABEL org.opencontainers.image.title="hubble-tls-agent" \
      org.opencontainers.image.description="Proves, node by node, that Cilium's Hubble server enforces mutual TLS the way Hubble Relay needs it." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/base-debian12:nonroot"
COPY --from=runtime /opt/java /opt/java
COPY --from=runtime /opt/hubble-tls-agent /opt/hubble-tls-agent
ENV JAVA_HOME=/opt/java
# glibc's malloc keeps up to 8 arenas per core; two are plenty for the agent's threads.
ENV MALLOC_ARENA_MAX=2
# distroless' nonroot user; the chart runs the pod as this uid too.
USER 65532:65532
EXPOSE 9244
# Netty and the JVM write to /tmp, which the chart mounts as an emptyDir under a read-only
# root filesystem.
ENTRYPOINT ["/opt/java/bin/java", \
    "@/opt/hubble-tls-agent/jvm.options", \
    "-jar", "/opt/hubble-tls-agent/hubble-tls-agent.jar", \
    "run"]
