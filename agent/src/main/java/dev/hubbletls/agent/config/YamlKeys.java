package dev.hubbletls.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * A YAML document as the flat map of its leaves, keyed by dotted path
 * ({@code agent: {timeout: 5s}} is {@code agent.timeout=5s}; the items of a list are
 * {@code key.0}, {@code key.1}).
 *
 * <p>Scalars are kept as written (YAML's failsafe schema): {@code 9244} stays the text
 * {@code 9244} and {@code yes} stays {@code yes}, so that {@link SettingsReader} alone
 * decides what a value means and names the key when it cannot. Only YAML's nulls are read
 * as such: a plain {@code ~} or {@code null} is empty, as a value left out is.
 */
final class YamlKeys {

    /**
     * The agent's keys are two levels deep. The limit is checked on the parser's events,
     * before the recursive composer sees the document, whose stack a few hundred brackets
     * would exhaust.
     */
    private static final int MAX_DEPTH = 16;
    /**
     * Aliases share one value among many keys: a file of a few hundred bytes that nests
     * them can name millions of leaves. The agent has a few dozen keys.
     */
    private static final int MAX_VALUES = 10_000;

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
                .setSchema(new TextSchema())
                .build();
        requireShallow(settings, yaml);
        Object document = new Load(settings).loadFromString(yaml);
        Leaves leaves = new Leaves();
        if (document instanceof Map<?, ?> map) {
            leaves.addMapping("", map, 1);
        } else if (document != null) {
            throw new YamlEngineException("expected keys at the top (such as agent: or http:),"
                    + " found " + describe(document));
        }
        return leaves.byKey;
    }

    private static void requireShallow(LoadSettings settings, String yaml) {
        int depth = 0;
        for (Event event : new Parse(settings).parseString(yaml)) {
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> depth++;
                case MappingEnd, SequenceEnd -> depth--;
                default -> { }
            }
            if (depth > MAX_DEPTH) {
                throw new YamlEngineException("nested deeper than " + MAX_DEPTH + " levels"
                        + event.getStartMark().map(mark -> " at line " + (mark.getLine() + 1)
                                + ", column " + (mark.getColumn() + 1)).orElse("")
                        + "; the agent's keys are two levels deep");
            }
        }
    }

    /** Every plain scalar is text but the nulls; quoted ones are always text. */
    private static final class TextSchema implements Schema {
        private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");

        @Override
        public ScalarResolver getScalarResolver() {
            return (value, plain) -> plain && NULL.matcher(value).matches() ? Tag.NULL : Tag.STR;
        }

        @Override
        public Map<Tag, ConstructNode> getSchemaTagConstructors() {
            return Map.of(Tag.NULL, node -> null);
        }
    }

    /** The leaves found so far, and how many values were visited to find them. */
    private static final class Leaves {
        private final Map<String, String> byKey = new LinkedHashMap<>();
        private int visited;

        void add(String key, Object value, int depth) {
            if (depth > MAX_DEPTH) {
                throw new YamlEngineException(key + ": nested deeper than " + MAX_DEPTH
                        + " levels (does an alias refer to the value that holds it?)");
            }
            if (++visited > MAX_VALUES) {
                throw new YamlEngineException("more than " + MAX_VALUES + " values once its"
                        + " aliases are expanded; the agent has a few dozen keys");
            }
            switch (value) {
                case Map<?, ?> map -> addMapping(key + ".", map, depth);
                case List<?> list -> {
                    for (int i = 0; i < list.size(); i++) {
                        add(key + "." + i, list.get(i), depth + 1);
                    }
                }
                case null -> put(key, "");
                default -> put(key, value.toString());
            }
        }

        // agent.interval: 5s and agent: {interval: 7s} are one key; YAML sees two.
        private void put(String key, String value) {
            if (byKey.putIfAbsent(key, value) != null) {
                throw new YamlEngineException(key + " is set twice, once with dots in its"
                        + " name and once nested; keep one");
            }
        }

        void addMapping(String prefix, Map<?, ?> map, int depth) {
            map.forEach((key, value) -> add(prefix + key, value, depth + 1));
        }
    }

    private static String describe(Object document) {
        return document instanceof List<?> ? "a list" : "the text '" + abbreviated(document) + "'";
    }

    private static String abbreviated(Object document) {
        String text = document.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
