package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyFormat;
import dev.hubbletls.agent.tls.PemWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code openssl s_server} as a TLS peer, in {@code -rev} mode so that it answers the HTTP/2
 * preface line with bytes, as an accepting gRPC server answers with SETTINGS.
 */
final class OpensslServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;
    private final int port;

    private OpensslServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts s_server with {@code server}'s chain and key, trusting {@code clientCas} for
     * client certificates, with extra {@code options} such as {@code -Verify 1}.
     */
    static OpensslServer start(Path dir, IssuedCertificate server,
                               List<X509Certificate> clientCas, String... options)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(options));
        all.add("-rev");
        return startQuiet(dir, server, clientCas, all.toArray(String[]::new));
    }

    /** Like {@link #start}, but the server never answers application bytes. */
    static OpensslServer startQuiet(Path dir, IssuedCertificate server,
                                    List<X509Certificate> clientCas, String... options)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve("server.crt"),
                PemWriter.certificates(List.of(server.certificate())));
        // Without an explicit chain s_server builds one from -CAfile, which may hold a
        // different CA of the same name than the one that signed the server certificate.
        Files.writeString(dir.resolve("chain.crt"), PemWriter.certificates(server.chain()));
        Files.writeString(dir.resolve("server.key"),
                PemWriter.privateKey(server.privateKey(), KeyFormat.PKCS8));
        Files.writeString(dir.resolve("ca.crt"), PemWriter.certificates(clientCas));
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("openssl", "s_server",
                "-accept", "127.0.0.1:" + port,
                "-cert", dir.resolve("server.crt").toString(),
                "-key", dir.resolve("server.key").toString(),
                "-cert_chain", dir.resolve("chain.crt").toString(),
                "-CAfile", dir.resolve("ca.crt").toString()));
        command.addAll(List.of(options));
        Path log = dir.resolve("s_server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        OpensslServer started = new OpensslServer(process, log, port);
        started.awaitAccepting();
        return started;
    }

    ProbeTarget target(String serverName) {
        return new ProbeTarget("127.0.0.1", port, serverName);
    }

    /** What s_server printed, for assertions on its side of the story. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAccepting() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains("ACCEPT")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("s_server exited: " + log());
            }
            Thread.sleep(20);
        }
        process.destroy();
        throw new IllegalStateException("s_server did not start within " + STARTUP + ": "
                + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
