package dev.hubbletls.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** A configuration of every key with comments is a few KiB; this is room for any. */
    private static final long MAX_FILE_BYTES = 256 * 1024;

    private ConfigLayers() {
    }

    /**
     * The value of every key the defaults name; throws {@link InvalidSettingException} for a
     * bad file.
     */
    static Map<String, String> merge(ConfigInputs inputs) {
        Map<String, String> defaults = YamlKeys.parse(readDefaults(), DEFAULTS);
        Map<String, String> file = readFile(inputs);
        requireSingleValues(inputs, file, defaults.keySet());
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
            requireSmallRegularFile(inputs.file());
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

    /** A FIFO or a device would block the start or fill the heap instead of ending in a message. */
    private static void requireSmallRegularFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidSettingException("config", file.toString(),
                    "not a regular file; point --config at a YAML file");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new InvalidSettingException("config", file.toString(), "the file has " + size
                    + " bytes, more than the " + MAX_FILE_BYTES + " a configuration file may have");
        }
    }

    /** {@code interval: [5s, 6s]} must not pass for an unknown key and leave the default. */
    private static void requireSingleValues(ConfigInputs inputs, Map<String, String> file,
                                            Set<String> keys) {
        for (String fileKey : file.keySet()) {
            for (String key : keys) {
                if (fileKey.startsWith(key + ".")) {
                    throw new InvalidSettingException(key, "", "in " + inputs.file()
                            + " it is a list or has keys under it; give it one value");
                }
            }
        }
    }

    private static void warnAboutUnknownKeys(ConfigInputs inputs, Map<String, String> file,
                                             Set<String> keys) {
        Set<String> unknown = new TreeSet<>(file.keySet());
        unknown.removeAll(keys);
        // An empty section (agent: with nothing under it) is known and sets nothing.
        unknown.removeIf(key -> file.get(key).isEmpty()
                && keys.stream().anyMatch(known -> known.startsWith(key + ".")));
        if (!unknown.isEmpty()) {
            LOG.warning("configuration file " + inputs.file() + " sets keys the agent does not"
                    + " know, which are ignored: " + String.join(", ", unknown)
                    + "; see README.md for the keys");
        }
    }
}
