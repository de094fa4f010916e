package dev.hubbletls.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JsseLimitsTest {

    @Test
    void chainOfTwelveIntermediates_andA40KibLeaf_passAsGoPassesThem() throws Exception {
        List<String> lines = dialInFreshJvm();

        assertThat(lines).hasSize(2);
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("OK OK"));
    }

    @Test
    void limitTheUserSet_isKept() throws Exception {
        List<String> lines = dialInFreshJvm("-Djdk.tls.maxCertificateChainLength=10");

        assertThat(lines.get(0)).startsWith("CRITICAL HANDSHAKE_FAILED")
                .contains("chain length");
    }

    private static List<String> dialInFreshJvm(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                LongChainDial.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output.lines().filter(line -> line.matches("[A-Z]+ [A-Z_]+ .*")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("the child JVM failed", e);
        } finally {
            process.destroyForcibly();
        }
    }
}
