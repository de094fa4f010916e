package dev.hubbletls.agent.testing;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.ClientIdentity;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyFormat;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.tls.PemWriter;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The PKIs tests build. Two worlds: static helpers on a fixed clock ({@link #NOW}) for
 * judging certificates without a peer, and an instance holding a Helm-style cluster PKI
 * valid at the real time, for tests whose peer (s_server, a JSSE or gRPC server) judges
 * certificates by the real clock.
 */
public final class TestPki {

    public static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final Duration DAY = Duration.ofDays(1);

    /** A dial timeout short enough for a fast suite, long enough for a cold JVM. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    public static final String NODE = "kind-worker";

    /** The real time this world was made at, in whole seconds. */
    public final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** A clock fixed at {@link #now}. */
    public final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    /** The cluster's PKI, valid from an hour before {@link #now}. */
    public final ClusterPki cluster;

    /** A cluster PKI with keys of {@code kind}, valid now. */
    public TestPki(KeyKind kind) {
        cluster = ClusterPki.mint("default", kind, now.minus(Duration.ofHours(1)));
    }

    /** A cluster PKI with EC P-256 keys (fast to mint), valid now. */
    public TestPki() {
        this(KeyKind.EC_P256);
    }

    /** The server name of {@link #NODE}'s Hubble server in this cluster. */
    public String serverName() {
        return cluster.serverName(NODE);
    }

    /** The relay's client identity. */
    public ClientIdentity relay() {
        return ClientIdentity.of(cluster.relayClient());
    }

    /** The relay's CA bundle: the cluster CA. */
    public List<X509Certificate> trust() {
        return List.of(cluster.ca().certificate());
    }

    /** A leaf issued by the cluster CA from {@code spec}, with an EC P-256 key. */
    public IssuedCertificate issue(CertificateSpec spec) {
        return CertificateMint.issue(spec.withKeyKind(KeyKind.EC_P256), cluster.ca());
    }

    /** A CA unrelated to any cluster, valid for 30 days from an hour before {@code now}. */
    public static IssuedCertificate otherCa(String name, Instant now) {
        return authority(name, now.minus(Duration.ofHours(1)), Duration.ofDays(30));
    }

    /** {@link #NOW} moved by {@code offset} days. */
    public static Instant days(long offset) {
        return NOW.plus(DAY.multipliedBy(offset));
    }

    /** An EC CA (fast to mint) valid between the two day offsets from {@link #NOW}. */
    public static IssuedCertificate ca(String name, long fromDay, long untilDay) {
        return authority(name, days(fromDay), Duration.between(days(fromDay), days(untilDay)));
    }

    /** An EC leaf for {@code name} issued by {@code issuer}, valid between the day offsets. */
    public static IssuedCertificate leaf(String name, IssuedCertificate issuer, long fromDay,
                                         long untilDay) {
        return CertificateMint.issue(spec(name, fromDay, untilDay), issuer);
    }

    /** A leaf from {@code spec} issued by {@code issuer}. */
    public static IssuedCertificate leaf(CertificateSpec spec, IssuedCertificate issuer) {
        return CertificateMint.issue(spec, issuer);
    }

    /** The spec of an EC leaf for {@code name}, valid between the day offsets. */
    public static CertificateSpec spec(String name, long fromDay, long untilDay) {
        return CertificateSpec.leaf(name, days(fromDay), Duration.between(days(fromDay),
                days(untilDay))).withKeyKind(KeyKind.EC_P256);
    }

    /** Writes client.crt (with chain), client.key and the bundle; returns the layout. */
    public static TlsFiles write(Path dir, IssuedCertificate client, KeyFormat format,
                                 List<X509Certificate> bundle) throws IOException {
        TlsFiles files = TlsFiles.relayLayout(dir);
        Files.writeString(files.certificate(), PemWriter.certificates(client.withChain()
                .subList(0, Math.max(1, client.chain().size()))));
        Files.writeString(files.key(), PemWriter.privateKey(client.privateKey(), format,
                "secret".toCharArray()));
        Files.writeString(files.ca(), PemWriter.certificates(bundle));
        return files;
    }

    /** Writes {@code text} as US-ASCII. */
    public static void writeText(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The key as legacy OpenSSL PEM with {@code Proc-Type: 4,ENCRYPTED}. */
    public static String legacyEncrypted(PrivateKey key) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaMiscPEMGenerator(key,
                    new JcePEMEncryptorBuilder("AES-128-CBC")
                            .setProvider(new BouncyCastleProvider())
                            .build("secret".toCharArray())));
        }
        return text.toString();
    }

    /**
     * A server leaf built by hand, for what the mint refuses to make: an RSA key of
     * {@code bits} and a signature of {@code signatureAlgorithm} by an RSA issuer.
     */
    public static X509Certificate rawServerLeaf(String dnsName, int bits,
                                                IssuedCertificate issuer,
                                                String signatureAlgorithm) throws Exception {
        return rawServer(dnsName, bits, issuer, signatureAlgorithm, days(-1)).certificate();
    }

    /**
     * A server certificate with its key, built by hand: an RSA key of {@code bits}, signed
     * by {@code issuer} with {@code signatureAlgorithm}, valid for 300 days from {@code from}.
     */
    public static IssuedCertificate rawServer(String dnsName, int bits, IssuedCertificate issuer,
                                              String signatureAlgorithm, Instant from)
            throws Exception {
        KeyPair keys = rsaKeys(bits);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), Date.from(from),
                Date.from(from.plus(Duration.ofDays(300))), new X500Name("CN=" + dnsName),
                keys.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signatureAlgorithm)
                        .build(issuer.privateKey())));
        return new IssuedCertificate(certificate, keys, issuer.withChain());
    }

    /** A self-signed RSA CA, signed with {@code signatureAlgorithm}, valid for 300 days. */
    public static IssuedCertificate rawCa(String name, String signatureAlgorithm, Instant from)
            throws Exception {
        KeyPair keys = rsaKeys(2048);
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(System.nanoTime()), Date.from(from),
                Date.from(from.plus(Duration.ofDays(300))), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signatureAlgorithm)
                        .build(keys.getPrivate())));
        return new IssuedCertificate(certificate, keys, List.of());
    }

    private static KeyPair rsaKeys(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static IssuedCertificate authority(String name, Instant from, Duration validity) {
        return CertificateMint.selfSigned(CertificateSpec.authority(name, from, validity)
                .withKeyKind(KeyKind.EC_P256));
    }
}
