package dev.hubbletls.agent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hubbletls.agent.check.CheckPass;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.demo.HubbleSocketServer;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hostile.MisbehavingSocket.NotifyMode;
import dev.hubbletls.agent.hostile.MisbehavingSocket.StatusMode;
import dev.hubbletls.agent.hostile.ScriptedLoop.Judged;
import dev.hubbletls.agent.hostile.ScriptedLoop.Step;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.tls.TlsFiles;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the node-local socket and of the relay's TLS directory met by a running check
 * loop: every pass ends in findings that name the fault, the pass after it starts on time,
 * and the loop is healthy again once the fault is gone.
 */
class PassFaultTest {

    /** Short, so that a script of a dozen steps takes seconds. */
    private static final Duration INTERVAL = Duration.ofMillis(100);
    /** The loop's jitter, plus what a loaded shared machine adds to a scheduled start. */
    private static final long ON_TIME_MILLIS = INTERVAL.toMillis() * 11 / 10 + 400;
    private static final Duration SCRIPT_BOUND = Duration.ofSeconds(60);

    private static HostileNode hostile;

    @TempDir
    Path root;
    private Path socket;
    private TlsFiles relay;

    @BeforeAll
    static void startNode() throws IOException {
        hostile = new HostileNode();
    }

    @AfterAll
    static void stopNode() throws IOException {
        hostile.close();
    }

    @BeforeEach
    void layOut() throws IOException {
        socket = root.resolve("hubble.sock");
        relay = TlsFiles.relayLayout(Files.createDirectory(root.resolve("relay")));
        RelayDirectoryFaults.healthy(hostile.node.pki()).apply(relay);
    }

    @AfterEach
    void readable() throws IOException {
        RelayDirectoryFaults.makeReadable(relay);
    }

    @Test
    void relayDirectoryFaults_eachEndsInItsFinding_theNextPassOnTime_thenHealthyAgain()
            throws Exception {
        List<RelayDirectoryFaults.Fault> faults = RelayDirectoryFaults.all(hostile.node.pki());
        try (HubbleSocketServer server = HubbleSocketServer.start(socket, hostile.clock,
                List.of(hostile.announcement()));
             CheckPass pass = CheckPass.create(hostile.settings(socket, relay), hostile.clock)) {
            List<Step> steps = faults.stream()
                    .map(fault -> new Step(fault.name(), () -> fault.apply(relay))).toList();

            List<Judged> judged = ScriptedLoop.run(pass::run, INTERVAL, steps, SCRIPT_BOUND);

            assertThat(judged).hasSameSizeAs(faults);
            for (int i = 0; i < faults.size(); i++) {
                faults.get(i).assertVerdict(judged.get(i).report());
                assertOnTime(judged.get(i));
            }
        }
    }

    @Test
    void socketServerStopsAndStartsAgain_unreachableWhileDown_healthyOnTheFirstPassBack()
            throws Exception {
        HubbleSocketServer[] server = {start()};
        try (CheckPass pass = CheckPass.create(hostile.settings(socket, relay), hostile.clock)) {
            List<Step> steps = List.of(
                    new Step("socket server stopped", () -> server[0].close()),
                    new Step("still stopped", () -> { }),
                    new Step("still stopped, again", () -> { }),
                    new Step("socket server back on the same path", () -> server[0] = start()),
                    new Step("stopped, a stale socket file left behind", () -> {
                        server[0].close();
                        leaveStaleSocket();
                    }),
                    new Step("still refused", () -> { }),
                    new Step("still refused, again", () -> { }),
                    new Step("socket server back over the stale file", () -> server[0] = start()),
                    new Step("steady", () -> { }));

            List<Judged> judged = ScriptedLoop.run(pass::run, INTERVAL, steps, SCRIPT_BOUND);

            assertDiscovery(judged.get(0), Reason.SOCKET_UNREACHABLE, "does not exist");
            assertDiscovery(judged.get(2), Reason.SOCKET_UNREACHABLE, "does not exist");
            assertHealthy(judged.get(3));
            assertDiscovery(judged.get(4), Reason.SOCKET_UNREACHABLE, "connection refused");
            assertDiscovery(judged.get(6), Reason.SOCKET_UNREACHABLE, "connection refused");
            assertHealthy(judged.get(7));
            assertHealthy(judged.get(8));
            judged.forEach(PassFaultTest::assertOnTime);
        } finally {
            server[0].close();
        }
    }

