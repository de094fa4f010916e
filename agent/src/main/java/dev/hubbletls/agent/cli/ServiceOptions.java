package dev.hubbletls.agent.cli;

import dev.hubbletls.agent.config.ConfigInputs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The options only {@code run} has: the configuration file and the endpoints. Every flag
 * given to {@code run} overrides the file and the environment under its configuration key.
 */
final class ServiceOptions {

    /** Flags whose configuration key is not {@code agent.} and the flag's name. */
    private static final Map<String, String> KEYS = Map.of(
            "--http-host", "http.host",
            "--http-port", "http.port",
            "--kubernetes", "kubernetes.enabled");

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration (default: /etc/hubble-tls-agent/config.yaml,"
                    + " if it exists).")
    Path config;

    @Option(names = "--http-host", paramLabel = "ADDRESS",
            description = "Address to serve the endpoints on (default: 0.0.0.0).")
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port to serve the endpoints on (default: 9244).")
    String httpPort;

    @Option(names = "--kubernetes", negatable = true, paramLabel = "BOOLEAN",
            description = "Read cilium-config and write node Events when credentials are"
                    + " found (default: true).")
    Boolean kubernetes;

    /** The configuration layers, with the flags given in {@code parsed} on top. */
    ConfigInputs inputs(ParseResult parsed, Map<String, String> environment) {
        return ConfigInputs.of(Optional.ofNullable(config), environment, flags(parsed));
    }

    /** Each flag given, by its configuration key; --config is not a key. */
    static Map<String, String> flags(ParseResult parsed) {
        Map<String, String> flags = new HashMap<>();
        for (OptionSpec option : parsed.matchedOptions()) {
            String name = option.longestName();
            Object value = option.getValue();
            if (!name.equals("--config") && value != null) {
                flags.put(KEYS.getOrDefault(name, "agent." + name.substring(2)),
                        value.toString());
            }
        }
        return flags;
    }
}
