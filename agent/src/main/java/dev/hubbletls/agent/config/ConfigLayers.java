package dev.hubbletls.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Merges the layers of {@link ConfigInputs} into one value per key: flags over environment
 * over file over the defaults in the jar. The defaults name every key there is; only those
 * are read from the other layers, so that unrelated environment variables never leak in.
 */
final class ConfigLayers {

    private static final Logger LOG = Logger.getLogger(ConfigLayers.class.getName());
    private static final String DEFAULTS = "dev/hubbletls/agent/config/defaults.yaml";

    private ConfigLayers() {
    }

    /**
     * The value of every key the defaults name; throws {@link InvalidSettingException} for a
     * bad file.
     */
    static Map<String, String> merge(ConfigInputs inputs) {
        Map<String, String> defaults = YamlKeys.parse(readDefaults(), DEFAULTS);
        Map<String, String> file = readFile(inputs);
        warnAboutUnknownKeys(inputs, file, defaults.keySet());
        Map<String, String> merged = new HashMap<>();
        defaults.forEach((key, defaultValue) ->
                merged.put(key, valueOf(key, inputs, file, defaultValue)));
        return Map.copyOf(merged);
    }

    /**
     * The environment variable that sets {@code key}: upper case, with every character
     * that is not a letter or digit turned into {@code _} ({@code agent.tls-dir} is
     * {@code AGENT_TLS_DIR}).
     */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Flag, environment variable, file, default: the first layer that sets the key. */
    private static String valueOf(String key, ConfigInputs inputs, Map<String, String> file,
                                  String defaultValue) {
        String flag = inputs.flags().get(key);
        if (flag != null) {
            return flag;
        }
        String variable = inputs.environment().get(environmentName(key));
        if (variable != null) {
            return variable;
        }
        return file.getOrDefault(key, defaultValue);
    }

    private static String readDefaults() {
        try (InputStream in = ConfigLayers.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS + " from the jar", e);
        }
    }

    private static Map<String, String> readFile(ConfigInputs inputs) {
        if (!Files.exists(inputs.file())) {
            if (inputs.fileRequired()) {
                throw new InvalidSettingException("config", inputs.file().toString(),
                        "the file does not exist; mount it or leave --config out");
            }
            LOG.fine("no configuration file at " + inputs.file() + "; using defaults");
            return Map.of();
        }
        try {
            return YamlKeys.parse(Files.readString(inputs.file()), inputs.file().toString());
        } catch (CharacterCodingException e) {
            throw new InvalidSettingException("config", inputs.file().toString(),
                    "cannot read it as YAML: it is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidSettingException("config", inputs.file().toString(),
                    "cannot read it (" + e + "); check the mount and its permissions");
        } catch (YamlEngineException e) {
            throw new InvalidSettingException("config", inputs.file().toString(),
                    "cannot read it as YAML: " + e.getMessage());
        }
    }

    private static void warnAboutUnknownKeys(ConfigInputs inputs, Map<String, String> file,
                                             Set<String> keys) {
        Set<String> unknown = new TreeSet<>(file.keySet());
        unknown.removeAll(keys);
        if (!unknown.isEmpty()) {
            LOG.warning("configuration file " + inputs.file() + " sets keys the agent does not"
                    + " know, which are ignored: " + String.join(", ", unknown)
                    + "; see README.md for the keys");
        }
    }
}
