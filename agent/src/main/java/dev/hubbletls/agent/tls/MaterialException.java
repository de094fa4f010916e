package dev.hubbletls.agent.tls;

import dev.hubbletls.agent.finding.Reason;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A TLS file that could not be used, with the kind of problem and a message that names
 * the file, what is wrong with it and what to do.
 */
public final class MaterialException extends Exception {

    private final transient Path file;
    private final MaterialProblem problem;

    public MaterialException(MaterialProblem problem, Path file, String message,
                             Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.file = Objects.requireNonNull(file, "file");
    }

    public MaterialException(MaterialProblem problem, Path file, String message) {
        this(problem, file, message, null);
    }

    /** What kind of problem it is. */
    public MaterialProblem problem() {
        return problem;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** The reason code a finding about this problem carries. */
    public Reason reason() {
        return problem.reason();
    }
}
