package dev.hubbletls.agent.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A directory updated the way kubelet updates a projected or secret volume: each version
 * goes into a new hidden timestamped directory, a {@code ..data_tmp} symlink to it is
 * renamed over {@code ..data}, and the visible files are symlinks into {@code ..data/}.
 * The visible entries never change; only {@code ..data} moves.
 */
public final class ProjectedVolume {

    private static final String DATA = "..data";
    private static final String DATA_TMP = "..data_tmp";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Clock clock;
    private final AtomicLong versions = new AtomicLong();

    public ProjectedVolume(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /** The directory the visible files live in. */
    public Path directory() {
        return directory;
    }

    /** Publishes a new version of the files, in kubelet's order of steps. */
    public void publish(Map<String, byte[]> files) throws IOException {
        Files.createDirectories(directory);
        Path previous = currentVersion();
        Path version = directory.resolve(".." + STAMP.format(clock.instant()) + "."
                + versions.incrementAndGet());
        Files.createDirectory(version);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(version.resolve(file.getKey()), file.getValue());
        }
        Path tmp = directory.resolve(DATA_TMP);
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, directory.resolve(DATA), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        for (String name : files.keySet()) {
            Path visible = directory.resolve(name);
            if (!Files.exists(visible, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(visible, Path.of(DATA, name));
            }
        }
        if (previous != null) {
            deleteTree(previous);
        }
    }

    private Path currentVersion() throws IOException {
        Path data = directory.resolve(DATA);
        if (!Files.isSymbolicLink(data)) {
            return null;
        }
        return directory.resolve(Files.readSymbolicLink(data));
    }

    /** Removes the directory and everything in it. */
    public void delete() throws IOException {
        deleteTree(directory);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
