package dev.hubbletls.agent.check;

import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.watch.DirectoryChange;
import dev.hubbletls.agent.watch.Rotation;
import dev.hubbletls.agent.watch.RotationLog;
import dev.hubbletls.agent.watch.TlsDirectoryWatcher;
import dev.hubbletls.agent.watch.WatchMode;
import dev.hubbletls.agent.watch.WatchStatus;
import dev.hubbletls.agent.watch.WatchTiming;
import dev.hubbletls.agent.watch.WatchedDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The agent as a node service: the check loop, a watcher on each TLS directory, and
 * re-probes while the server has not yet switched to a new certificate. A rotation is
 * logged, kept in the rotation log and followed by a pass at once.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Agent.class.getName());
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

    /**
     * The delays of the agent's reactions.
     *
     * @param watch           the watchers' delays
     * @param reprobeInterval time between passes while the server has not switched to the
     *                        certificate on disk
     * @param reloadBound     how long the server may take to switch before it is critical
     */
    public record Timing(WatchTiming watch, Duration reprobeInterval, Duration reloadBound) {

        /** Watcher defaults, re-probes every 5 s (Cilium's reload poll), a 2 min bound. */
        public static final Timing DEFAULTS = new Timing(WatchTiming.DEFAULTS,
                Duration.ofSeconds(5), ServerFilesCheck.DEFAULT_RELOAD_BOUND);

        public Timing {
            Objects.requireNonNull(watch, "watch");
            Objects.requireNonNull(reprobeInterval, "reprobeInterval");
            Objects.requireNonNull(reloadBound, "reloadBound");
        }
    }

    private final CheckPass pass;
    private final CheckLoop loop;
    private final List<TlsDirectoryWatcher> watchers;
    private final RotationLog rotations = new RotationLog();
    private final List<Rotation> unjudged = new ArrayList<>();
    private final AtomicLong rotationCount = new AtomicLong();
    private final Duration reprobeInterval;
    private final ScheduledExecutorService reprobes;
    private final AtomicReference<ScheduledFuture<?>> reprobe = new AtomicReference<>();
    private final Consumer<CheckReport> listener;

    private Agent(AgentSettings settings, Clock clock, Timing timing, RandomGenerator random,
                  UnaryOperator<Supplier<CheckReport>> around, Consumer<CheckReport> listener) {
        this.listener = listener;
        this.reprobeInterval = timing.reprobeInterval();
        this.pass = CheckPass.create(settings, clock, timing.reloadBound());
        this.loop = new CheckLoop(around.apply(this::runPass), settings.interval(),
                this::passed, random);
        List<WatchedDirectory> directories = new ArrayList<>();
        directories.add(WatchedDirectory.relayMaterial(settings.tlsFiles()));
        settings.serverTlsFiles().map(WatchedDirectory::serverFiles).ifPresent(directories::add);
        this.watchers = directories.stream()
                .map(directory -> new TlsDirectoryWatcher(directory, timing.watch(), clock,
                        this::changed))
                .toList();
        this.reprobes = Executors.newSingleThreadScheduledExecutor(runnable ->
                Thread.ofPlatform().daemon().name("reprobe").unstarted(runnable));
    }

    /** An agent with production delays; {@code listener} hears every report. */
    public static Agent create(AgentSettings settings, Clock clock,
                               Consumer<CheckReport> listener) {
        return create(settings, clock, UnaryOperator.identity(), listener);
    }

    /**
     * An agent with production delays whose passes run inside {@code around}, which may
     * time them or add findings; {@code listener} hears every report.
     */
    public static Agent create(AgentSettings settings, Clock clock,
                               UnaryOperator<Supplier<CheckReport>> around,
                               Consumer<CheckReport> listener) {
        return new Agent(settings, clock, Timing.DEFAULTS, RandomGenerator.getDefault(), around,
                listener);
    }

    /** An agent with the given delays and jitter source; {@code listener} hears every report. */
    public static Agent create(AgentSettings settings, Clock clock, Timing timing,
                               RandomGenerator random, Consumer<CheckReport> listener) {
        return new Agent(settings, clock, timing, random, UnaryOperator.identity(), listener);
    }

    /** Starts watching, then runs the first pass, so that no rotation falls between them. */
    public void start() {
        watchers.forEach(TlsDirectoryWatcher::start);
        loop.start();
    }

    /** The report of the last pass that finished, if any. */
    public Optional<CheckReport> latest() {
        return loop.latest();
    }

    /** The recent rotations, and the place to subscribe to new ones. */
    public RotationLog rotations() {
        return rotations;
    }

    private CheckReport runPass() {
        List<Rotation> judged;
        synchronized (unjudged) {
            judged = List.copyOf(unjudged);
            unjudged.clear();
        }
        return pass.run().withRotations(judged).with(watchFinding());
    }

    private void changed(DirectoryChange change) {
        for (Rotation rotation : change.rotations()) {
            rotations.record(rotation);
            rotationCount.incrementAndGet();
            LOG.info(rotation.describe() + "; checking now");
        }
        synchronized (unjudged) {
            unjudged.addAll(change.rotations());
        }
        loop.runNow();
    }

    private void passed(CheckReport report) {
        boolean pending = report.finding(CheckId.SERVER_RELOAD)
                .filter(finding -> finding.reason() == Reason.SERVER_RELOAD_PENDING)
                .isPresent();
        if (pending) {
            reprobeLater();
        }
        listener.accept(report);
    }

    // One re-probe at a time: each pass that still finds the server behind asks for the next.
    private void reprobeLater() {
        ScheduledFuture<?> current = reprobe.get();
        if (current != null && !current.isDone()) {
            return;
        }
        try {
            reprobe.set(reprobes.schedule(loop::runNow, reprobeInterval.toMillis(),
                    TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            LOG.fine("the agent is stopping; no re-probe");
        }
    }

    private Finding watchFinding() {
        List<WatchStatus> statuses = watchers.stream().map(TlsDirectoryWatcher::status).toList();
        Optional<WatchStatus> missing = statuses.stream()
                .filter(status -> status.mode() == WatchMode.MISSING).findFirst();
        Finding finding = missing
                .map(status -> Finding.of(CheckId.TLS_WATCH, Status.ERROR, Reason.FILE_MISSING,
                        "The directory " + status.directory() + " (" + status.label() + ")"
                                + " does not exist: check that its volume is mounted. The"
                                + " agent waits for it and checks as soon as it appears."))
                .orElseGet(() -> Finding.ok(CheckId.TLS_WATCH, "Watching " + statuses.stream()
                        .map(status -> status.directory() + " (" + status.mode().label() + ")")
                        .collect(Collectors.joining(" and ")) + "; rotations seen since"
                        + " start: " + rotationCount.get() + "."));
        for (WatchStatus status : statuses) {
            finding = finding.with(status.directory().toString(), status.mode().label() + " since "
                    + status.since() + ": " + status.why());
        }
        return finding;
    }

    /** Stops watching and the loop after the pass in progress, waiting at most {@code bound}. */
    public void stop(Duration bound) throws InterruptedException {
        watchers.forEach(TlsDirectoryWatcher::close);
        reprobes.shutdownNow();
        loop.stop(bound);
    }

    @Override
    public void close() {
        try {
            stop(CLOSE_BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pass.close();
        }
    }
}
