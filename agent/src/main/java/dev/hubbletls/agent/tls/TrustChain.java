package dev.hubbletls.agent.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * Finds the CA in a trust bundle that a presented chain leads to, by PKIX with
 * revocation off. Dates are judged elsewhere, so a chain that fails only on dates
 * is validated again at a moment inside its validity.
 */
final class TrustChain {

    /**
     * Where a presented chain leads.
     *
     * @param anchor  the CA of the bundle the chain verified against, if any
     * @param failure why it did not verify; empty when it did
     */
    record Anchoring(Optional<X509Certificate> anchor, String failure) {
    }

    private TrustChain() {
    }

    /** The anchoring of {@code presented} (leaf first) in {@code bundle} at {@code now}. */
    static Anchoring anchor(List<X509Certificate> presented, List<X509Certificate> bundle,
                            Instant now) {
        if (bundle.isEmpty()) {
            return new Anchoring(Optional.empty(), "the trust bundle is empty");
        }
        if (bundle.contains(presented.get(0))) {
            // Go trusts a certificate found in the root pool as it is, CA or not.
            return new Anchoring(Optional.of(presented.get(0)), "");
        }
        List<X509Certificate> path = path(presented, bundle);
        Attempt attempt = validate(path, bundle, now);
        if (attempt.dates()) {
            attempt = validate(path, bundle, insideValidity(path));
        }
        if (attempt.dates() || attempt.algorithms()) {
            // The JDK refuses MD5 and some small keys outright; those are reported as
            // their own concerns, so the chain is followed by signatures alone. This only
            // names the issuing CA for the report; the handshake does the real verification.
            return bySignatures(path, bundle)
                    .map(ca -> new Anchoring(Optional.of(ca), ""))
                    .orElse(attempt.anchoring());
        }
        return attempt.anchoring();
    }

    /** Whether {@code ca}'s name and key issued {@code certificate}. */
    static boolean signs(X509Certificate ca, X509Certificate certificate) {
        if (!ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The authority key identifier in hexadecimal, if the certificate carries one. */
    static Optional<String> authorityKeyId(X509Certificate certificate) {
        return extension(certificate, Extension.authorityKeyIdentifier.getId())
                .flatMap(bytes -> decoded(() -> AuthorityKeyIdentifier.getInstance(bytes)
                        .getKeyIdentifierObject()))
                .map(ASN1OctetString::getOctets)
                .map(TrustChain::hex);
    }

    /** The subject key identifier in hexadecimal, if the certificate carries one. */
    static Optional<String> subjectKeyId(X509Certificate certificate) {
        return extension(certificate, Extension.subjectKeyIdentifier.getId())
                .flatMap(bytes -> decoded(() -> SubjectKeyIdentifier.getInstance(bytes)
                        .getKeyIdentifier()))
                .map(TrustChain::hex);
    }

    // The JDK keeps a malformed non-critical extension as unparseable rather than refusing
    // the certificate, so its value can be anything; the identifier is then unknown.
    private static <T> Optional<T> decoded(Supplier<T> decode) {
        try {
            return Optional.ofNullable(decode.get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> extension(X509Certificate certificate, String oid) {
        byte[] value = certificate.getExtensionValue(oid);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ASN1OctetString.getInstance(value).getOctets());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** Leaf, then presented issuers by name, stopping below a CA the bundle names. */
    private static List<X509Certificate> path(List<X509Certificate> presented,
                                              List<X509Certificate> bundle) {
        List<X509Certificate> path = new ArrayList<>(List.of(presented.get(0)));
        X509Certificate current = presented.get(0);
        while (!namedIn(bundle, current)) {
            X509Certificate last = current;
            Optional<X509Certificate> issuer = presented.stream()
                    .filter(candidate -> !path.contains(candidate))
                    .filter(candidate -> candidate.getSubjectX500Principal()
                            .equals(last.getIssuerX500Principal()))
                    .findFirst();
            if (issuer.isEmpty()) {
                break;
            }
            current = issuer.get();
            path.add(current);
        }
        return path;
    }

    private static boolean namedIn(List<X509Certificate> bundle, X509Certificate certificate) {
        return bundle.stream().anyMatch(ca -> ca.getSubjectX500Principal()
                .equals(certificate.getIssuerX500Principal()));
    }

    private static Attempt validate(List<X509Certificate> path, List<X509Certificate> bundle,
                                    Instant at) {
        try {
            Set<TrustAnchor> anchors = bundle.stream()
                    .map(ca -> new TrustAnchor(ca, null))
                    .collect(Collectors.toSet());
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult)
                    CertPathValidator.getInstance("PKIX").validate(
                            CertificateFactory.getInstance("X.509").generateCertPath(path),
                            parameters);
            return new Attempt(new Anchoring(
                    Optional.of(result.getTrustAnchor().getTrustedCert()), ""), null);
        } catch (CertPathValidatorException e) {
            return new Attempt(new Anchoring(Optional.empty(), String.valueOf(e.getMessage())),
                    e.getReason());
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Attempt(new Anchoring(Optional.empty(), e.toString()), null);
        }
    }

    private static Instant insideValidity(List<X509Certificate> path) {
        return path.stream()
                .map(certificate -> certificate.getNotBefore().toInstant())
                .max(Instant::compareTo)
                .orElseThrow();
    }

    private static Optional<X509Certificate> bySignatures(List<X509Certificate> path,
                                                          List<X509Certificate> bundle) {
        for (int i = 0; i + 1 < path.size(); i++) {
            if (!signs(path.get(i + 1), path.get(i))) {
                return Optional.empty();
            }
        }
        X509Certificate top = path.get(path.size() - 1);
        return bundle.stream().filter(ca -> signs(ca, top)).findFirst();
    }

    private record Attempt(Anchoring anchoring, CertPathValidatorException.Reason reason) {

        boolean dates() {
            return reason == BasicReason.EXPIRED || reason == BasicReason.NOT_YET_VALID;
        }

        boolean algorithms() {
            return reason == BasicReason.ALGORITHM_CONSTRAINED;
        }
    }
}
