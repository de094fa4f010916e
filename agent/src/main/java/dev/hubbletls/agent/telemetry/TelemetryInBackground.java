package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckReport;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * {@link AgentTelemetry} built on a thread of its own while the first check pass runs.
 * Setting up the OpenTelemetry SDK from the {@code OTEL_*} variables loads some 400
 * classes: about 200 ms on a small node that the first pass would otherwise wait for
 * before it could start. Recording waits for the build; in practice it is done long
 * before the first pass is.
 */
public final class TelemetryInBackground implements AutoCloseable {

    private final CompletableFuture<AgentTelemetry> telemetry = new CompletableFuture<>();

    private TelemetryInBackground() {
    }

    /** Starts {@code build} on a daemon thread. */
    public static TelemetryInBackground start(Supplier<AgentTelemetry> build) {
        TelemetryInBackground background = new TelemetryInBackground();
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
     * {@code InvalidSettingException} of a malformed {@code OTEL_*} variable.
     */
    public AgentTelemetry await() {
        try {
            return telemetry.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** See {@link AgentTelemetry#record}; nothing when the build failed. */
    public void record(CheckReport report) {
        built().ifPresent(built -> built.record(report));
    }

    /** See {@link AgentTelemetry#recordRotation}; nothing when the build failed. */
    public void recordRotation(String file) {
        built().ifPresent(built -> built.recordRotation(file));
    }

    /** Waits for a build in progress, then closes what it built. */
    @Override
    public void close() {
        built().ifPresent(AgentTelemetry::close);
    }

    // A failed build is reported once, by await() on the thread that starts the agent.
    private Optional<AgentTelemetry> built() {
        try {
            return Optional.of(telemetry.join());
        } catch (CompletionException e) {
            return Optional.empty();
        }
    }
}
