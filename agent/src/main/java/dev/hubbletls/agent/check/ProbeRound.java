package dev.hubbletls.agent.check;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.probe.ClientCertRequiredProbe;
import dev.hubbletls.agent.probe.ClientCertVerifiedProbe;
import dev.hubbletls.agent.probe.DialSpec;
import dev.hubbletls.agent.probe.HubbleApiProbe;
import dev.hubbletls.agent.probe.MtlsHandshakeProbe;
import dev.hubbletls.agent.probe.MtlsHandshakeResult;
import dev.hubbletls.agent.probe.PlaintextProbe;
import dev.hubbletls.agent.probe.ProbeTarget;
import dev.hubbletls.agent.probe.TlsDialer;
import dev.hubbletls.agent.tls.CertificateInspector;
import dev.hubbletls.agent.tls.ClientIdentity;
import dev.hubbletls.agent.tls.ClientMaterial;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The network half of a pass: every probe against one Hubble endpoint. Each probe bounds
 * its own dials, so a silent server costs at most one timeout per probe.
 */
final class ProbeRound {

    private static final Logger LOG = Logger.getLogger(ProbeRound.class.getName());

    private final TlsDialer dialer;
    private final CertificateInspector inspector;
    private final Duration timeout;
    private final MtlsHandshakeProbe mtls;
    private final HubbleApiProbe api;
    private final ClientCertRequiredProbe withoutCertificate;
    private final ClientCertVerifiedProbe foreignCertificate;
    private final PlaintextProbe plaintext;

    ProbeRound(TlsDialer dialer, CertificateInspector inspector, Clock clock, Duration timeout) {
        this.dialer = dialer;
        this.inspector = inspector;
        this.timeout = timeout;
        this.mtls = new MtlsHandshakeProbe(dialer, clock, timeout);
        this.api = new HubbleApiProbe(timeout);
        this.withoutCertificate = new ClientCertRequiredProbe(dialer, timeout);
        this.foreignCertificate = new ClientCertVerifiedProbe(dialer, clock, timeout);
        this.plaintext = new PlaintextProbe(timeout);
    }

    /** Findings, and the chain the server presented (empty when it presented none). */
    record Outcome(List<Finding> findings, List<X509Certificate> presented) {
    }

    /**
     * Every probe against a server that serves TLS, one after another: some TLS servers
     * (openssl s_server among them) serve one connection at a time, and a probe queued
     * behind another one would read the wait as the server's verdict.
     */
    Outcome againstTls(ProbeTarget target, ClientMaterial material, CheckTimer timer) {
        Outcome relay = guardedRelayPath(target, material, timer);
        List<Finding> findings = new ArrayList<>(relay.findings());
        findings.add(run(CheckId.CLIENT_CERT_REQUIRED, timer,
                () -> withoutCertificate.probe(target)));
        findings.add(run(CheckId.CLIENT_CERT_VERIFIED, timer,
                () -> foreignCertificate.probe(target)));
        findings.add(run(CheckId.PLAINTEXT_REFUSED, timer, () -> plaintext.probe(target)));
        return new Outcome(findings, relay.presented());
    }

    /** Against a server that announced no TLS, only the plaintext probe makes sense. */
    Outcome againstPlaintext(ProbeTarget target, CheckTimer timer) {
        String why = "not run: the node announces no TLS, see hubble-discovery";
        List<Finding> findings = new ArrayList<>(skipped(why, CheckId.MTLS_HANDSHAKE,
                CheckId.SERVER_CERTIFICATE, CheckId.HUBBLE_API, CheckId.CLIENT_CERT_REQUIRED,
                CheckId.CLIENT_CERT_VERIFIED));
        findings.add(run(CheckId.PLAINTEXT_REFUSED, timer, () -> plaintext.probe(target)));
        return new Outcome(findings, List.of());
    }

    /** Placeholders for every network check when there is nothing to probe. */
    static List<Finding> notRun(String why) {
        return skipped(why, CheckId.MTLS_HANDSHAKE, CheckId.SERVER_CERTIFICATE,
                CheckId.HUBBLE_API, CheckId.CLIENT_CERT_REQUIRED, CheckId.CLIENT_CERT_VERIFIED,
                CheckId.PLAINTEXT_REFUSED);
    }

    private Outcome relayPath(ProbeTarget target, ClientMaterial material, CheckTimer timer) {
        if (material.identity().isEmpty() || material.trustBundle().isEmpty()) {
            return unusableMaterial(target, material);
        }
        ClientIdentity identity = material.identity().get();
        Instant start = timer.now();
        MtlsHandshakeResult handshake = mtls.probe(target, identity, material.trustBundle());
        timer.record(CheckId.MTLS_HANDSHAKE, start);
        Finding serverCertificate = timer.time(CheckId.SERVER_CERTIFICATE, () ->
                inspector.inspectServer(handshake.presentedChain(), material.trustBundle(),
                        target.serverName()));
        Finding apiCall = handshake.outcome().established()
                ? timer.time(CheckId.HUBBLE_API,
                        () -> api.probe(target, identity, material.trustBundle()))
                : skipped(CheckId.HUBBLE_API, "not run: the TLS handshake failed,"
                        + " see mtls-handshake");
        return new Outcome(List.of(handshake.finding(), serverCertificate, apiCall),
                handshake.presentedChain());
    }

    // Without the relay's own material the relay path cannot be walked, but the server's
    // certificate can still be fetched and judged against whatever CA bundle did load.
    private Outcome unusableMaterial(ProbeTarget target, ClientMaterial material) {
        String why = "not run: the relay's client material is unusable,"
                + " see client-certificate and ca-certificate";
        List<X509Certificate> presented =
                dialer.dial(target, DialSpec.anonymous(timeout)).presentedChain();
        Finding serverCertificate = material.trustBundle().isEmpty()
                ? skipped(CheckId.SERVER_CERTIFICATE, "not judged: no CA bundle to judge the"
                        + " presented certificate against, see ca-certificate")
                : inspector.inspectServer(presented, material.trustBundle(), target.serverName());
        return new Outcome(List.of(skipped(CheckId.MTLS_HANDSHAKE, why), serverCertificate,
                skipped(CheckId.HUBBLE_API, why)), presented);
    }

    // Probes turn every failure of the peer into a finding; what still escapes is a bug in
    // the agent, and it must cost only its own check, never the pass.
    private Finding run(CheckId check, CheckTimer timer, Supplier<Finding> probe) {
        try {
            return timer.time(check, probe);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, check.id() + " failed inside the agent; it reports an error"
                    + " and the next pass tries again", e);
            return failedInside(check);
        }
    }

    private Outcome guardedRelayPath(ProbeTarget target, ClientMaterial material,
                                     CheckTimer timer) {
        try {
            return relayPath(target, material, timer);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the relay path failed inside the agent; its checks report"
                    + " an error and the next pass tries again", e);
            return new Outcome(List.of(failedInside(CheckId.MTLS_HANDSHAKE),
                    failedInside(CheckId.SERVER_CERTIFICATE), failedInside(CheckId.HUBBLE_API)),
                    List.of());
        }
    }

    private static Finding failedInside(CheckId check) {
        return Finding.of(check, Status.ERROR, Reason.PROBE_FAILED, "the probe failed inside"
                + " the agent (see its log); the next pass tries again");
    }

    private static List<Finding> skipped(String why, CheckId... checks) {
        return Arrays.stream(checks).map(check -> skipped(check, why)).toList();
    }

    private static Finding skipped(CheckId check, String why) {
        return Finding.of(check, Status.ERROR, Reason.SKIPPED, why);
    }
}
