package dev.hubbletls.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * A YAML document as the flat map of its leaves, keyed by dotted path
 * ({@code agent: {timeout: 5s}} is {@code agent.timeout=5s}; the items of a list are
 * {@code key.0}, {@code key.1}).
 *
 * <p>Scalars are kept as written (YAML's failsafe schema): {@code 9244} stays the text
 * {@code 9244} and {@code yes} stays {@code yes}, so that {@link SettingsReader} alone
 * decides what a value means and names the key when it cannot.
 */
final class YamlKeys {

    /** The agent's keys are two levels deep; an alias can make a value contain itself. */
    private static final int MAX_DEPTH = 16;

    private YamlKeys() {
    }

    /**
     * The leaves of {@code yaml}; an empty document has none.
     *
     * @throws YamlEngineException when the text is not YAML or its top is not a mapping
     */
    static Map<String, String> parse(String yaml, String label) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(label)
                .setSchema(new FailsafeSchema())
                // The failsafe schema still tags an empty value (and an empty document)
                // as null, and has no constructor for it.
                .setTagConstructors(Map.of(Tag.NULL, node -> null))
                .build();
        Object document = new Load(settings).loadFromString(yaml);
        Map<String, String> leaves = new LinkedHashMap<>();
        if (document instanceof Map<?, ?> map) {
            addMapping("", map, 1, leaves);
        } else if (document != null) {
            throw new YamlEngineException("expected keys at the top (such as agent: or http:),"
                    + " found " + describe(document));
        }
        return leaves;
    }

    private static void add(String key, Object value, int depth, Map<String, String> leaves) {
        if (depth > MAX_DEPTH) {
            throw new YamlEngineException(key + ": nested deeper than " + MAX_DEPTH
                    + " levels (does an alias refer to the value that holds it?)");
        }
        switch (value) {
            case Map<?, ?> map -> addMapping(key + ".", map, depth, leaves);
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    add(key + "." + i, list.get(i), depth + 1, leaves);
                }
            }
            case null -> leaves.put(key, "");
            default -> leaves.put(key, value.toString());
        }
    }

    private static void addMapping(String prefix, Map<?, ?> map, int depth,
                                   Map<String, String> leaves) {
        map.forEach((key, value) -> add(prefix + key, value, depth + 1, leaves));
    }

    private static String describe(Object document) {
        return document instanceof List<?> ? "a list" : "the text '" + abbreviated(document) + "'";
    }

    private static String abbreviated(Object document) {
        String text = document.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
