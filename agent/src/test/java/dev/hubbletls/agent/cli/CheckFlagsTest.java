package dev.hubbletls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags a user gets wrong end in exit 3 and a message naming the option, before any probe. */
class CheckFlagsTest {

    @TempDir
    Path dir;

    @Test
    void serverWithoutServerName_exit3_namesServerName() {
        CommandRun run = CommandRun.of("check", "--server", "127.0.0.1:4244",
                "--tls-dir", dir.toString());

        assertCannotRun(run, "server-name", "--server needs --server-name");
    }

    @Test
    void timeoutNotADuration_exit3_namesTimeoutAndValue() {
        CommandRun run = CommandRun.of("check", "--node-name", "kind-worker",
                "--timeout", "banana", "--tls-dir", dir.toString());

        assertCannotRun(run, "timeout=banana", "500ms, 5s");
    }

    @Test
    void criticalDaysAboveWarnDays_exit3_namesBothThresholds() {
        CommandRun run = CommandRun.of("check", "--node-name", "kind-worker",
                "--critical-days", "40", "--warn-days", "30", "--tls-dir", dir.toString());

        assertCannotRun(run, "critical-days=40", "--warn-days (30)");
    }

    @Test
    void neitherNodeNameNorServer_exit3_saysWhatToSet() {
        assumeTrue(System.getenv("NODE_NAME") == null,
                "picocli defaults --node-name to $NODE_NAME, which this JVM has set");

        CommandRun run = CommandRun.of("check", "--tls-dir", dir.toString());

        assertCannotRun(run, "node-name", "--server and --server-name");
    }

    @Test
    void unknownOption_exit3_pointsAtHelp() {
        CommandRun run = CommandRun.of("check", "--node-name", "kind-worker", "--verbose");

        assertCannotRun(run, "--verbose", "hubble-tls-agent check --help");
    }

    @Test
    void warnDaysNotANumber_exit3_namesTheOption() {
        CommandRun run = CommandRun.of("check", "--node-name", "kind-worker",
                "--warn-days", "thirty");

        assertCannotRun(run, "--warn-days", "thirty");
    }

    // Wrapped inside the URI, the default could not be copied from the help.
    @Test
    void help_showsTheDefaultSocketUriWhole() {
        CommandRun run = CommandRun.of("check", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Default: unix:///var/run/cilium/hubble.sock\n");
    }

    private static void assertCannotRun(CommandRun run, String... errorParts) {
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_CANNOT_RUN);
        assertThat(run.err()).contains(errorParts);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).doesNotContain("Exception", "\tat ", "PRIVATE KEY");
    }
}
