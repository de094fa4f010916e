package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyFormat;
import dev.hubbletls.agent.tls.PemWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server} as an independent TLS 1.3 peer: it completes the handshake
 * (requiring a client certificate) and then speaks no HTTP/2, because its stdin stays open
 * and silent.
 */
final class OpensslTlsPeer implements AutoCloseable {

    private static final Duration START_BOUND = Duration.ofSeconds(5);

    private final Process process;
    private final int port;

    private OpensslTlsPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts s_server on a free loopback port with {@code server}'s chain and key. */
    static OpensslTlsPeer start(Path dir, IssuedCertificate server, X509Certificate clientCa,
                                String... extraArgs) throws IOException, InterruptedException {
        Path cert = write(dir, "server.crt", PemWriter.certificates(server.withChain()));
        Path key = write(dir, "server.key", PemWriter.privateKey(server.privateKey(),
                KeyFormat.PKCS8));
        Path ca = write(dir, "client-ca.crt", PemWriter.certificates(List.of(clientCa)));
        Path log = dir.resolve("s_server.log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("openssl", "s_server",
                "-accept", "127.0.0.1:" + port, "-cert", cert.toString(),
                "-key", key.toString(), "-CAfile", ca.toString(), "-Verify", "1"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        OpensslTlsPeer peer = new OpensslTlsPeer(process, port);
        peer.awaitAccepting(log);
        return peer;
    }

    int port() {
        return port;
    }

    private void awaitAccepting(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (!Files.readString(log).contains("ACCEPT")) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                close();
                throw new IOException("openssl s_server did not start: " + Files.readString(log));
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
    }

    private static Path write(Path dir, String name, String pem) throws IOException {
        return Files.writeString(dir.resolve(name), pem);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
