package dev.hubbletls.agent.tls;

import dev.hubbletls.agent.finding.Reason;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Explains why a server certificate does not cover the expected server name: the name
 * only in the CN, a different cluster label, or names that are simply different.
 */
final class ServerNameAdvice {

    /** Hubble's server names end in this; the label before it is the cluster name. */
    private static final String HUBBLE_SUFFIX = ".hubble-grpc.cilium.io";

    private ServerNameAdvice() {
    }

    /** The mismatch concern, or empty when the certificate's DNS names cover the name. */
    static Optional<Concern> mismatch(X509Certificate certificate, String serverName) {
        List<String> dnsNames = CertificateFacts.of(certificate, CertificateRole.SERVER, "")
                .dnsNames();
        if (ServerNameMatcher.covers(dnsNames, serverName)) {
            return Optional.empty();
        }
        String subject = certificate.getSubjectX500Principal().getName();
        return Optional.of(Concern.critical(Reason.SERVER_NAME_MISMATCH, "Server certificate "
                + subject + " does not cover the server name " + serverName + " that Relay"
                + " verifies: it carries DNS names " + dnsNames
                + why(dnsNames, commonName(certificate), serverName)
                + "; re-issue hubble-server-certs with the DNS name " + wildcard(serverName)
                + "."));
    }

    private static String why(List<String> dnsNames, Optional<String> commonName,
                              String serverName) {
        if (commonName.isPresent() && ServerNameMatcher.matches(commonName.get(), serverName)) {
            return "; the name is only in the CN (" + commonName.get() + "), which Go ignores:"
                    + " it must be a DNS subject alternative name";
        }
        for (String dnsName : dnsNames) {
            Optional<String> cluster = otherCluster(dnsName, serverName);
            if (cluster.isPresent()) {
                return "; the certificate is for cluster `" + cluster.get() + "` but the server"
                        + " name expects cluster `" + cluster(serverName).orElseThrow()
                        + "`: the cluster name differs between the certificate's issuer and"
                        + " Cilium's cluster-name (a dot in it must become '-')";
            }
        }
        return "";
    }

    /** The certificate name's cluster when it differs from the server name's only there. */
    private static Optional<String> otherCluster(String dnsName, String serverName) {
        Optional<String> theirs = cluster(dnsName);
        Optional<String> ours = cluster(serverName);
        if (theirs.isEmpty() || ours.isEmpty() || theirs.equals(ours)) {
            return Optional.empty();
        }
        return theirs;
    }

    private static Optional<String> cluster(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(HUBBLE_SUFFIX)) {
            return Optional.empty();
        }
        String head = lower.substring(0, lower.length() - HUBBLE_SUFFIX.length());
        int dot = head.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.of(head.substring(dot + 1));
    }

    private static String wildcard(String serverName) {
        int dot = serverName.indexOf('.');
        return dot < 0 ? serverName : "*" + serverName.substring(dot);
    }

    private static Optional<String> commonName(X509Certificate certificate) {
        try {
            RDN[] names = X500Name.getInstance(certificate.getSubjectX500Principal()
                    .getEncoded()).getRDNs(BCStyle.CN);
            return names.length == 0 ? Optional.empty()
                    : Optional.of(IETFUtils.valueToString(names[0].getFirst().getValue()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
