package dev.hubbletls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.tls.KeyKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as the pod runs it, in its own JVM, against an embedded Hubble node with no
 * cluster and no configuration file: it serves its endpoints and stops cleanly on SIGTERM.
 */
class RunProcessTest {

    @TempDir
    Path home;

    private EmbeddedHubble node;
    private Process agent;

    @AfterEach
    void stop() throws IOException {
        if (agent != null) {
            agent.destroyForcibly();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void noClusterNoConfigFile_servesEndpoints_andSigtermExits0() throws Exception {
        node = EmbeddedHubble.start(Clock.systemUTC(), KeyKind.EC_P256);
        int port = freePort();
        Path log = home.resolve("agent.log");
        agent = runAgainstNode(port, log, Map.of()).start();

        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        int ready = awaitReady(http, base);
        String status = http.send(HttpRequest.newBuilder(base.resolve("/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        agent.destroy();
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s").isTrue();
        String output = Files.readString(log);
        assertThat(ready).as(output).isEqualTo(200);
        assertThat(status).contains("\"node\" : \"demo-node\"", "\"nextPassAt\"",
                "\"rotations\" : [ ]");
        assertThat(agent.exitValue()).as(output).isZero();
        assertThat(output.split("Kubernetes features off", -1)).as(output).hasSize(2);
        assertThat(output).contains("first pass finished", "SIGTERM received", "stopped");
    }

    // Telemetry is set up while the first pass runs; its settings must still stop start-up.
    @Test
    void malformedOtelVariable_stopsStartUpWithExit3NamingIt() throws Exception {
        node = EmbeddedHubble.start(Clock.systemUTC(), KeyKind.EC_P256);
        Path log = home.resolve("agent.log");
        agent = runAgainstNode(freePort(), log, Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon")).start();

        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
        String output = Files.readString(log);
        assertThat(agent.exitValue()).as(output).isEqualTo(Main.EXIT_CANNOT_RUN);
        assertThat(output).contains("carrier-pigeon").doesNotContain("serving /livez");
    }

    @Test
    void httpPortInUse_stopsStartUpWithExit3NamingIt() throws Exception {
        node = EmbeddedHubble.start(Clock.systemUTC(), KeyKind.EC_P256);
        Path log = home.resolve("agent.log");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            agent = runAgainstNode(taken.getLocalPort(), log, Map.of()).start();

            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
        }
        String output = Files.readString(log);
        assertThat(agent.exitValue()).as(output).isEqualTo(Main.EXIT_CANNOT_RUN);
        assertThat(output).contains("invalid setting http.port=127.0.0.1:", "cannot listen there")
                .doesNotContain("serving /livez", "first pass finished", "SEVERE");
    }

    private ProcessBuilder runAgainstNode(int port, Path log, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(List.of(javaCommand(),
                "-cp", System.getProperty("java.class.path"), "-Duser.home=" + home,
                Main.class.getName(), "run", "--socket", node.socketPath().toString(),
                "--node-name", EmbeddedHubble.NODE, "--tls-dir",
                node.relayFiles().directory().toString(), "--http-host", "127.0.0.1",
                "--http-port", String.valueOf(port), "--timeout", "2s"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KUBE")
                || name.equals("NODE_NAME") || name.startsWith("AGENT_")
                || name.startsWith("HTTP_") || name.startsWith("OTEL_"));
        builder.environment().putAll(environment);
        return builder;
    }

    private static int awaitReady(HttpClient http, URI base) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int code = 0;
        while (code != 200 && System.nanoTime() < deadline) {
            try {
                code = http.send(HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notListeningYet) {
                code = 0;
            }
            if (code != 200) {
                Thread.sleep(100);
            }
        }
        return code;
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
