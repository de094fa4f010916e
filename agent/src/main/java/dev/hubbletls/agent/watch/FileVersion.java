package dev.hubbletls.agent.watch;

import dev.hubbletls.agent.tls.CertificateFacts;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a watched file, recognised by the SHA-256 of its bytes; when the file
 * starts with a certificate, that certificate's identity too. Holds no file content.
 *
 * @param sha256            SHA-256 of the file's bytes, upper-case hexadecimal
 * @param serial            the first certificate's serial number in hexadecimal
 * @param subject           the first certificate's subject (RFC 2253)
 * @param notAfter          the first certificate's NotAfter
 * @param certificateSha256 SHA-256 of the first certificate's DER encoding, as a TLS peer
 *                          presenting it would be fingerprinted
 */
public record FileVersion(String sha256, Optional<String> serial, Optional<String> subject,
                          Optional<Instant> notAfter, Optional<String> certificateSha256) {

    public FileVersion {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(certificateSha256, "certificateSha256");
    }

    /** The version of a file holding {@code content}; never throws. */
    public static FileVersion of(byte[] content) {
        String sha256 = HexFormat.of().withUpperCase().formatHex(digest(content));
        return firstCertificate(content)
                .map(certificate -> new FileVersion(sha256,
                        Optional.of(certificate.getSerialNumber().toString(16)),
                        Optional.of(certificate.getSubjectX500Principal().getName()),
                        Optional.of(certificate.getNotAfter().toInstant()),
                        Optional.of(CertificateFacts.fingerprint(certificate))))
                .orElseGet(() -> new FileVersion(sha256, Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty()));
    }

    // A key file, a half-written file or garbage simply has no certificate identity; the
    // check pass that follows says what is wrong with it.
    private static Optional<X509Certificate> firstCertificate(byte[] content) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return Optional.of((X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(content)));
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
