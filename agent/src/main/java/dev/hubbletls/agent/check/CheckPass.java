package dev.hubbletls.agent.check;

import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.hubble.HubblePeer;
import dev.hubbletls.agent.hubble.NodeDiscovery;
import dev.hubbletls.agent.hubble.NodeDiscovery.Discovery;
import dev.hubbletls.agent.hubble.NodeName;
import dev.hubbletls.agent.hubble.PeerAddress;
import dev.hubbletls.agent.hubble.SocketHubbleClient;
import dev.hubbletls.agent.probe.JsseTlsDialer;
import dev.hubbletls.agent.probe.ProbeTarget;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateInspector;
import dev.hubbletls.agent.tls.CertificateRole;
import dev.hubbletls.agent.tls.ClientMaterial;
import dev.hubbletls.agent.tls.MaterialLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One pass of every check against this node's Hubble server: find it, read the relay's
 * material, probe the TLS endpoint, and judge everything seen. Never throws for anything
 * the outside world does; each problem ends in a finding.
 */
public final class CheckPass implements AutoCloseable {

    private final AgentSettings settings;
    private final Clock clock;
    private final Optional<SocketHubbleClient> socket;
    private final CertificateInspector inspector;
    private final ProbeRound probes;
    private final Optional<ServerFilesCheck> serverFiles;

    private CheckPass(AgentSettings settings, Clock clock, Optional<SocketHubbleClient> socket,
                      Duration reloadBound) {
        this.settings = settings;
        this.clock = clock;
        this.socket = socket;
        this.inspector = new CertificateInspector(clock, settings.thresholds());
        this.probes = new ProbeRound(new JsseTlsDialer(clock), inspector, clock,
                settings.timeout());
        this.serverFiles = settings.serverTlsFiles()
                .map(files -> new ServerFilesCheck(files, inspector, clock, reloadBound));
    }

    /** A pass as the settings describe it; the socket is only opened without an explicit target. */
    public static CheckPass create(AgentSettings settings, Clock clock) {
        return create(settings, clock, ServerFilesCheck.DEFAULT_RELOAD_BOUND);
    }

    /**
     * A pass whose {@code server-reload} check turns critical when the server still presents
     * its previous certificate {@code reloadBound} after the file changed.
     */
    public static CheckPass create(AgentSettings settings, Clock clock, Duration reloadBound) {
        Optional<SocketHubbleClient> socket = settings.explicitTarget()
                ? Optional.empty()
                : Optional.of(SocketHubbleClient.open(settings.socket()));
        return new CheckPass(settings, clock, socket, reloadBound);
    }

    /**
     * Runs every check once. The relay's material is read afresh each time, so the pass
     * after a rotation already dials with the new certificate.
     */
    public CheckReport run() {
        Instant started = clock.instant();
        CheckTimer timer = new CheckTimer(clock);
        List<Finding> findings = new ArrayList<>();
        Location location = locate();
        location.finding().ifPresent(finding -> {
            timer.record(CheckId.DISCOVERY, started);
            findings.add(finding);
        });

        // Reading the files is part of judging them: the client check's span covers both.
        Instant loading = timer.now();
        ClientMaterial material = MaterialLoader.load(settings.tlsFiles());
        findings.add(inspector.inspectClient(material));
        timer.record(CheckId.CLIENT_CERTIFICATE, loading);
        findings.add(timer.time(CheckId.CA_CERTIFICATE, () -> inspector.inspectCa(material)));
        List<CertificateFacts> certificates = new ArrayList<>(inspector.facts(material));

        ProbeRound.Outcome outcome = probe(location, material, timer);
        findings.addAll(outcome.findings());
        location.target().ifPresent(target -> certificates.addAll(CertificateFacts.ofChain(
                outcome.presented(), CertificateRole.SERVER, CertificateRole.SERVER_CHAIN,
                target.address())));
        serverFiles.ifPresent(check -> findings.addAll(check.judge(material,
                outcome.presented())));

        findings.sort(Comparator.comparing(Finding::check));
        return new CheckReport(location.node(), location.target(), started, clock.instant(),
                findings, certificates, timer.intervals());
    }

    private ProbeRound.Outcome probe(Location location, ClientMaterial material,
                                     CheckTimer timer) {
        if (location.target().isEmpty()) {
            return new ProbeRound.Outcome(ProbeRound.notRun(
                    "not run: this node's Hubble server was not found, see hubble-discovery"),
                    List.of());
        }
        ProbeTarget target = location.target().get();
        return location.tls()
                ? probes.againstTls(target, material, timer)
                : probes.againstPlaintext(target, timer);
    }

    /** Where to probe, and what discovery said about it. */
    private record Location(Optional<String> node, Optional<Finding> finding,
                            Optional<ProbeTarget> target, boolean tls) {
    }

    private Location locate() {
        if (settings.explicitTarget()) {
            PeerAddress address = settings.serverAddress().orElseThrow();
            ProbeTarget target = new ProbeTarget(address.host(), address.port(),
                    settings.serverName().orElseThrow());
            return new Location(settings.nodeName(), Optional.empty(), Optional.of(target), true);
        }
        String node = settings.nodeName().orElseThrow();
        Discovery discovery = new NodeDiscovery(socket.orElseThrow(), settings.timeout())
                .discover(node);
        Optional<ProbeTarget> target = discovery.peer().map(CheckPass::targetOf);
        boolean tls = discovery.peer().map(HubblePeer::servesTls).orElse(false);
        return new Location(Optional.of(node), Optional.of(discovery.finding()), target, tls);
    }

    // A peer without TLS has no server name; the one Cilium would give it stands in, since
    // only the plaintext probe dials such a peer.
    private static ProbeTarget targetOf(HubblePeer peer) {
        String serverName = peer.tlsServerName()
                .orElseGet(() -> NodeName.parse(peer.name()).serverName());
        return new ProbeTarget(peer.address().host(), peer.address().port(), serverName);
    }

    @Override
    public void close() {
        socket.ifPresent(SocketHubbleClient::close);
    }
}
