package dev.hubbletls.agent.tls;

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
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small PKIs on a fixed clock, and the relay's files written from them. */
final class TestPki {

    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration DAY = Duration.ofDays(1);

    private TestPki() {
    }

    static Instant days(long offset) {
        return NOW.plus(DAY.multipliedBy(offset));
    }

    /** An EC CA (fast to mint) valid between the two day offsets from {@link #NOW}. */
    static IssuedCertificate ca(String name, long fromDay, long untilDay) {
        return CertificateMint.selfSigned(CertificateSpec.authority(name, days(fromDay),
                        Duration.between(days(fromDay), days(untilDay)))
                .withKeyKind(KeyKind.EC_P256));
    }

    static IssuedCertificate leaf(String name, IssuedCertificate issuer, long fromDay,
                                  long untilDay) {
        return CertificateMint.issue(CertificateSpec.leaf(name, days(fromDay),
                        Duration.between(days(fromDay), days(untilDay)))
                .withKeyKind(KeyKind.EC_P256), issuer);
    }

    static IssuedCertificate leaf(CertificateSpec spec, IssuedCertificate issuer) {
        return CertificateMint.issue(spec, issuer);
    }

    static CertificateSpec spec(String name, long fromDay, long untilDay) {
        return CertificateSpec.leaf(name, days(fromDay), Duration.between(days(fromDay),
                days(untilDay))).withKeyKind(KeyKind.EC_P256);
    }

    /** Writes client.crt (with chain), client.key and the bundle; returns the layout. */
    static TlsFiles write(Path dir, IssuedCertificate client, KeyFormat format,
                          List<X509Certificate> bundle) throws IOException {
        TlsFiles files = TlsFiles.relayLayout(dir);
        Files.writeString(files.certificate(), PemWriter.certificates(client.withChain()
                .subList(0, Math.max(1, client.chain().size()))));
        Files.writeString(files.key(), PemWriter.privateKey(client.privateKey(), format,
                "secret".toCharArray()));
        Files.writeString(files.ca(), PemWriter.certificates(bundle));
        return files;
    }

    static void writeText(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The key as legacy OpenSSL PEM with {@code Proc-Type: 4,ENCRYPTED}. */
    static String legacyEncrypted(PrivateKey key) throws IOException {
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
    static X509Certificate rawServerLeaf(String dnsName, int bits, IssuedCertificate issuer,
                                         String signatureAlgorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        KeyPair keys = generator.generateKeyPair();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), Date.from(days(-1)), Date.from(days(300)),
                new X500Name("CN=" + dnsName), keys.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder(signatureAlgorithm).build(issuer.privateKey())));
    }
}
