package dev.hubbletls.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict} accepts the chart as shipped and with every variant. */
class ChartLintTest {

    @Test
    void chartAsShipped_lintsCleanly() {
        LintResult result = ChartRendering.lintAsShipped();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @ParameterizedTest
    @MethodSource("dev.hubbletls.chart.ChartRendering#variants")
    void everyVariant_lintsCleanly(String values, @TempDir Path workDir) {
        LintResult result = ChartRendering.lint(values, workDir);

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(errorsAndWarnings(result.getMessages())).isEmpty();
    }

    private static List<String> errorsAndWarnings(List<String> messages) {
        return messages.stream()
                .filter(message -> message.contains("[ERROR]") || message.contains("[WARNING]"))
                .toList();
    }
}
