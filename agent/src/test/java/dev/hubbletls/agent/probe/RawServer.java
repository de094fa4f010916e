package dev.hubbletls.agent.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** A plain TCP server on a loopback port that misbehaves in one chosen way. */
final class RawServer implements AutoCloseable {

    /** What the server does with each connection. */
    enum Behaviour {
        /** Accept and say nothing until the client gives up. */
        SILENT,
        /** Answer with bytes that are neither TLS nor HTTP. */
        GARBAGE,
        /** Close the connection at once. */
        CLOSE,
        /** Answer as a plaintext gRPC server does: an HTTP/2 SETTINGS frame. */
        PLAINTEXT_HTTP2,
        /** Start a TLS record, then send one byte every 100 ms. */
        TRICKLE,
        /** Reset the connection at once (TCP RST), as an overloaded or filtering peer does. */
        RESET
    }

    private static final byte[] SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

    private final ServerSocket listener;
    private final Behaviour behaviour;
    private final CountDownLatch stop = new CountDownLatch(1);

    RawServer(Behaviour behaviour) throws IOException {
        this.listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        Thread.ofPlatform().daemon().name("raw-server").start(this::serve);
    }

    ProbeTarget target(String serverName) {
        return new ProbeTarget("127.0.0.1", listener.getLocalPort(), serverName);
    }

    @Override
    public void close() throws IOException {
        stop.countDown();
        listener.close();
    }

    private void serve() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> misbehave(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void misbehave(Socket client) {
        if (behaviour == Behaviour.RESET) {
            reset(client);
            return;
        }
        try (client) {
            OutputStream out = client.getOutputStream();
            switch (behaviour) {
                case SILENT -> stop.await();
                case GARBAGE -> out.write("\u0007\u0001 nothing to see here\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                case CLOSE -> out.flush();
                case PLAINTEXT_HTTP2 -> out.write(SETTINGS);
                case TRICKLE -> trickle(out);
            }
            out.flush();
            if (behaviour != Behaviour.CLOSE) {
                stop.await();
            }
        } catch (IOException e) {
            // The client hung up; nothing to report.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reset(Socket client) {
        try {
            // A zero linger time makes close() send RST instead of FIN.
            client.setSoLinger(true, 0);
            client.close();
        } catch (IOException e) {
            // The client hung up first; nothing to report.
        }
    }

    private void trickle(OutputStream out) throws IOException, InterruptedException {
        // A handshake record header announcing 16 KiB, whose body then never quite arrives.
        out.write(new byte[] {0x16, 0x03, 0x03, 0x40, 0x00});
        out.flush();
        while (stop.getCount() > 0) {
            out.write(0x02);
            out.flush();
            Thread.sleep(100);
        }
    }
}
