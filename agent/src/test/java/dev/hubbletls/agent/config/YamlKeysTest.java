package dev.hubbletls.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

class YamlKeysTest {

    @Test
    void nestedMappingsAndLists_becomeDottedLeaves() {
        String yaml = """
                agent:
                  timeout: 5s
                  names: [a, b]
                http:
                  port: 9244
                """;

        assertThat(YamlKeys.parse(yaml, "test")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "agent.timeout", "5s",
                "agent.names.0", "a",
                "agent.names.1", "b",
                "http.port", "9244"));
    }

    @Test
    void scalars_areKeptAsWritten_notResolvedToBooleansOrNumbers() {
        String yaml = "a: yes\nb: 007\nc: 1.50\nd: .inf\nf: 'quoted'\n";

        assertThat(YamlKeys.parse(yaml, "test")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "a", "yes", "b", "007", "c", "1.50", "d", ".inf", "f", "quoted"));
    }

    @Test
    void yamlNulls_areEmpty_unlessQuoted() {
        String yaml = "a: ~\nb: null\nc: NULL\nd:\ne: 'null'\nf: \"~\"\ng: nil\n";

        assertThat(YamlKeys.parse(yaml, "test")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "a", "", "b", "", "c", "", "d", "", "e", "null", "f", "~", "g", "nil"));
    }

    @Test
    void sameKeyDottedAndNested_isRefusedNamingIt() {
        String yaml = "agent.interval: 5s\nagent:\n  interval: 7s\n";

        assertThatThrownBy(() -> YamlKeys.parse(yaml, "test"))
                .isInstanceOf(YamlEngineException.class)
                .hasMessage("agent.interval is set twice, once with dots in its name and once"
                        + " nested; keep one");
    }

    @Test
    void emptyDocument_hasNoLeaves() {
        assertThat(YamlKeys.parse("", "test")).isEmpty();
        assertThat(YamlKeys.parse("# only a comment\n", "test")).isEmpty();
    }

    @Test
    void topThatIsNotAMapping_isRefusedSayingWhatWasFound() {
        assertThatThrownBy(() -> YamlKeys.parse("- agent\n- http\n", "test"))
                .isInstanceOf(YamlEngineException.class)
                .hasMessageContaining("expected keys at the top")
                .hasMessageContaining("found a list");
        assertThatThrownBy(() -> YamlKeys.parse("agent.timeout=5s\n", "test"))
                .isInstanceOf(YamlEngineException.class)
                .hasMessageContaining("found the text 'agent.timeout=5s'");
    }

    @Test
    void deepNesting_isRefusedBeforeItCanExhaustTheStack() {
        String yaml = "a: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n";

        assertThatThrownBy(() -> YamlKeys.parse(yaml, "test"))
                .isInstanceOf(YamlEngineException.class)
                .hasMessage("nested deeper than 16 levels at line 1, column 19;"
                        + " the agent's keys are two levels deep");
    }

    @Test
    void aliasesThatMultiplyIntoMillionsOfValues_areRefused() {
        StringBuilder yaml = new StringBuilder("l0: &l0 [a, a, a, a, a, a, a, a, a]\n");
        for (int level = 1; level <= 5; level++) {
            String previous = "*l" + (level - 1);
            yaml.append("l").append(level).append(": &l").append(level).append(" [")
                    .append(String.join(", ", Collections.nCopies(9, previous)))
                    .append("]\n");
        }

        assertThatThrownBy(() -> YamlKeys.parse(yaml.toString(), "test"))
                .isInstanceOf(YamlEngineException.class)
                .hasMessageContaining("more than 10000 values once its aliases are expanded");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http:\n  port: 1\n  port: 2\n",
        "agent: [unclosed\n",
        "a: !!int 5\n",
        "? [a, b]\n: c\n",
        "a: *nowhere\n",
        "a: &x [*x]\n",
        "\tagent: x\n",
        "--- a: 1\n--- b: 2\n"})
    void garbage_isRefusedAsYaml_neverWithAnotherException(String yaml) {
        assertThatThrownBy(() -> YamlKeys.parse(yaml, "test"))
                .isInstanceOf(YamlEngineException.class);
    }
}
