package dev.hubbletls.agent.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a certificate to be minted should say. Immutable; each {@code with} method
 * returns a changed copy.
 *
 * @param commonName the subject CN
 * @param dnsNames   DNS subject alternative names
 * @param ipAddresses IP subject alternative names
 * @param usages     extended key usages
 * @param keyKind    the key type of the new certificate
 * @param notBefore  start of validity
 * @param notAfter   end of validity
 * @param ca         whether it may sign other certificates
 */
public record CertificateSpec(String commonName, List<String> dnsNames, List<String> ipAddresses,
                              Set<Usage> usages, KeyKind keyKind, Instant notBefore,
                              Instant notAfter, boolean ca) {

    /** Extended key usages that matter between Relay and Hubble. */
    public enum Usage { SERVER_AUTH, CLIENT_AUTH }

    public CertificateSpec {
        Objects.requireNonNull(commonName, "commonName");
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        usages = usages.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(usages));
        Objects.requireNonNull(keyKind, "keyKind");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter
                    + " must be after notBefore " + notBefore);
        }
    }

    /** A CA certificate valid from {@code from} for {@code validity}. */
    public static CertificateSpec authority(String commonName, Instant from, Duration validity) {
        return new CertificateSpec(commonName, List.of(), List.of(), Set.of(), KeyKind.RSA_2048,
                from, from.plus(validity), true);
    }

    /** A leaf certificate with its CN also as its only DNS name, as Cilium issues them. */
    public static CertificateSpec leaf(String commonName, Instant from, Duration validity) {
        return new CertificateSpec(commonName, List.of(commonName), List.of(),
                EnumSet.allOf(Usage.class), KeyKind.RSA_2048, from, from.plus(validity), false);
    }

    public CertificateSpec withDnsNames(List<String> names) {
        return new CertificateSpec(commonName, names, ipAddresses, usages, keyKind, notBefore,
                notAfter, ca);
    }

    public CertificateSpec withIpAddresses(List<String> addresses) {
        return new CertificateSpec(commonName, dnsNames, addresses, usages, keyKind, notBefore,
                notAfter, ca);
    }

    public CertificateSpec withUsages(Set<Usage> newUsages) {
        return new CertificateSpec(commonName, dnsNames, ipAddresses, newUsages, keyKind,
                notBefore, notAfter, ca);
    }

    public CertificateSpec withKeyKind(KeyKind kind) {
        return new CertificateSpec(commonName, dnsNames, ipAddresses, usages, kind, notBefore,
                notAfter, ca);
    }

    public CertificateSpec withValidity(Instant from, Instant until) {
        return new CertificateSpec(commonName, dnsNames, ipAddresses, usages, keyKind, from,
                until, ca);
    }
}
