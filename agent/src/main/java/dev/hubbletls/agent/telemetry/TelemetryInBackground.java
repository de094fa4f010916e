package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.config.InvalidSettingException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@link AgentTelemetry} built on a thread of its own while the first check pass runs.
 * Setting up the OpenTelemetry SDK from the {@code OTEL_*} variables loads some 400
 * classes: about 200 ms on a small node that the first pass would otherwise wait for
 * before it could start. Recording waits for the build; in practice it is done long
 * before the first pass is.
 *
 * <p>Every wait ends at a deadline: a file an {@code OTEL_*} variable names can be a FIFO
 * or sit on a hung mount, and the SDK reads it while building.
 */
public final class TelemetryInBackground implements AutoCloseable {

    /** Far beyond the fraction of a second the build takes when nothing blocks it. */
    static final Duration BUILD_LIMIT = Duration.ofSeconds(20);

    private final CompletableFuture<AgentTelemetry> telemetry = new CompletableFuture<>();
    private final Duration limit;
    private final long deadlineNanos;

    private TelemetryInBackground(Duration limit) {
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** Starts {@code build} on a daemon thread. */
    public static TelemetryInBackground start(Supplier<AgentTelemetry> build) {
        return start(build, BUILD_LIMIT);
    }

    static TelemetryInBackground start(Supplier<AgentTelemetry> build, Duration limit) {
        TelemetryInBackground background = new TelemetryInBackground(limit);
        Thread.ofPlatform().daemon().name("telemetry-start").start(() -> background.run(build));
        return background;
    }

    // Errors too: a class missing from the shaded jar must not leave await() waiting forever.
    private void run(Supplier<AgentTelemetry> build) {
        try {
            telemetry.complete(build.get());
        } catch (RuntimeException | Error e) {
            telemetry.completeExceptionally(e);
        }
    }

    /**
     * The telemetry, once built; throws what stopped the build, such as the
     * {@code InvalidSettingException} of a malformed {@code OTEL_*} variable, or one saying
     * that the build did not end in time.
     */
    public AgentTelemetry await() {
        try {
            return telemetry.get(remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new InvalidSettingException("OTEL_*", "", "telemetry was not set up "
                    + limit.toSeconds() + " s after start-up began; a file an OTEL_* variable"
                    + " names may block (a FIFO, a hung mount): fix or unset it");
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while telemetry was set up", e);
        }
    }

    private static RuntimeException failure(Throwable cause) {
        return switch (cause) {
            case InvalidSettingException invalid -> invalid;
            case Error error -> throw error;
            // The OTEL_* variables are the build's only input.
            default -> new InvalidSettingException("OTEL_*", "", "telemetry could not be set up ("
                    + cause + "); fix or unset the OpenTelemetry variables (OTEL_*)");
        };
    }

    /** See {@link AgentTelemetry#record}; nothing when the build failed or is late. */
    public void record(CheckReport report) {
        built().ifPresent(built -> built.record(report));
    }

    /** See {@link AgentTelemetry#recordRotation}; nothing when the build failed or is late. */
    public void recordRotation(String file) {
        built().ifPresent(built -> built.recordRotation(file));
    }

    /** Waits for a build in progress, up to its deadline, then closes what it built. */
    @Override
    public void close() {
        built().ifPresent(AgentTelemetry::close);
    }

    // A failed build is reported once, by await() on the thread that starts the agent.
    private Optional<AgentTelemetry> built() {
        try {
            return Optional.of(telemetry.get(remainingNanos(), TimeUnit.NANOSECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private long remainingNanos() {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }
}
