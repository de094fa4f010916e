package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.probe.HandshakeOutcome.Failure;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateRole;
import dev.hubbletls.agent.tls.GoKeyTypes;
import dev.hubbletls.agent.tls.ServerNameMatcher;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a server's chain the way Go's crypto/tls does for Relay: validity by this node's
 * clock, a path to the CA bundle (PKIX, no revocation), the serverAuth usage, and the server
 * name against DNS SANs only.
 */
final class ServerCertificateCheck {

    private static final String SERVER_AUTH = "serverAuth";
    private static final String ANY_USAGE = "2.5.29.37.0";

    private final List<X509Certificate> bundle;

    ServerCertificateCheck(List<X509Certificate> bundle) {
        this.bundle = List.copyOf(bundle);
    }

    /** Why Relay would reject a server presenting {@code chain} for {@code serverName}. */
    record Rejection(Failure failure, String message) {
    }

    Optional<Rejection> verify(List<X509Certificate> chain, String serverName, Instant now) {
        if (chain.isEmpty()) {
            return Optional.of(new Rejection(Failure.HANDSHAKE_ERROR,
                    "the server presented no certificate"));
        }
        X509Certificate leaf = chain.get(0);
        return validity(leaf, "server certificate", now)
                .or(() -> weakSignature(chain))
                .or(() -> authority(chain, now))
                .or(() -> serverAuthUsage(leaf))
                .or(() -> name(leaf, serverName))
                .or(() -> keyType(leaf));
    }

