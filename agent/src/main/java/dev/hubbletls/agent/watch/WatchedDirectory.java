package dev.hubbletls.agent.watch;

import dev.hubbletls.agent.tls.MaterialException;
import dev.hubbletls.agent.tls.MaterialLoader;
import dev.hubbletls.agent.tls.MaterialProblem;
import dev.hubbletls.agent.tls.PemReader;
import dev.hubbletls.agent.tls.ServerTlsFiles;
import dev.hubbletls.agent.tls.TlsFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A directory of TLS files to watch: which files count, and how to tell a set caught half
 * way through an update from a finished one.
 *
 * @param label      what the directory holds, for logs and reports
 * @param directory  the directory
 * @param fileNames  the files whose versions count
 * @param finished   whether the files on disk look finished; false right after a change
 *                   means "read again after the recheck delay before judging"
 */
public record WatchedDirectory(String label, Path directory, List<String> fileNames,
                               BooleanSupplier finished) {

    public WatchedDirectory {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(directory, "directory");
        fileNames = List.copyOf(fileNames);
        Objects.requireNonNull(finished, "finished");
    }

    /**
     * The relay's client material. A key that does not match its certificate right after
     * a change is most often the second file of the pair not written yet.
     */
    public static WatchedDirectory relayMaterial(TlsFiles files) {
        return new WatchedDirectory("relay client material", files.directory(),
                List.of(files.certificateName(), files.keyName(), files.caName()),
                () -> MaterialLoader.load(files).problems().stream()
                        .map(MaterialException::problem)
                        .noneMatch(WatchedDirectory::halfWritten));
    }

    /** The Hubble server's certificate and client CA, as the chart mounts them. */
    public static WatchedDirectory serverFiles(ServerTlsFiles files) {
        return new WatchedDirectory("Hubble server certificate", files.directory(),
                List.of(ServerTlsFiles.CERTIFICATE_NAME, ServerTlsFiles.CLIENT_CA_NAME),
                () -> readable(files.certificate()) && readable(files.clientCa()));
    }

    private static boolean readable(Path certificates) {
        try {
            PemReader.certificates(certificates);
            return true;
        } catch (MaterialException e) {
            return !halfWritten(e.problem());
        }
    }

    // An empty or truncated file, or a key beside the old certificate, is what a reader
    // sees between the writes of one update.
    private static boolean halfWritten(MaterialProblem problem) {
        return problem == MaterialProblem.KEY_MISMATCH || problem == MaterialProblem.EMPTY
                || problem == MaterialProblem.NOT_PEM;
    }
}
