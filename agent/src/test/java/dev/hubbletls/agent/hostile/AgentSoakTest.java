package dev.hubbletls.agent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.hostile.AgentSoak.Numbers;
import dev.hubbletls.agent.hostile.AgentSoak.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of {@link AgentSoak}: a short run in every build, thousands of passes with
 * {@code ./mvnw -Psoak test} (see docs/benchmarks.md). Threads, file descriptors and heap at
 * the end must be where they were after the warm-up cycle, within a small margin.
 */
class AgentSoakTest {

    /** Loop passes, rounded up to whole cycles; the soak profile raises it. */
    private static final int PASSES = Integer.getInteger("soak.passes", 80);
    private static final Duration INTERVAL =
            Duration.ofMillis(Long.getLong("soak.intervalMillis", 15));
    /** The agent's own passes and watchers may be mid-flight when either side is taken. */
    private static final int THREAD_MARGIN = 4;
    private static final long FD_MARGIN = 16;
    private static final long HEAP_MARGIN_BYTES = 16L * 1024 * 1024;

    @TempDir
    Path root;

    @Test
    void passesThroughFaultsAndRotations_keepVerdicts_resourcesBackToWarmUp() throws Exception {
        Numbers numbers = AgentSoak.run(root, PASSES, INTERVAL);

        String summary = describe(numbers);
        record(summary);
        assertThat(numbers.mismatches()).as(summary)
                .hasSizeLessThanOrEqualTo(numbers.loopPasses() / 200);
        assertThat(numbers.rotationsSeen()).as(summary)
                .isGreaterThanOrEqualTo(numbers.rotations());
        assertThat(numbers.agentPasses()).as(summary).isGreaterThan(numbers.rotations());
        Resources warm = numbers.warm();
        Resources end = numbers.end();
        assertThat(end.threads()).as(summary).isLessThanOrEqualTo(warm.threads() + THREAD_MARGIN);
        assertThat(end.fileDescriptors()).as(summary)
                .isLessThanOrEqualTo(warm.fileDescriptors() + FD_MARGIN);
        assertThat(end.heapBytes()).as(summary)
                .isLessThanOrEqualTo(warm.heapBytes() + HEAP_MARGIN_BYTES);
    }

    private static String describe(Numbers numbers) {
        return String.format("soak %s: %d loop passes at %d ms (%d agent passes), %d relay"
                        + " rotations (%d file rotations seen), %d verdict mismatches %s, took"
                        + " %d s (%.1f ms per loop pass)%n"
                        + "after warm-up: %d threads, %d fds, %.1f MiB heap%n"
                        + "at the end:    %d threads, %d fds, %.1f MiB heap%n"
                        + "mean time per check: %s%n",
                Instant.now(), numbers.loopPasses(), INTERVAL.toMillis(),
                numbers.agentPasses(), numbers.rotations(), numbers.rotationsSeen(),
                numbers.mismatches().size(), numbers.mismatches().stream().limit(5).toList(),
                numbers.took().toSeconds(),
                numbers.took().toMillis() / (double) numbers.loopPasses(),
                numbers.warm().threads(), numbers.warm().fileDescriptors(),
                mebibytes(numbers.warm()), numbers.end().threads(),
                numbers.end().fileDescriptors(), mebibytes(numbers.end()),
                numbers.meanCheckTimes().entrySet().stream()
                        .map(entry -> entry.getKey().id() + " " + entry.getValue().toMillis()
                                + " ms").toList());
    }

    private static double mebibytes(Resources resources) {
        return resources.heapBytes() / (1024.0 * 1024.0);
    }

    private static void record(String summary) throws IOException {
        System.out.print(summary);
        Path out = Path.of("target", "soak");
        Files.createDirectories(out);
        Files.writeString(out.resolve("soak-" + PASSES + ".txt"), summary);
    }
}
