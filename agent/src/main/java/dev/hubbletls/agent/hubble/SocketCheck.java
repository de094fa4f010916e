package dev.hubbletls.agent.hubble;

import dev.hubbletls.agent.hubble.HubbleException.Kind;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Looks at the socket path before gRPC does, so that a missing socket, a directory or a
 * permission problem is named as such rather than as gRPC's generic UNAVAILABLE.
 */
final class SocketCheck {

    private final Path socket;

    SocketCheck(Path socket) {
        this.socket = socket;
    }

    /** Fails with an UNREACHABLE exception naming the problem when the path cannot work. */
    void ensureReachable() throws HubbleException {
        if (Files.notExists(socket)) {
            throw missing(null);
        }
        if (!Files.exists(socket)) {
            // Neither exists nor not-exists: stat failed, so a parent is not searchable.
            throw unreachable("the Hubble socket " + socket + " cannot be looked at: a"
                    + " directory on its path is not searchable by this process; " + remedy());
        }
        if (Files.isDirectory(socket)) {
            throw unreachable(socket + " is a directory, not the Hubble socket: a hostPath"
                    + " volume of the socket itself creates an empty directory when the socket"
                    + " does not exist yet; mount the directory /var/run/cilium instead");
        }
        if (Files.isRegularFile(socket)) {
            throw unreachable(socket + " is a regular file, not the Hubble socket: check the"
                    + " socket path against Cilium's hubble-socket-path"
                    + " (default /var/run/cilium/hubble.sock)");
        }
        if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
            throw permissionDenied(null);
        }
    }

    /** The exception for a call that failed with UNAVAILABLE, named by its cause. */
    HubbleException unavailable(String method, Throwable error) {
        String cause = causeText(error);
        if (cause.contains("Permission denied")) {
            return permissionDenied(error);
        }
        if (cause.contains("No such file")) {
            return missing(error);
        }
        if (cause.contains("Connection refused")) {
            return new HubbleException(Kind.UNREACHABLE, "nothing listens on the Hubble socket "
                    + socket + " (connection refused): the file is left over from a Cilium"
                    + " agent that stopped; is cilium-agent running on this node with Hubble"
                    + " enabled (enable-hubble=true)?", error);
        }
        return new HubbleException(Kind.UNREACHABLE, "cannot reach the Hubble socket " + socket
                + " for " + method + " (" + cause + "): is cilium-agent running on this node"
                + " with Hubble enabled (enable-hubble=true)?", error);
    }

    private HubbleException missing(Throwable error) {
        return new HubbleException(Kind.UNREACHABLE, "the Hubble socket " + socket
                + " does not exist: is Cilium running on this node with Hubble enabled"
                + " (enable-hubble=true)? In a pod, the host's /var/run/cilium must be mounted"
                + " at " + socket.getParent() + ", the directory of --socket.", error);
    }

    private HubbleException permissionDenied(Throwable error) {
        return new HubbleException(Kind.UNREACHABLE, "permission denied: this process may"
                + " not connect to the Hubble socket " + socket + " (" + ownership() + "): "
                + remedy(), error);
    }

    private HubbleException unreachable(String message) {
        return new HubbleException(Kind.UNREACHABLE, message);
    }

    private static String remedy() {
        return "run with the cilium group id in the pod's securityContext.supplementalGroups"
                + " (Cilium creates the socket with mode 0660 and group cilium), or as root";
    }

    private String ownership() {
        try {
            return "mode " + PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))
                    + ", uid " + Files.getAttribute(socket, "unix:uid")
                    + ", gid " + Files.getAttribute(socket, "unix:gid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "its owner and mode cannot be read: " + e.getMessage();
        }
    }

    private static String causeText(Throwable error) {
        StringBuilder text = new StringBuilder(String.valueOf(
                Status.fromThrowable(error).getDescription()));
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            text.append("; ").append(cause.getMessage());
        }
        return text.toString();
    }
}
