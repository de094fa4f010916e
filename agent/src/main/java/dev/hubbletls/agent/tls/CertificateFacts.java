package dev.hubbletls.agent.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * What a report says about one certificate: who it names, who issued it, when it is
 * valid and how to recognise it. Never holds key material.
 *
 * @param role               where the certificate came from
 * @param source             the file it was read from, or the address that presented it
 * @param subject            subject distinguished name (RFC 2253)
 * @param issuer             issuer distinguished name (RFC 2253)
 * @param serial             serial number in hexadecimal
 * @param notBefore          start of validity
 * @param notAfter           end of validity
 * @param sha256             SHA-256 of the DER encoding, upper-case hexadecimal
 * @param key                key type and size, for example {@code RSA 2048}
 * @param signatureAlgorithm the algorithm the issuer signed with
 * @param dnsNames           DNS subject alternative names
 * @param extendedKeyUsages  extended key usages by name ({@code serverAuth}, {@code clientAuth})
 *                           or OID; empty when the extension is absent
 * @param ca                 whether basic constraints allow it to sign certificates
 */
public record CertificateFacts(CertificateRole role, String source, String subject,
                               String issuer, String serial, Instant notBefore,
                               Instant notAfter, String sha256, String key,
                               String signatureAlgorithm, List<String> dnsNames,
                               List<String> extendedKeyUsages, boolean ca) {

    private static final String SERVER_AUTH_OID = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
    private static final int DNS_NAME = 2;

    public CertificateFacts {
        dnsNames = List.copyOf(dnsNames);
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
    }

    /** The facts of {@code certificate}, read from {@code source} in {@code role}. */
    public static CertificateFacts of(X509Certificate certificate, CertificateRole role,
                                      String source) {
        return new CertificateFacts(role, source,
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                certificate.getSerialNumber().toString(16),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                fingerprint(certificate),
                describe(certificate.getPublicKey()),
                certificate.getSigAlgName(),
                dnsNames(certificate),
                extendedKeyUsages(certificate),
                certificate.getBasicConstraints() >= 0);
    }

    /** The facts of a chain: the first certificate in one role, the others in another. */
    public static List<CertificateFacts> ofChain(List<X509Certificate> chain,
                                                 CertificateRole firstRole,
                                                 CertificateRole restRole, String source) {
        List<CertificateFacts> facts = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            facts.add(of(chain.get(i), i == 0 ? firstRole : restRole, source));
        }
        return List.copyOf(facts);
    }

    /** Time from {@code now} until NotAfter; negative once expired. */
    public Duration timeLeft(Instant now) {
        return Duration.between(now, notAfter);
    }

    /** Whole days from {@code now} until NotAfter, rounded down; negative once expired. */
    public long daysLeft(Instant now) {
        return Math.floorDiv(timeLeft(now).toSeconds(), Duration.ofDays(1).toSeconds());
    }

    /** Whether the certificate carries the given extended key usage name. */
    public boolean hasUsage(String usage) {
        return extendedKeyUsages.contains(usage);
    }

    /** Upper-case hexadecimal SHA-256 of the certificate's DER encoding. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint "
                    + certificate.getSubjectX500Principal(), e);
        }
    }

    /** Key type and size, for example {@code RSA 2048}, {@code EC P-256} or {@code Ed25519}. */
    public static String describe(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            // An RSA key bound to PSS by its identifier is an RSAPublicKey too, but not RSA
            // to Go: name it apart.
            String family = "RSASSA-PSS".equals(key.getAlgorithm()) ? "RSASSA-PSS " : "RSA ";
            return family + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return "EC P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        return key.getAlgorithm();
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream()
                    .filter(entry -> Integer.valueOf(DNS_NAME).equals(entry.get(0)))
                    .map(entry -> String.valueOf(entry.get(1)))
                    .toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static List<String> extendedKeyUsages(X509Certificate certificate) {
        try {
            List<String> oids = certificate.getExtendedKeyUsage();
            if (oids == null) {
                return List.of();
            }
            return oids.stream().map(CertificateFacts::usageName).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String usageName(String oid) {
        return switch (oid) {
            case SERVER_AUTH_OID -> "serverAuth";
            case CLIENT_AUTH_OID -> "clientAuth";
            default -> oid;
        };
    }
}
