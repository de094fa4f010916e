package dev.hubbletls.agent.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows one directory of TLS files and reports each settled change of their contents.
 *
 * <p>The kernel's events only say that something happened; what happened is decided by
 * comparing SHA-256 fingerprints of the visible files before and after. That one rule
 * covers kubelet's atomic {@code ..data} swap (no visible entry changes, only the symlink
 * they point through), files renamed over each other, and writes in place. A burst of
 * events is judged once it settles; a set that looks half-written is read again after a
 * short delay. When the directory vanishes, is replaced or cannot be watched, the watcher
 * reads it on an interval and watches it again as soon as it can.
 *
 * <p>States: WATCHING (a registered key) and POLLING or MISSING (no key). All state except
 * {@link #status()} belongs to the watcher's own thread once {@link #start()} returns.
 */
public final class TlsDirectoryWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TlsDirectoryWatcher.class.getName());
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    private final WatchedDirectory target;
    private final WatchTiming timing;
    private final Clock clock;
    private final Consumer<DirectoryChange> listener;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, FileVersion> lastSeen = new HashMap<>();
    private volatile WatchStatus status;
    private WatchService service;
    private WatchKey key;
    private Object directoryIdentity;
    private DirectorySnapshot last;
    private Thread thread;

    public TlsDirectoryWatcher(WatchedDirectory target, WatchTiming timing, Clock clock,
                               Consumer<DirectoryChange> listener) {
        this.target = Objects.requireNonNull(target, "target");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Reads the files as they are now, the baseline later changes are compared with, and
     * starts following the directory. Any change made after this returns is reported.
     */
    public void start() {
        last = snapshot();
        remember(last);
        service = openService();
        watch();
        thread = Thread.ofPlatform().daemon().name("tls-watch " + target.directory())
                .start(this::run);
    }

    /** How the directory is followed now. */
    public WatchStatus status() {
        return status;
    }

    private void run() {
        while (closed.getCount() > 0) {
            try {
                if (key != null) {
                    followEvents();
                } else {
                    poll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                if (!recover(e)) {
                    return;
                }
            }
        }
    }

    // WATCHING: wait for an event, or rescan when none came within the rescan interval.
    private void followEvents() throws InterruptedException {
        WatchKey signalled = service.poll(timing.rescanInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        if (signalled != null && drained(signalled)) {
            settle();
        }
        if (key != null && (!key.isValid() || !sameDirectory())) {
            // A removed directory cancels its key. One renamed away keeps its key while the
            // path names another directory, so the identity is compared as well.
            LOG.fine(() -> "the watch on " + target.directory() + " ended; watching anew");
            key.cancel();
            key = null;
            watch();
        }
        scan();
    }

    // POLLING or MISSING: read the directory every poll interval and watch it once possible.
    private void poll() throws InterruptedException {
        if (closed.await(timing.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        watch();
        if (key != null) {
            // A directory that just appeared is most likely still being filled.
            settle();
        }
        scan();
    }

    /** Drains more events until none came for the settle delay, or the max settle passed. */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + timing.maxSettle().toNanos();
        while (true) {
            long wait = Math.min(timing.settle().toNanos(), deadline - System.nanoTime());
            if (wait <= 0) {
                return;
            }
            WatchKey more = service.poll(wait, TimeUnit.NANOSECONDS);
            if (more == null || !drained(more)) {
                return;
            }
        }
    }

    // Which events came does not matter: the fingerprints decide. An overflow only means
    // events were dropped, and the full rescan that follows every burst covers it.
    private boolean drained(WatchKey signalled) {
        for (WatchEvent<?> event : signalled.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                LOG.fine(() -> "events on " + target.directory() + " overflowed; rescanning");
            }
        }
        return signalled.reset();
    }

    private void scan() throws InterruptedException {
        DirectorySnapshot now = snapshot();
        if (now.equals(last)) {
            return;
        }
        // The files are read one after another, so a second read that differs means an
        // update was still landing while the first one ran.
        boolean finished = target.finished().getAsBoolean();
        if (!finished || !snapshot().equals(now)) {
            LOG.fine(() -> target.directory() + " looks half-written; reading it again in "
                    + timing.recheckDelay().toMillis() + " ms");
            if (closed.await(timing.recheckDelay().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            now = snapshot();
        }
        DirectoryChange change = new DirectoryChange(target.directory(), last, now,
                rotations(now));
        last = now;
        remember(now);
        deliver(change);
    }

    private List<Rotation> rotations(DirectorySnapshot now) {
        List<Rotation> rotations = new ArrayList<>();
        for (String name : target.fileNames()) {
            Optional<FileVersion> before = Optional.ofNullable(lastSeen.get(name));
            now.file(name)
                    .filter(after -> before.map(FileVersion::sha256)
                            .filter(after.sha256()::equals).isEmpty())
                    .ifPresent(after -> rotations.add(new Rotation(
                            target.directory().resolve(name), before, after, clock.instant())));
        }
        return rotations;
    }

    // A file that vanishes keeps its last version here, so that its return with the same
    // content is no rotation.
    private void remember(DirectorySnapshot snapshot) {
        lastSeen.putAll(snapshot.files());
    }

    private void deliver(DirectoryChange change) {
        try {
            listener.accept(change);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the listener of " + target.directory() + " failed on a"
                    + " change; watching goes on", e);
        }
    }

    /** Registers the directory when it exists and can be watched; sets the status either way. */
    private void watch() {
        Path directory = target.directory();
        if (!Files.isDirectory(directory)) {
            enter(WatchMode.MISSING, "the directory does not exist; waiting for it, reading"
                    + " every " + timing.pollInterval().toMillis() + " ms");
            return;
        }
        if (service == null) {
            enter(WatchMode.POLLING, "the file system offers no watch service here; reading"
                    + " every " + timing.pollInterval().toMillis() + " ms");
            return;
        }
        try {
            key = directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            directoryIdentity = identity(directory);
            enter(WatchMode.WATCHING, "changes are reported by the kernel");
        } catch (IOException e) {
            enter(WatchMode.POLLING, "the directory cannot be watched (" + e.getMessage()
                    + "); reading every " + timing.pollInterval().toMillis() + " ms");
        }
    }

    private boolean sameDirectory() {
        return Objects.equals(identity(target.directory()), directoryIdentity);
    }

    private void enter(WatchMode mode, String why) {
        WatchStatus before = status;
        if (before != null && before.mode() == mode) {
            return;
        }
        status = new WatchStatus(target.label(), target.directory(), mode, why, clock.instant());
        String line = target.label() + " in " + target.directory() + ": " + mode.label()
                + ", " + why;
        if (mode == WatchMode.WATCHING) {
            LOG.info(line);
        } else {
            LOG.warning(line);
        }
    }

    // Something unforeseen failed; drop the watch and read on the poll interval instead,
    // so that one bad moment never ends the watching.
    private boolean recover(RuntimeException e) {
        LOG.log(Level.WARNING, "watching " + target.directory() + " failed unexpectedly;"
                + " reading it every " + timing.pollInterval().toMillis() + " ms", e);
        if (key != null) {
            key.cancel();
            key = null;
            enter(WatchMode.POLLING, "the watch failed (" + e + "); reading every "
                    + timing.pollInterval().toMillis() + " ms until it can be watched again");
        }
        try {
            return !closed.await(timing.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private DirectorySnapshot snapshot() {
        return DirectorySnapshot.take(target.directory(), target.fileNames());
    }

    private WatchService openService() {
        try {
            return FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "no watch service (" + e.getMessage() + "); "
                    + target.directory() + " is read every " + timing.pollInterval().toMillis()
                    + " ms instead", e);
            return null;
        }
    }

    private static Object identity(Path directory) {
        try {
            return Files.readAttributes(directory, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Stops following the directory, waiting briefly for the watcher thread to end. */
    @Override
    public void close() {
        closed.countDown();
        try {
            if (service != null) {
                service.close();
            }
            if (thread != null) {
                thread.join(CLOSE_BOUND);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the watch service of " + target.directory(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
