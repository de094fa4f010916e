package dev.hubbletls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class RunCommandTest {

    @Test
    void flagsGivenToRun_becomeConfigurationKeys_andOnlyThose() {
        ParseResult parsed = new CommandLine(new Main()).parseArgs("run", "--timeout", "2s",
                "--tls-dir", "/mnt/relay", "--http-port", "1234", "--no-kubernetes",
                "--config", "/tmp/agent.yaml").subcommand();

        assertThat(ServiceOptions.flags(parsed)).isEqualTo(Map.of(
                "agent.timeout", "2s",
                "agent.tls-dir", "/mnt/relay",
                "http.port", "1234",
                "kubernetes.enabled", "false"));
    }

    @Test
    void namedConfigFileMissing_stopsStartUpWithExit3NamingIt() {
        StringWriter err = new StringWriter();

        int exit = Main.execute(new String[] {"run", "--node-name", "node-1", "--config",
            "/nonexistent/agent.yaml"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));

        assertThat(exit).isEqualTo(Main.EXIT_CANNOT_RUN);
        assertThat(err.toString()).contains("invalid setting config=/nonexistent/agent.yaml:"
                + " the file does not exist");
    }

    @Test
    void portOutOfRange_stopsStartUpWithExit3NamingKeyValueAndRange() {
        StringWriter err = new StringWriter();

        int exit = Main.execute(new String[] {"run", "--node-name", "node-1", "--http-port",
            "70000"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));

        assertThat(exit).isEqualTo(Main.EXIT_CANNOT_RUN);
        assertThat(err.toString()).contains("invalid setting http.port=70000: expected a whole"
                + " number from 1 to 65535");
    }
}
