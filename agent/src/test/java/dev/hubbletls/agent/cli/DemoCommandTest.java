package dev.hubbletls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.demo.DemoScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code demo} as a user runs it: every scenario meets its verdict and nothing is left behind. */
class DemoCommandTest {

    private static final Pattern SOCKET = Pattern.compile("(?m)^ {2}socket +(\\S+)$");
    private static final Pattern RELAY = Pattern.compile("(?m)^ {2}relay TLS +(\\S+)$");

    @Test
    void demo_everyScenarioMeetsItsVerdict_exit0_removesItsFiles() {
        CommandRun run = CommandRun.of("demo");

        int scenarios = DemoScenario.all().size();
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains(scenarios + " of " + scenarios
                        + " scenarios ended in the expected verdict",
                "Embedded node stopped and its files removed.")
                .doesNotContain("UNEXPECTED");
        Path socket = Path.of(printed(SOCKET, run.out()));
        Path relayDir = Path.of(printed(RELAY, run.out()));
        assertThat(relayDir.getParent()).isEqualTo(socket.getParent());
        assertThat(socket.getParent()).doesNotExist();
        assertThat(run.out() + run.err()).doesNotContain("PRIVATE KEY", "-----BEGIN");
    }

    private static String printed(Pattern line, String out) {
        Matcher matcher = line.matcher(out);
        assertThat(matcher.find()).as("a line matching %s in %s", line, out).isTrue();
        return matcher.group(1);
    }
}
