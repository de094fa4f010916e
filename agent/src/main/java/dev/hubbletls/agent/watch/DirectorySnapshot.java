package dev.hubbletls.agent.watch;

import dev.hubbletls.agent.tls.PemReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a watched directory held at one moment: whether it existed, and the version of each
 * watched file that could be read. Files are read through their symlinks, as a projected
 * volume's visible files point into {@code ..data/}.
 *
 * @param directoryPresent whether the directory existed
 * @param files            the version of each watched file that exists, by file name
 */
public record DirectorySnapshot(boolean directoryPresent, Map<String, FileVersion> files) {

    public DirectorySnapshot {
        files = Map.copyOf(files);
    }

    /** Reads the named files of {@code directory}; a file that cannot be read is left out. */
    public static DirectorySnapshot take(Path directory, List<String> names) {
        Map<String, FileVersion> files = new LinkedHashMap<>();
        for (String name : names) {
            read(directory.resolve(name)).ifPresent(content ->
                    files.put(name, FileVersion.of(content)));
        }
        return new DirectorySnapshot(Files.isDirectory(directory), files);
    }

    /** The version of {@code name}, if it existed. */
    public Optional<FileVersion> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    // Reading never throws: a missing or unreadable file is simply absent from the
    // snapshot, and the check pass names the problem.
    private static Optional<byte[]> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(in.readNBytes((int) PemReader.MAX_BYTES + 1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
