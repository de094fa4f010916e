package dev.hubbletls.agent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.KeyFormat;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.PemWriter;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The ways the relay's TLS directory goes wrong in a running cluster, each with the verdict
 * a pass must reach about it. Every fault starts from the healthy files, so they can be
 * applied in any order.
 */
public final class RelayDirectoryFaults {

    /** Changes the files of a relay directory. */
    @FunctionalInterface
    public interface Change {
        void to(TlsFiles files) throws IOException;
    }

    /**
     * A fault and what it must lead to.
     *
     * @param check          the check that must notice it
     * @param reason         the reason it must give ({@link Reason#OK} for a healthy variant)
     * @param words          what its message must name
     * @param handshake      the verdict of the relay's handshake, when the fault decides it;
     *                       empty when only the server's own rules do
     */
    public record Fault(String name, Change change, CheckId check, Reason reason,
                        List<String> words, Optional<Reason> handshake) {

        /** Healthy files, then this fault. */
        public void apply(TlsFiles files) throws IOException {
            change.to(files);
        }

        /** Fails unless {@code report} reached this fault's verdict. */
        public void assertVerdict(CheckReport report) {
            Finding finding = report.finding(check).orElseThrow();
            assertThat(finding.reason()).as(name + ": " + finding.message()).isEqualTo(reason);
            assertThat(finding.status() == Status.OK).as(name).isEqualTo(reason == Reason.OK);
            assertThat(finding.message()).as(name).contains(words);
            Finding relay = report.finding(CheckId.MTLS_HANDSHAKE).orElseThrow();
            handshake.ifPresentOrElse(
                    expected -> assertThat(relay.reason()).as(name + ": the relay's handshake")
                            .isEqualTo(expected),
                    () -> assertThat(relay.reason()).as(name + ": the relay's handshake ran")
                            .isNotEqualTo(Reason.SKIPPED));
        }
    }

    private static final int TEN_MEBIBYTES = 10 * 1024 * 1024;

    private RelayDirectoryFaults() {
    }

    /** The relay's files as Helm writes them. */
    public static Fault healthy(ClusterPki pki) {
        return new Fault("healthy files", files -> write(files, pki.relayClientFiles()),
                CheckId.CLIENT_CERTIFICATE, Reason.OK, List.of("matches its key"),
                Optional.of(Reason.OK));
    }

    /** Every fault, then the healthy files again; the unreadable directory only for non-root. */
    public static List<Fault> all(ClusterPki pki) {
        Fault healthy = healthy(pki);
        String leaf = pem(List.of(pki.relayClient().certificate()));
        String ca = pem(List.of(pki.ca().certificate()));
        String retired = pem(retiredCas());
        List<Fault> faults = new ArrayList<>(List.of(
                fault(healthy, "client.key is a directory", files -> {
                    Files.delete(files.key());
                    Files.createDirectory(files.key());
                }, CheckId.CLIENT_CERTIFICATE, Reason.FILE_UNREADABLE, "client.key",
                        "is a directory"),
                fault(healthy, "the directory is empty", files -> {
                    Files.delete(files.certificate());
                    Files.delete(files.key());
                    Files.delete(files.ca());
                }, CheckId.CLIENT_CERTIFICATE, Reason.FILE_MISSING, "client.crt",
                        "does not exist"),
                fault(healthy, "client.crt is 10 MiB", files -> Files.write(files.certificate(),
                        ascii(leaf.repeat(TEN_MEBIBYTES / leaf.length() + 1))),
                        CheckId.CLIENT_CERTIFICATE, Reason.UNREADABLE_PEM, "client.crt",
                        "not read"),
                fault(healthy, "client.key is binary", files -> Files.write(files.key(),
                        noise(4096)), CheckId.CLIENT_CERTIFICATE, Reason.UNREADABLE_PEM,
                        "client.key", "no PEM block"),
                fault(healthy, "client.crt chain in the wrong order, CA first",
                        files -> Files.writeString(files.certificate(), ca + leaf),
                        CheckId.CLIENT_CERTIFICATE, Reason.KEY_MISMATCH,
                        "starts with CN=Cilium CA", "wrong order", "client certificate first"),
                fault(healthy, "client.key encrypted", files -> Files.writeString(files.key(),
                        PemWriter.privateKey(pki.relayClient().privateKey(),
                                KeyFormat.PKCS8_ENCRYPTED, "secret".toCharArray())),
                        CheckId.CLIENT_CERTIFICATE, Reason.ENCRYPTED_KEY, "client.key",
                        "encrypted"),
                // Go's server takes the extra certificates as unused intermediates; a JSSE
                // server may refuse the chain, so only the agent's own judgement is fixed.
                new Fault("client.crt holds twenty certificates, the leaf first", files -> {
                    healthy.apply(files);
                    Files.writeString(files.certificate(), leaf + retired);
                }, CheckId.CLIENT_CERTIFICATE, Reason.OK, List.of("matches its key"),
                        Optional.empty()),
                new Fault("CA bundle of twenty CAs, the cluster's last", files -> {
                    healthy.apply(files);
                    Files.writeString(files.ca(), retired + ca);
                }, CheckId.CA_CERTIFICATE, Reason.OK, List.of("holds 20 CAs"),
                        Optional.of(Reason.OK))));
        if (!"root".equals(System.getProperty("user.name"))) {
            faults.add(fault(healthy, "the directory is unreadable (mode 000)",
                    files -> Files.setPosixFilePermissions(files.directory(),
                            PosixFilePermissions.fromString("---------")),
                    CheckId.CLIENT_CERTIFICATE, Reason.FILE_UNREADABLE, "permission denied"));
        }
        faults.add(new Fault("healthy again", files -> {
            makeReadable(files);
            healthy.apply(files);
        }, CheckId.CLIENT_CERTIFICATE, Reason.OK, List.of("matches its key"),
                Optional.of(Reason.OK)));
        return List.copyOf(faults);
    }

    /** Undoes the unreadable directory, so that a temporary directory can be removed. */
    public static void makeReadable(TlsFiles files) throws IOException {
        if (Files.isDirectory(files.directory())) {
            Files.setPosixFilePermissions(files.directory(),
                    PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static Fault fault(Fault healthy, String name, Change change, CheckId check,
                               Reason reason, String... words) {
        return new Fault(name, files -> {
            healthy.apply(files);
            change.to(files);
        }, check, reason, List.of(words), Optional.of(Reason.SKIPPED));
    }

    private static void write(TlsFiles files, Map<String, byte[]> contents) throws IOException {
        makeReadable(files);
        for (Path file : List.of(files.certificate(), files.key(), files.ca())) {
            if (Files.isDirectory(file)) {
                Files.delete(file);
            }
        }
        for (Map.Entry<String, byte[]> file : contents.entrySet()) {
            Files.write(files.directory().resolve(file.getKey()), file.getValue());
        }
    }

    private static List<X509Certificate> retiredCas() {
        Instant from = Instant.now().minus(Duration.ofDays(1));
        return IntStream.range(0, 19)
                .mapToObj(i -> CertificateMint.selfSigned(CertificateSpec.authority(
                        "Retired CA " + i, from, Duration.ofDays(400))
                        .withKeyKind(KeyKind.EC_P256)).certificate())
                .toList();
    }

    private static byte[] noise(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String pem(List<X509Certificate> certificates) {
        return PemWriter.certificates(certificates);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
