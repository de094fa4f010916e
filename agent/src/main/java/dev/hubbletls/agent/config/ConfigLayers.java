package dev.hubbletls.agent.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import io.helidon.config.yaml.YamlConfigParser;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Merges the layers of {@link ConfigInputs} into one Helidon {@link Config}: flags over
 * environment over file over the defaults in the jar. Only keys the defaults name are
 * read from the environment, so that unrelated variables never leak in.
 */
final class ConfigLayers {

    private static final Logger LOG = Logger.getLogger(ConfigLayers.class.getName());
    private static final String DEFAULTS = "dev/hubbletls/agent/config/defaults.yaml";

    private ConfigLayers() {
    }

    /** The merged configuration; throws {@link InvalidSettingException} for a bad file. */
    static Config merge(ConfigInputs inputs) {
        Config defaults = build(List.of(ConfigSources.classpath(DEFAULTS)));
        Set<String> keys = leafKeys(defaults);
        Config file = readFile(inputs);
        warnAboutUnknownKeys(inputs, file, keys);
        return build(List.of(
                ConfigSources.create(inputs.flags(), "command-line flags"),
                ConfigSources.create(environmentValues(inputs.environment(), keys),
                        "environment variables"),
                ConfigSources.create(file),
                ConfigSources.create(defaults)));
    }

    /**
     * The environment variable Helidon maps to {@code key}: upper case, with every
     * character that is not a letter or digit turned into {@code _}
     * ({@code agent.tls-dir} is {@code AGENT_TLS_DIR}).
     */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static Map<String, String> environmentValues(Map<String, String> environment,
                                                         Set<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            String value = environment.get(environmentName(key));
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    private static Config readFile(ConfigInputs inputs) {
        if (!Files.exists(inputs.file())) {
            if (inputs.fileRequired()) {
                throw new InvalidSettingException("config", inputs.file().toString(),
                        "the file does not exist; mount it or leave --config out");
            }
            LOG.fine("no configuration file at " + inputs.file() + "; using defaults");
            return Config.empty();
        }
        try {
            return build(List.of(ConfigSources.file(inputs.file())));
        } catch (ConfigException e) {
            throw new InvalidSettingException("config", inputs.file().toString(),
                    "cannot read it as YAML: " + rootMessage(e));
        }
    }

    private static void warnAboutUnknownKeys(ConfigInputs inputs, Config file, Set<String> keys) {
        Set<String> unknown = new TreeSet<>(leafKeys(file));
        unknown.removeAll(keys);
        if (!unknown.isEmpty()) {
            LOG.warning("configuration file " + inputs.file() + " sets keys the agent does not"
                    + " know, which are ignored: " + String.join(", ", unknown)
                    + "; see README.md for the keys");
        }
    }

    private static Set<String> leafKeys(Config config) {
        return config.traverse()
                .filter(Config::isLeaf)
                .map(node -> node.key().toString())
                .collect(Collectors.toSet());
    }

    private static Config build(List<Supplier<? extends ConfigSource>> sources) {
        return Config.builder()
                .sources(sources)
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .disableParserServices()
                .addParser(YamlConfigParser.create())
                .disableFilterServices()
                .disableValueResolving()
                .disableKeyResolving()
                .build();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