    @Test
    void notifyFailsEndsOrFallsSilent_serverStatusHangs_eachNamed_passesBounded_thenHealthy()
            throws Exception {
        try (MisbehavingSocket misbehaving = MisbehavingSocket.start(socket, List.of(
                other("kind-worker2", "10.0.0.2:4244"), hostile.announcement(),
                other("kind-worker3", "10.0.0.3:4244")), hostile.announcement().getName());
             CheckPass pass = CheckPass.create(hostile.settings(socket, relay), hostile.clock)) {
            List<Step> steps = List.of(
                    new Step("Notify fails after listing other nodes",
                            () -> misbehaving.notify(NotifyMode.FAILS_MIDWAY)),
                    new Step("Notify ends after listing other nodes",
                            () -> misbehaving.notify(NotifyMode.ENDS_MIDWAY)),
                    new Step("Notify says nothing", () -> misbehaving.notify(NotifyMode.SILENT)),
                    new Step("Notify healthy again", () -> misbehaving.notify(NotifyMode.HEALTHY)),
                    new Step("ServerStatus hangs", () -> misbehaving.status(StatusMode.HANGS)),
                    new Step("ServerStatus answers again",
                            () -> misbehaving.status(StatusMode.HEALTHY)));

            List<Judged> judged = ScriptedLoop.run(pass::run, INTERVAL, steps, SCRIPT_BOUND);

            assertDiscovery(judged.get(0), Reason.SOCKET_UNREACHABLE, "peer.Peer/Notify",
                    "cilium-agent is restarting");
            assertDiscovery(judged.get(1), Reason.NODE_NOT_FOUND, "kind-worker2",
                    "kind-worker3");
            assertDiscovery(judged.get(2), Reason.SOCKET_UNREACHABLE, "did not answer",
                    "2000 ms");
            assertHealthy(judged.get(3));
            assertHealthy(judged.get(4));
            assertThat(judged.get(4).report().finding(CheckId.DISCOVERY).orElseThrow()
                    .details().get("server-status"))
                    .contains("ServerStatus failed", "did not answer");
            assertHealthy(judged.get(5));
            for (Judged each : judged) {
                assertOnTime(each);
                // One bounded wait for a silent peer at most, then the probes.
                assertThat(each.report().duration()).as(each.step().name())
                        .isLessThan(HostileNode.PROBE_TIMEOUT.multipliedBy(3));
            }
        }
    }

    private HubbleSocketServer start() throws IOException {
        return HubbleSocketServer.start(socket, hostile.clock, List.of(hostile.announcement()));
    }

    // Cilium killed hard leaves its socket file behind; connecting to it is refused.
    private void leaveStaleSocket() throws IOException {
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
    }

    private static ChangeNotification other(String name, String address) {
        return hostile.announcement().toBuilder().setName(name).setAddress(address).build();
    }

    static void assertOnTime(Judged judged) {
        assertThat(judged.waitedMillis()).as("wait before the pass of '%s'",
                judged.step().name()).isLessThanOrEqualTo(ON_TIME_MILLIS);
    }

    private static void assertDiscovery(Judged judged, Reason reason, String... words) {
        Finding discovery = judged.report().finding(CheckId.DISCOVERY).orElseThrow();
        assertThat(discovery.reason()).as(judged.step().name() + ": " + discovery.message())
                .isEqualTo(reason);
        assertThat(discovery.status()).isEqualTo(Status.ERROR);
        assertThat(discovery.message()).as(judged.step().name()).contains(words);
        assertThat(judged.report().finding(CheckId.MTLS_HANDSHAKE).orElseThrow().reason())
                .isEqualTo(Reason.SKIPPED);
    }

    private static void assertHealthy(Judged judged) {
        CheckReport report = judged.report();
        assertThat(report.findings()).as(judged.step().name())
                .allSatisfy(finding -> assertThat(finding.status())
                        .as(finding.check() + ": " + finding.message()).isEqualTo(Status.OK));
    }
}
