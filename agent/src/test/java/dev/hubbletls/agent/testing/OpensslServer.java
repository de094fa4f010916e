package dev.hubbletls.agent.testing;

import dev.hubbletls.agent.probe.ProbeTarget;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyFormat;
import dev.hubbletls.agent.tls.PemWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server} as an independent TLS peer on a free loopback port, presenting a
 * chain and trusting a client CA bundle. {@link #start} answers application bytes, as an
 * accepting gRPC server answers the HTTP/2 preface; {@link #startQuiet} completes the
 * handshake and then stays silent, because its stdin stays open and empty.
 */
public final class OpensslServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final Duration STOP_BOUND = Duration.ofSeconds(2);

    private final Process process;
    private final Path log;
    private final int port;

    private OpensslServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts s_server in {@code -rev} mode with {@code server}'s chain and key, trusting
     * {@code clientCas} for client certificates, with extra {@code options} such as
     * {@code -Verify 1}; its files go to {@code dir}.
     */
    public static OpensslServer start(Path dir, IssuedCertificate server,
                                      List<X509Certificate> clientCas, String... options)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(options));
        all.add("-rev");
        return startQuiet(dir, server, clientCas, all.toArray(String[]::new));
    }

    /** Like {@link #start}, but the server never answers application bytes. */
    public static OpensslServer startQuiet(Path dir, IssuedCertificate server,
                                           List<X509Certificate> clientCas, String... options)
            throws IOException, InterruptedException {
        Path cert = write(dir, "server.crt", PemWriter.certificates(List.of(server.certificate())));
        // Without an explicit chain s_server builds one from -CAfile, which may hold a
        // different CA of the same name than the one that signed the server certificate.
        Path chain = write(dir, "chain.crt", PemWriter.certificates(server.chain()));
        Path key = write(dir, "server.key",
                PemWriter.privateKey(server.privateKey(), KeyFormat.PKCS8));
        Path cas = write(dir, "ca.crt", PemWriter.certificates(clientCas));
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("openssl", "s_server",
                "-accept", "127.0.0.1:" + port, "-cert", cert.toString(), "-key", key.toString(),
                "-cert_chain", chain.toString(), "-CAfile", cas.toString()));
        command.addAll(List.of(options));
        Path log = dir.resolve("s_server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        OpensslServer started = new OpensslServer(process, log, port);
        started.awaitAccepting();
        return started;
    }

    /** The port s_server accepts on, at 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The server as a probe target that expects {@code serverName}. */
    public ProbeTarget target(String serverName) {
        return new ProbeTarget("127.0.0.1", port, serverName);
    }

    /** What s_server printed, for assertions on its side of the story. */
    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void awaitAccepting() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!log().contains("ACCEPT")) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                close();
                throw new IllegalStateException("s_server did not start within " + STARTUP
                        + ": " + log());
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path write(Path dir, String name, String pem) throws IOException {
        return Files.writeString(dir.resolve(name), pem);
    }
}
