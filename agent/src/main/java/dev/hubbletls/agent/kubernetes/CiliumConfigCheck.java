package dev.hubbletls.agent.kubernetes;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.hubble.HubbleServerName;
import dev.hubbletls.agent.hubble.NodeName;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateRole;
import dev.hubbletls.agent.tls.ServerNameMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Judges Cilium's ConfigMap against what a pass saw on the node: TLS switched off, no
 * client CA (so no mutual TLS), a listen port that differs from the one the node
 * advertises, and a cluster name that implies a server name the certificate lacks.
 */
public final class CiliumConfigCheck {

    static final String DISABLE_TLS = "hubble-disable-tls";
    static final String LISTEN_ADDRESS = "hubble-listen-address";
    static final String CLIENT_CA_FILES = "hubble-tls-client-ca-files";
    static final String CLUSTER_NAME = "cluster-name";
    private static final List<String> REPORTED_KEYS = List.of(DISABLE_TLS, LISTEN_ADDRESS,
            CLIENT_CA_FILES, CLUSTER_NAME, "hubble-metrics-server",
            "hubble-metrics-server-enable-tls");

    private CiliumConfigCheck() {
    }

    /** One problem seen in the configuration. */
    private record Problem(Status status, Reason reason, String sentence) {
    }

    /** The finding for {@code state} against {@code report}; empty until the map was read. */
    public static Optional<Finding> judge(CiliumConfigState state, String reference,
                                          CheckReport report) {
        return switch (state) {
            case CiliumConfigState.Pending pending -> Optional.empty();
            case CiliumConfigState.Unavailable unavailable -> Optional.of(new Finding(
                    CheckId.CILIUM_CONFIG, Status.ERROR, Reason.CILIUM_CONFIG_UNAVAILABLE,
                    unavailable.problem(), Map.of("configMap", reference,
                            "failedAt", unavailable.at().toString())));
            case CiliumConfigState.Found found -> Optional.of(judge(found, reference, report));
        };
    }

    private static Finding judge(CiliumConfigState.Found found, String reference,
                                 CheckReport report) {
        Map<String, String> data = found.data();
        List<Problem> problems = new ArrayList<>();
        tlsProblem(data, reference).ifPresent(problems::add);
        portProblem(data, reference, report).ifPresent(problems::add);
        serverNameProblem(data, reference, report).ifPresent(problems::add);

        Map<String, String> details = new LinkedHashMap<>();
        details.put("configMap", reference);
        details.put("readAt", found.readAt().toString());
        REPORTED_KEYS.forEach(key -> details.put(key, data.getOrDefault(key, "(unset)")));
        if (problems.isEmpty()) {
            return new Finding(CheckId.CILIUM_CONFIG, Status.OK, Reason.OK, reference
                    + " agrees with the node: TLS on, client CA set, listen port and cluster"
                    + " name consistent", details);
        }
        Problem worst = problems.stream()
                .reduce((a, b) -> b.status().ordinal() > a.status().ordinal() ? b : a)
                .orElseThrow();
        String message = String.join(" ", problems.stream().map(Problem::sentence).toList());
        return new Finding(CheckId.CILIUM_CONFIG, worst.status(), worst.reason(), message,
                details);
    }

    private static Optional<Problem> tlsProblem(Map<String, String> data, String reference) {
        if ("true".equals(data.getOrDefault(DISABLE_TLS, "").strip().toLowerCase(Locale.ROOT))) {
            return Optional.of(new Problem(Status.CRITICAL, Reason.TLS_DISABLED, reference
                    + " sets " + DISABLE_TLS + ": \"true\", so Hubble serves plaintext and Relay"
                    + " with TLS cannot connect; set it to \"false\" and restart the Cilium"
                    + " agents."));
        }
        if (data.getOrDefault(CLIENT_CA_FILES, "").isBlank()) {
            return Optional.of(new Problem(Status.CRITICAL, Reason.MTLS_NOT_ENFORCED, reference
                    + " has no " + CLIENT_CA_FILES + ", so Hubble will accept clients without"
                    + " a certificate; set it to the client CA bundle (Helm: hubble.tls.enabled"
                    + " with hubble.relay.tls.client)."));
        }
        return Optional.empty();
    }

    // Only a port found through discovery is the one the node advertises; --server is the
    // operator's own choice.
    private static Optional<Problem> portProblem(Map<String, String> data, String reference,
                                                 CheckReport report) {
        Optional<Integer> listening = listenPort(data.getOrDefault(LISTEN_ADDRESS, ""));
        if (listening.isEmpty() || report.finding(CheckId.DISCOVERY).isEmpty()
                || report.target().isEmpty()) {
            return Optional.empty();
        }
        int advertised = report.target().get().port();
        if (listening.get() == advertised) {
            return Optional.empty();
        }
        return Optional.of(new Problem(Status.WARN, Reason.LISTEN_PORT_MISMATCH, reference
                + " sets " + LISTEN_ADDRESS + ": \"" + data.get(LISTEN_ADDRESS) + "\" (port "
                + listening.get() + ") but the node advertises port " + advertised
                + "; the Cilium agent was not restarted after the change, or peers dial the"
                + " wrong port. Restart the Cilium agents or fix the setting."));
    }

    private static Optional<Integer> listenPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(address.substring(colon + 1).strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Problem> serverNameProblem(Map<String, String> data,
                                                       String reference, CheckReport report) {
        Optional<CertificateFacts> leaf = report.certificates().stream()
                .filter(facts -> facts.role() == CertificateRole.SERVER)
                .findFirst();
        if (leaf.isEmpty() || report.node().isEmpty()) {
            return Optional.empty();
        }
        String cluster = data.getOrDefault(CLUSTER_NAME, "").strip();
        String expected = HubbleServerName.of(NodeName.parse(report.node().get()).node(), cluster);
        if (ServerNameMatcher.covers(leaf.get().dnsNames(), expected)) {
            return Optional.empty();
        }
        return Optional.of(new Problem(Status.CRITICAL, Reason.SERVER_NAME_MISMATCH, reference
                + " sets " + CLUSTER_NAME + ": \"" + cluster + "\", so Relay expects the name "
                + expected + ", but the server certificate " + leaf.get().subject()
                + " carries DNS names " + leaf.get().dnsNames() + "; reissue it for "
                + HubbleServerName.wildcard(cluster) + " or correct " + CLUSTER_NAME + "."));
    }
}
