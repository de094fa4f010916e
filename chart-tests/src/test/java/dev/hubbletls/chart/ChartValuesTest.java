package dev.hubbletls.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** values.yaml documents every value above itself, and the schema knows every value. */
class ChartValuesTest {

    /** A mapping key at the start of a line, not inside a list item. */
    private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_.\\-/]+):(\\s.*)?$");

    @Test
    void everyValue_hasACommentAboveIt() throws IOException {
        List<String> lines = Files.readAllLines(ChartRendering.chartDir().resolve("values.yaml"));

        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (KEY.matcher(lines.get(i)).matches() && !commentAbove(lines, i)) {
                undocumented.add((i + 1) + ": " + lines.get(i).strip());
            }
        }

        assertThat(undocumented).as("values without a comment above them").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void schema_describesExactlyTheTopLevelValues() throws IOException {
        Map<String, Object> values = ChartRendering.readYamlMap(
                Files.readString(ChartRendering.chartDir().resolve("values.yaml")));
        Map<String, Object> schema = ChartRendering.readYamlMap(
                Files.readString(ChartRendering.chartDir().resolve("values.schema.json")));

        Set<String> described = new HashSet<>(
                ((Map<String, Object>) schema.get("properties")).keySet());
        described.remove("global");
        assertThat(described).isEqualTo(values.keySet());
        assertThat(schema).containsEntry("additionalProperties", false);
    }

    @Test
    void schema_rejectsAMistypedValue() {
        String error = ChartRendering.renderFailure(ChartRendering.GROUP_ID
                + "serverCert:\n  enabled: true\n");

        assertThat(error).contains("serverCert");
    }

    private static boolean commentAbove(List<String> lines, int index) {
        Matcher key = KEY.matcher(lines.get(index));
        key.matches();
        String indent = key.group(1);
        for (int i = index - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.isBlank()) {
                return false;
            }
            return line.startsWith(indent + "#");
        }
        return false;
    }
}
