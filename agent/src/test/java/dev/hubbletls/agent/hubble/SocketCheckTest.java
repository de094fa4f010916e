package dev.hubbletls.agent.hubble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.hubble.HubbleException.Kind;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How gRPC's UNAVAILABLE is named by its cause; the socket tests cannot provoke EACCES as root. */
class SocketCheckTest {

    @TempDir
    Path dir;

    @Test
    void unavailableWithPermissionDenied_namesModeOwnerAndSupplementalGroups() throws Exception {
        Path socket = Files.createFile(dir.resolve("hubble.sock"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));

        HubbleException failure = new SocketCheck(socket).unavailable("peer.Peer/Notify",
                unavailable("connect(..) failed: Permission denied"));

        assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(failure.getMessage()).contains("permission denied", socket.toString(),
                "mode rw-rw----", "gid ", "supplementalGroups", "or as root");
    }

    @Test
    void unavailableForAnotherReason_keepsTheCauseAndNamesTheMethod() {
        Path socket = dir.resolve("hubble.sock");

        HubbleException failure = new SocketCheck(socket).unavailable("peer.Peer/Notify",
                unavailable("Connection reset by peer"));

        assertThat(failure.getMessage()).contains(socket.toString(), "peer.Peer/Notify",
                "Connection reset by peer", "enable-hubble=true");
        assertThat(failure.getCause()).isNotNull();
    }

    private static Throwable unavailable(String cause) {
        return Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new IOException(cause)).asRuntimeException();
    }
}
