package dev.hubbletls.agent.probe;

import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.CertificateSpec;
import dev.hubbletls.agent.tls.ClientIdentity;
import dev.hubbletls.agent.tls.IssuedCertificate;
import dev.hubbletls.agent.tls.KeyKind;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The small world the probe tests share: a cluster PKI valid now (peers such as s_server
 * judge by the real clock), a fixed clock at that instant, and a short dial timeout.
 */
final class TestPki {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final String NODE = "kind-worker";

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    final ClusterPki cluster;

    TestPki(KeyKind kind) {
        cluster = ClusterPki.mint("default", kind, now.minus(Duration.ofHours(1)));
    }

    TestPki() {
        this(KeyKind.EC_P256);
    }

    String serverName() {
        return cluster.serverName(NODE);
    }

    ClientIdentity relay() {
        return ClientIdentity.of(cluster.relayClient());
    }

    List<X509Certificate> trust() {
        return List.of(cluster.ca().certificate());
    }

    /** A leaf issued by the cluster CA from {@code spec}. */
    IssuedCertificate issue(CertificateSpec spec) {
        return CertificateMint.issue(spec.withKeyKind(KeyKind.EC_P256), cluster.ca());
    }

    /** A CA unrelated to the cluster, with a name of its own. */
    static IssuedCertificate otherCa(String name, Instant now) {
        return CertificateMint.selfSigned(CertificateSpec.authority(name,
                now.minus(Duration.ofHours(1)), Duration.ofDays(30)).withKeyKind(KeyKind.EC_P256));
    }
}
