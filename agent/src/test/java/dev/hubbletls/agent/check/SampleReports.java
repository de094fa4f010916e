package dev.hubbletls.agent.check;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.probe.ProbeTarget;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small reports for tests of what consumes them: endpoints, Events, the config check. */
public final class SampleReports {

    public static final String NODE = "node-1";
    public static final ProbeTarget TARGET =
            new ProbeTarget("10.0.0.7", 4244, "node-1.default.hubble-grpc.cilium.io");

    private SampleReports() {
    }

    /** A report of {@code findings} found through discovery, with a server certificate. */
    public static CheckReport of(Instant at, List<String> serverDnsNames, Finding... findings) {
        List<Finding> all = new ArrayList<>(List.of(
                Finding.ok(CheckId.DISCOVERY, "found node-1 at 10.0.0.7:4244")));
        all.addAll(List.of(findings));
        return new CheckReport(Optional.of(NODE), Optional.of(TARGET), at, at.plusMillis(40),
                all, List.of(serverCertificate(at, serverDnsNames)), Map.of());
    }

    /** A server leaf valid for a year around {@code at}, carrying {@code dnsNames}. */
    public static CertificateFacts serverCertificate(Instant at, List<String> dnsNames) {
        return new CertificateFacts(CertificateRole.SERVER, "10.0.0.7:4244",
                "CN=*.default.hubble-grpc.cilium.io", "CN=Cilium CA", "1f",
                at.minus(Duration.ofDays(100)), at.plus(Duration.ofDays(265)), "AB".repeat(32),
                "RSA 2048", "SHA256withRSA", dnsNames, List.of("serverAuth", "clientAuth"),
                false);
    }
}
