package dev.hubbletls.agent.check;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Runs check passes one after another on an interval with jitter, so that the agents of a
 * large cluster do not all dial at the same instant, and at once when asked (after a
 * rotation). A pass that throws is logged and the loop goes on; the last good report is kept.
 */
public final class CheckLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CheckLoop.class.getName());
    /** Each wait is the interval plus or minus this fraction of it. */
    static final double JITTER = 0.1;

    private final Supplier<CheckReport> pass;
    private final Duration interval;
    private final Consumer<CheckReport> listener;
    private final RandomGenerator random;
    private final ScheduledExecutorService scheduler;
    private final AtomicReference<CheckReport> latest = new AtomicReference<>();
    private final Object lock = new Object();
    /** A pass is running. Guarded by {@code lock}, as are the fields below. */
    private boolean running;
    /** A pass was requested while one ran. */
    private boolean rerun;
    /** A pass requested now is waiting to start. */
    private boolean queued;
    /** The next pass, requested or periodic. */
    private ScheduledFuture<?> next;

    public CheckLoop(Supplier<CheckReport> pass, Duration interval,
                     Consumer<CheckReport> listener, RandomGenerator random) {
        this.pass = Objects.requireNonNull(pass, "pass");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.random = Objects.requireNonNull(random, "random");
        this.scheduler = newScheduler();
    }

    // The next pass, already scheduled, must not run after stop(): by default a scheduled
    // executor still runs delayed tasks after shutdown, and stop() would wait for it.
    private static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "check-loop");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** Runs the first pass now and the next ones every interval, give or take the jitter. */
    public void start() {
        runNow();
    }

    /**
     * Runs a pass as soon as possible; the interval counts again from its end. Requests
     * coalesce: while a pass runs, any number of them cause exactly one more pass right
     * after it, and one already queued absorbs the next.
     */
    public void runNow() {
        synchronized (lock) {
            if (running) {
                rerun = true;
                return;
            }
            if (queued || scheduler.isShutdown()) {
                return;
            }
            if (next != null) {
                next.cancel(false);
            }
            queued = true;
            next = scheduler.schedule(this::runPass, 0, TimeUnit.MILLISECONDS);
        }
    }

    /** The report of the last pass that finished, if any. */
    public Optional<CheckReport> latest() {
        return Optional.ofNullable(latest.get());
    }

    private void runPass() {
        synchronized (lock) {
            queued = false;
            running = true;
        }
        try {
            CheckReport report = pass.get();
            latest.set(report);
            listener.accept(report);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "check pass failed; keeping the last report, next pass in "
                    + interval.toSeconds() + " s", e);
        } finally {
            scheduleNext();
        }
    }

    // Decided under the lock so that a request arriving as the pass ends is never lost:
    // it either saw the pass running and set rerun, or it comes after and queues its own.
    private void scheduleNext() {
        synchronized (lock) {
            running = false;
            if (scheduler.isShutdown()) {
                return;
            }
            long delayMillis = rerun ? 0 : nextDelay().toMillis();
            queued = rerun;
            rerun = false;
            next = scheduler.schedule(this::runPass, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The interval scaled by a random factor in [1 - JITTER, 1 + JITTER]. */
    Duration nextDelay() {
        double factor = 1 + JITTER * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(interval.toMillis() * factor));
    }

    /** Stops after the pass in progress, waiting at most {@code bound} for it. */
    public void stop(Duration bound) throws InterruptedException {
        synchronized (lock) {
            // A waiting pass would otherwise hold the shutdown for up to an interval.
            if (next != null) {
                next.cancel(false);
            }
            scheduler.shutdown();
        }
        if (!scheduler.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warning("check pass still running after " + bound.toMillis()
                    + " ms; abandoning it");
            scheduler.shutdownNow();
        }
    }

    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
