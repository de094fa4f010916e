package dev.hubbletls.agent.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code run} reads its configuration from, each layer overriding the one before:
 * the defaults in the jar, a YAML file, environment variables, command-line flags.
 *
 * @param file         the YAML file
 * @param fileRequired whether a missing file stops start-up; only when named with --config
 * @param environment  the process environment, or a map standing in for it in tests
 * @param flags        flags given on the command line, by configuration key
 *                     ({@code agent.timeout}, {@code http.port})
 */
public record ConfigInputs(Path file, boolean fileRequired, Map<String, String> environment,
                           Map<String, String> flags) {

    /** Where the chart mounts the file. */
    public static final Path DEFAULT_FILE = Path.of("/etc/hubble-tls-agent/config.yaml");

    public ConfigInputs {
        environment = Map.copyOf(environment);
        flags = Map.copyOf(flags);
    }

    /** The file named with --config, which must then exist, or the default, which may not. */
    public static ConfigInputs of(Optional<Path> namedFile, Map<String, String> environment,
                                  Map<String, String> flags) {
        return new ConfigInputs(namedFile.orElse(DEFAULT_FILE), namedFile.isPresent(),
                environment, flags);
    }
}
