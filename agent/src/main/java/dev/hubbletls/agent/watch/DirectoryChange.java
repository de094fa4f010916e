package dev.hubbletls.agent.watch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What changed in a watched directory once a burst of events settled: the snapshots on
 * either side and the rotations among the differences. A change without rotations is a
 * file or the whole directory going away.
 *
 * @param directory the watched directory
 * @param before    what it held before
 * @param after     what it holds now
 * @param rotations the files that now hold a version not seen just before
 */
public record DirectoryChange(Path directory, DirectorySnapshot before, DirectorySnapshot after,
                              List<Rotation> rotations) {

    public DirectoryChange {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        rotations = List.copyOf(rotations);
    }
}
