package dev.hubbletls.agent.hubble;

import dev.hubbletls.agent.hubble.HubbleException.Kind;
import dev.hubbletls.agent.hubble.proto.observer.ObserverGrpc;
import dev.hubbletls.agent.hubble.proto.observer.ServerStatusRequest;
import dev.hubbletls.agent.hubble.proto.peer.NotifyRequest;
import dev.hubbletls.agent.hubble.proto.peer.PeerGrpc;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link HubbleClient} speaking plain gRPC over the node-local Hubble unix socket, the way
 * the {@code hubble} CLI inside the Cilium pod does.
 */
public final class SocketHubbleClient implements HubbleClient, AutoCloseable {

    /** Where Cilium puts the socket by default (agent flag {@code hubble-socket-path}). */
    public static final String DEFAULT_SOCKET = "unix:///var/run/cilium/hubble.sock";
    /** How long the peer list may stay silent before the search ends: {@value} ms. */
    public static final long DEFAULT_QUIET_GAP_MILLIS = 300;

    private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(2);
    private static final String NOTIFY = "peer.Peer/Notify";
    private static final String SERVER_STATUS = "observer.Observer/ServerStatus";

    private final Path socket;
    private final Duration quietGap;
    private final SocketCheck check;
    private final ManagedChannel channel;

    private SocketHubbleClient(Path socket, Duration quietGap) {
        this.socket = socket;
        this.quietGap = quietGap;
        this.check = new SocketCheck(socket);
        this.channel = channel(socket);
    }

    /**
     * A client for the socket at a path or {@code unix://} URI, ending the peer search after
     * {@value #DEFAULT_QUIET_GAP_MILLIS} ms of silence. The socket is first touched by a call.
     *
     * @throws IllegalArgumentException naming the value when it is neither
     */
    public static SocketHubbleClient open(String pathOrUri) {
        return open(socketPath(pathOrUri), Duration.ofMillis(DEFAULT_QUIET_GAP_MILLIS));
    }

    /** A client for the socket at {@code socket}, with the given quiet gap for peer searches. */
    public static SocketHubbleClient open(Path socket, Duration quietGap) {
        Objects.requireNonNull(quietGap, "quietGap");
        if (quietGap.isNegative() || quietGap.isZero()) {
            throw new IllegalArgumentException("quiet gap " + quietGap + " is not positive");
        }
        return new SocketHubbleClient(socket.toAbsolutePath(), quietGap);
    }