    private static Optional<Rejection> validity(X509Certificate certificate, String what,
                                                Instant now) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        boolean ca = certificate.getBasicConstraints() >= 0;
        if (now.isAfter(notAfter)) {
            return Optional.of(new Rejection(
                    ca ? Failure.SERVER_CA_EXPIRED : Failure.SERVER_CERT_EXPIRED,
                    "the " + what + " " + subject(certificate) + " expired at " + notAfter
                            + "; this node's clock says " + now));
        }
        if (now.isBefore(notBefore)) {
            return Optional.of(new Rejection(Failure.SERVER_CERT_NOT_YET_VALID,
                    "the " + what + " " + subject(certificate) + " is not valid before "
                            + notBefore + "; this node's clock says " + now
                            + " (clock skew, or a certificate issued with a future NotBefore)"));
        }
        return Optional.empty();
    }

    private Optional<Rejection> authority(List<X509Certificate> chain, Instant now) {
        if (bundle.isEmpty()) {
            return Optional.of(new Rejection(Failure.UNKNOWN_AUTHORITY,
                    "the trusted CA bundle holds no certificate"));
        }
        try {
            X509Certificate anchor = buildPath(chain, now).getTrustAnchor().getTrustedCert();
            return validity(anchor, "trusted CA", now);
        } catch (GeneralSecurityException e) {
            return expiredIntermediate(chain, now).or(() -> Optional.of(unknownAuthority(chain)));
        }
    }

    /**
     * A SHA-1 or MD5 signature on the leaf or a presented CA above it, made by a key of the
     * chain or the bundle. Java accepts such signatures under a trust anchor of its own
     * choosing; Go rejects them. A self-signature is never checked, by Go or here, and a
     * weak signature by an unknown issuer is left to the authority check.
     */
    private Optional<Rejection> weakSignature(List<X509Certificate> chain) {
        List<X509Certificate> issuers = new ArrayList<>(chain);
        issuers.addAll(bundle);
        for (X509Certificate certificate : pathFromLeaf(chain)) {
            String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
            boolean weak = algorithm.contains("SHA1") || algorithm.contains("MD5");
            if (weak && !signs(certificate, certificate)
                    && issuers.stream().anyMatch(issuer -> signs(issuer, certificate))) {
                String what = certificate == chain.get(0)
                        ? "the server certificate " : "the CA certificate presented by the server ";
                return Optional.of(new Rejection(Failure.WEAK_SIGNATURE, what
                        + subject(certificate) + " is signed with " + certificate.getSigAlgName()
                        + "; Go, and so Relay, rejects SHA-1 and MD5 signatures"));
            }
        }
        return Optional.empty();
    }

    /** The leaf, then each presented certificate named as the issuer of the one before. */
    private static List<X509Certificate> pathFromLeaf(List<X509Certificate> chain) {
        List<X509Certificate> path = new ArrayList<>(List.of(chain.get(0)));
        Optional<X509Certificate> next = Optional.of(chain.get(0));
        while (next.isPresent()) {
            X509Certificate current = next.get();
            next = chain.stream()
                    .filter(candidate -> !path.contains(candidate))
                    .filter(candidate -> candidate.getSubjectX500Principal()
                            .equals(current.getIssuerX500Principal()))
                    .findFirst();
            next.ifPresent(path::add);
        }
        return path;
    }

    private static boolean signs(X509Certificate issuer, X509Certificate certificate) {
        if (!issuer.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private PKIXCertPathBuilderResult buildPath(List<X509Certificate> chain, Instant now)
            throws GeneralSecurityException {
        Set<TrustAnchor> anchors = new LinkedHashSet<>();
        bundle.forEach(ca -> anchors.add(new TrustAnchor(ca, null)));
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(chain.get(0));
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
        // Relay checks no revocation; neither do we, so a verdict never depends on a CRL fetch.
        parameters.setRevocationEnabled(false);
        // The JDK's builder stops at 5 intermediates by default; Go sets no such bound.
        parameters.setMaxPathLength(-1);
        parameters.setDate(Date.from(now));
        parameters.addCertStore(CertStore.getInstance("Collection",
                new CollectionCertStoreParameters(chain)));
        return (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
    }

    private static Optional<Rejection> expiredIntermediate(List<X509Certificate> chain,
                                                           Instant now) {
        return chain.stream().skip(1)
                .map(certificate -> validity(certificate, "intermediate CA", now))
                .flatMap(Optional::stream)
                .findFirst();
    }

    private Rejection unknownAuthority(List<X509Certificate> chain) {
        X509Certificate leaf = chain.get(0);
        String issuer = leaf.getIssuerX500Principal().getName();
        String message = "the server certificate " + subject(leaf) + " is issued by '" + issuer
                + "' and does not chain to the trusted CA bundle; the server presented "
                + (chain.size() > 1 ? identify(chain.subList(1, chain.size())) : "no CA")
                + ", the bundle holds " + identify(bundle);
        boolean twin = bundle.stream()
                .anyMatch(ca -> ca.getSubjectX500Principal().getName().equals(issuer));
        boolean issuerSent = chain.stream().skip(1).anyMatch(ca -> ca.getSubjectX500Principal()
                .equals(leaf.getIssuerX500Principal()));
        if (twin) {
            message += "; a trusted CA has that name but did not sign the certificate, so the"
                    + " CA was regenerated on one side";
        } else if (!issuerSent) {
            message += "; the server did not send the intermediate CA '" + issuer + "' and"
                    + " the bundle lacks it: a server must send its intermediates after its"
                    + " certificate (if '" + issuer + "' is a root instead, the server and"
                    + " the relay use different CAs)";
        }
        return new Rejection(Failure.UNKNOWN_AUTHORITY, message);
    }

    private static String identify(List<X509Certificate> certificates) {
        return certificates.stream()
                .map(ca -> subject(ca) + " (SHA-256 " + CertificateFacts.fingerprint(ca) + ")")
                .collect(Collectors.joining(", "));
    }

    private static Optional<Rejection> serverAuthUsage(X509Certificate leaf) {
        List<String> usages = facts(leaf).extendedKeyUsages();
        if (usages.isEmpty() || usages.contains(SERVER_AUTH) || usages.contains(ANY_USAGE)) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(Failure.SERVER_AUTH_USAGE_MISSING,
                "the server certificate " + subject(leaf) + " has extended key usages "
                        + usages + " without serverAuth; Go clients such as Relay reject it"));
    }

    private static Optional<Rejection> name(X509Certificate leaf, String serverName) {
        List<String> dnsNames = facts(leaf).dnsNames();
        if (ServerNameMatcher.covers(dnsNames, serverName)) {
            return Optional.empty();
        }
        String names = dnsNames.isEmpty() ? "no DNS names" : "DNS names " + dnsNames;
        return Optional.of(new Rejection(Failure.SERVER_NAME_MISMATCH,
                "the server certificate " + subject(leaf) + " carries " + names
                        + " but Relay expects " + serverName
                        + "; Go ignores the common name"));
    }

    // Go verifies the chain first and then refuses a leaf key it cannot sign with.
    private static Optional<Rejection> keyType(X509Certificate leaf) {
        return GoKeyTypes.unsupported(leaf.getPublicKey())
                .map(type -> new Rejection(Failure.UNSUPPORTED_KEY, "the server certificate "
                        + subject(leaf) + " carries a key of type " + type + "; Go's TLS client"
                        + " accepts " + GoKeyTypes.SUPPORTED + " server keys only"));
    }

    private static CertificateFacts facts(X509Certificate leaf) {
        return CertificateFacts.of(leaf, CertificateRole.SERVER, "presented by the server");
    }

    private static String subject(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "'";
    }
}
