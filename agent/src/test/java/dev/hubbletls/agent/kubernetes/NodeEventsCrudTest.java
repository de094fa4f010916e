package dev.hubbletls.agent.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.MutableClock;
import dev.hubbletls.agent.check.SampleReports;
import dev.hubbletls.agent.config.KubernetesSettings;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events on the Node object, written to the mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class NodeEventsCrudTest {

    private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");
    private static final Duration REPEAT = Duration.ofHours(1);
    private static final List<String> NAMES = List.of("*.default.hubble-grpc.cilium.io");
    private static final Finding NOT_ENFORCED = Finding.of(CheckId.CLIENT_CERT_REQUIRED,
            Status.CRITICAL, Reason.MTLS_NOT_ENFORCED, "10.0.0.7:4244 accepted a client"
                    + " without a certificate");

    KubernetesClient client;

    private final MutableClock clock = new MutableClock(START);
    private KubernetesFeatures features;
    private Node node;

    @BeforeEach
    void start() {
        node = client.nodes().resource(new NodeBuilder().withNewMetadata()
                .withName(SampleReports.NODE).withUid("4f1c-node-uid").endMetadata().build())
                .create();
        KubernetesSettings settings = new KubernetesSettings(true, "kube-system",
                "cilium-config", true, REPEAT, "monitoring", Optional.of("agent-x7"));
        features = KubernetesFeatures.with(client, settings, Optional.of(SampleReports.NODE),
                clock, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        features.close();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace("monitoring").list().getItems().stream()
                .sorted(Comparator.comparing(event -> event.getMetadata().getName()))
                .toList();
    }

    private CheckReport report(Finding... findings) {
        return SampleReports.of(clock.instant(), NAMES, findings);
    }

    @Test
    void checkTurningCritical_createsOneWarningOnTheNode() throws InterruptedException {
        features.record(report(Finding.ok(CheckId.CLIENT_CERT_REQUIRED, "refused")));
        features.record(report(NOT_ENFORCED));

        List<Event> events = Eventually.await(this::events, list -> !list.isEmpty());

        assertThat(events).hasSize(1);
        Event event = events.getFirst();
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getReason()).isEqualTo("MtlsNotEnforced");
        assertThat(event.getMessage()).isEqualTo("client-cert-required is critical"
                + " [MTLS_NOT_ENFORCED]: 10.0.0.7:4244 accepted a client without a certificate");
        assertThat(event.getCount()).isEqualTo(1);
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Node");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("node-1");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(node.getMetadata().getUid());
        assertThat(event.getSource().getComponent()).isEqualTo("hubble-tls-agent");
        assertThat(event.getReportingInstance()).isEqualTo("agent-x7");
        assertThat(event.getMetadata().getName()).startsWith("node-1.");
    }

    @Test
    void lastingProblem_repeatsEveryRepeatInterval_byRaisingTheCountOfTheSameEvent()
            throws InterruptedException {
        features.record(report(NOT_ENFORCED));
        Eventually.await(this::events, list -> !list.isEmpty());

        clock.advance(REPEAT.minusMinutes(1));
        features.record(report(NOT_ENFORCED));
        clock.advance(Duration.ofMinutes(1));
        features.record(report(NOT_ENFORCED));

        List<Event> events = Eventually.await(this::events,
                list -> list.getFirst().getCount() >= 2);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().getCount()).isEqualTo(2);
        assertThat(events.getFirst().getLastTimestamp())
                .isEqualTo(START.plus(REPEAT).toString());
        assertThat(events.getFirst().getFirstTimestamp()).isEqualTo(START.toString());
    }

    @Test
    void recovery_isANormalEvent_andAHealthyStartIsQuiet() throws InterruptedException {
        features.record(report());
        features.record(report(Finding.ok(CheckId.CLIENT_CERT_REQUIRED, "refused")));
        features.record(report(NOT_ENFORCED));
        clock.advance(Duration.ofMinutes(1));
        features.record(report(Finding.ok(CheckId.CLIENT_CERT_REQUIRED, "refused again")));

        List<Event> events = Eventually.await(this::events, list -> list.size() >= 2);

        assertThat(events).extracting(Event::getType, Event::getReason)
                .containsExactly(tuple("Warning", "MtlsNotEnforced"),
                        tuple("Normal", "CheckRecovered"));
        assertThat(events.get(1).getMessage())
                .isEqualTo("client-cert-required is ok again (was critical): refused again");
    }

    @Test
    void rotation_isANormalEvent() throws InterruptedException {
        features.rotated("client.crt", "serial 1f -> 20, valid until 2027-05-01");

        List<Event> events = Eventually.await(this::events, list -> !list.isEmpty());

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getReason()).isEqualTo("CertificateRotated");
            assertThat(event.getMessage()).contains("client.crt: serial 1f -> 20");
        });
    }
}