    /**
     * The socket path in {@code /path/hubble.sock} or {@code unix:///path/hubble.sock}.
     *
     * @throws IllegalArgumentException naming the value when it is neither
     */
    public static Path socketPath(String pathOrUri) {
        if (pathOrUri == null || pathOrUri.isBlank()) {
            throw new IllegalArgumentException("Hubble socket is empty; expected a path or "
                    + DEFAULT_SOCKET);
        }
        if (!pathOrUri.startsWith("unix:")) {
            return Path.of(pathOrUri);
        }
        try {
            URI uri = new URI(pathOrUri);
            if (uri.getPath() == null || uri.getPath().isEmpty()
                    || (uri.getAuthority() != null && !uri.getAuthority().isEmpty())) {
                throw new URISyntaxException(pathOrUri, "expected unix:///absolute/path");
            }
            return Path.of(uri.getPath());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Hubble socket '" + pathOrUri
                    + "' is not a unix:///absolute/path URI: " + e.getMessage(), e);
        }
    }

    /** The socket this client talks to. */
    public Path socket() {
        return socket;
    }

    @Override
    public ServerStatus serverStatus(Duration timeout) throws HubbleException {
        check.ensureReachable();
        dialAfresh();
        try {
            return ServerStatus.from(ObserverGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .serverStatus(ServerStatusRequest.getDefaultInstance()));
        } catch (StatusRuntimeException e) {
            throw failure(SERVER_STATUS, timeout, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>With Cluster Mesh a bare node name may match nodes of several clusters; the first
     * one listed wins, so pass {@code <cluster>/<node>} there.
     *
     * @throws IllegalArgumentException when {@code nodeName} is not {@code <node>} or
     *                                  {@code <cluster>/<node>}
     */
    @Override
    public PeerSearch findPeer(String nodeName, Duration timeout) throws HubbleException {
        NodeName wanted = NodeName.parse(nodeName);
        check.ensureReachable();
        dialAfresh();
        PeerStream stream = new PeerStream();
        PeerGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .notify(NotifyRequest.getDefaultInstance(), stream);
        try {
            return search(wanted, stream, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubbleException(Kind.TIMEOUT, "interrupted while reading " + NOTIFY
                    + " from the Hubble socket " + socket, e);
        } finally {
            stream.cancel();
        }
    }

    /** Closes the channel, waiting at most two seconds for calls in flight. */
    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(SHUTDOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // After a refused connection the channel stays failed until a growing backoff (up to
    // two minutes) ends, and answers every call meanwhile with the old refusal. A pass must
    // judge the socket as it is now, such as a Cilium agent that has just restarted, so a
    // failed channel starts over from idle and the call dials afresh.
    private void dialAfresh() {
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.enterIdle();
        }
    }

    // The stream never ends by itself: it lists every node, then waits for changes. So the
    // search ends when the node arrives, after a quiet gap following the last message, or at
    // the deadline. Before the first message there is no gap: a silent server is a timeout.
    private PeerSearch search(NodeName wanted, PeerStream stream, Duration timeout)
            throws HubbleException, InterruptedException {
        PeerDirectory directory = new PeerDirectory(wanted);
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietEnd = deadline;
        while (true) {
            long end = directory.heardAny() && quietEnd - deadline < 0 ? quietEnd : deadline;
            PeerStream.Event event = stream.next(end - System.nanoTime());
            switch (event) {
                case PeerStream.Next next -> {
                    if (directory.apply(next.change())) {
                        return resultOf(wanted, directory);
                    }
                    quietEnd = System.nanoTime() + quietGap.toNanos();
                }
                case PeerStream.Silence silence -> {
                    if (!directory.heardAny()) {
                        throw timedOut(NOTIFY, timeout, null);
                    }
                    return resultOf(wanted, directory);
                }
                case PeerStream.Completed completed -> {
                    return resultOf(wanted, directory);
                }
                case PeerStream.Failed failed -> {
                    if (directory.heardAny() && isDeadline(failed.error())) {
                        return resultOf(wanted, directory);
                    }
                    throw failure(NOTIFY, timeout, failed.error());
                }
            }
        }
    }

    private PeerSearch resultOf(NodeName wanted, PeerDirectory directory)
            throws HubbleException {
        try {
            return directory.result();
        } catch (IllegalArgumentException e) {
            throw new HubbleException(Kind.UNUSABLE_ADDRESS, "the Hubble server on " + socket
                    + " lists node " + wanted + " with an address that cannot be dialled ("
                    + e.getMessage() + "), so Relay cannot reach that node either: check"
                    + " hubble-listen-address in cilium-config and the node's addresses", e);
        }
    }

    private HubbleException timedOut(String method, Duration timeout, Throwable error) {
        return new HubbleException(Kind.TIMEOUT, "the Hubble socket " + socket
                + " did not answer " + method + " within " + timeout.toMillis() + " ms: the"
                + " Cilium agent may be starting or overloaded, or another program listens on"
                + " this path; retry, and check the cilium-agent log", error);
    }

    private static boolean isDeadline(Throwable error) {
        return Status.fromThrowable(error).getCode() == Status.Code.DEADLINE_EXCEEDED;
    }

    private HubbleException failure(String method, Duration timeout, Throwable error) {
        Status status = Status.fromThrowable(error);
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> timedOut(method, timeout, error);
            case UNAVAILABLE -> check.unavailable(method, error);
            case UNIMPLEMENTED -> new HubbleException(Kind.PROTOCOL, "the server on " + socket
                    + " does not implement " + method + ": it is not the Cilium agent's Hubble"
                    + " socket; check the path (hubble-socket-path)", error);
            default -> new HubbleException(Kind.PROTOCOL, "the Hubble socket " + socket
                    + " answered " + method + " with " + status.getCode() + ": "
                    + status.getDescription(), error);
        };
    }

    private static ManagedChannel channel(Path socket) {
        ManagedChannelBuilder<?> builder =
                Grpc.newChannelBuilder(target(socket), InsecureChannelCredentials.create());
        if (builder instanceof NettyChannelBuilder netty) {
            // gRPC asks for TCP keepalive on every channel; a unix socket has no such option,
            // and netty would log a warning on each connection.
            netty.withOption(ChannelOption.SO_KEEPALIVE, null);
        }
        return builder.userAgent("hubble-tls-agent").build();
    }

    private static String target(Path socket) {
        try {
            return new URI("unix", null, socket.toString(), null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Hubble socket path '" + socket
                    + "' cannot be written as a unix: URI: " + e.getMessage(), e);
        }
    }
}
