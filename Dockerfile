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
# Modules reached only by name at run time (service providers, JNDI) are invisible to jdeps;
# list them here. None are needed today: the demo passes on the jdeps set alone.
ARG EXTRA_MODULES=""
COPY --from=jar /src/agent/target/hubble-tls-agent.jar /tmp/hubble-tls-agent.jar
# jdeps reads the classes the jar references (today java.base, java.compiler, java.desktop,
# java.naming, java.sql, jdk.jfr, jdk.unsupported; java.desktop comes from Jackson's
# java.beans support). --ignore-missing-deps skips optional libraries that the shaded jar
# names but does not contain.
RUN modules="$(jdeps --ignore-missing-deps --print-module-deps --multi-release 21 \
        /tmp/hubble-tls-agent.jar)" \
    && echo "jlink modules: ${modules}${EXTRA_MODULES:+,$EXTRA_MODULES}" \
    && jlink --add-modules "${modules}${EXTRA_MODULES:+,$EXTRA_MODULES}" \
        --strip-debug --no-header-files --no-man-pages --compress zip-6 \
        --output /opt/java

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
COPY --from=jar /src/agent/target/hubble-tls-agent.jar /opt/hubble-tls-agent/hubble-tls-agent.jar
ENV JAVA_HOME=/opt/java
# distroless' nonroot user; the chart runs the pod as this uid too.
USER 65532:65532
EXPOSE 9244
# Flags that keep the JVM small: one GC thread, C1 only, small stacks, capped metaspace and
# code cache; the heap follows the container's memory limit. First estimates: the figures
# are to be measured by the footprint issue. -Xmx in JDK_JAVA_OPTIONS (the chart's
# jvmOptions) overrides MaxRAMPercentage. Netty and the JVM write to /tmp, which the chart
# mounts as an emptyDir under a read-only root filesystem.
ENTRYPOINT ["/opt/java/bin/java", \
    "-XX:+UseSerialGC", \
    "-XX:MaxRAMPercentage=40", \
    "-XX:TieredStopAtLevel=1", \
    "-Xss256k", \
    "-XX:MaxMetaspaceSize=96m", \
    "-XX:ReservedCodeCacheSize=32m", \
    "-XX:+ExitOnOutOfMemoryError", \
    "-XX:-UsePerfData", \
    "-jar", "/opt/hubble-tls-agent/hubble-tls-agent.jar", \
    "run"]
