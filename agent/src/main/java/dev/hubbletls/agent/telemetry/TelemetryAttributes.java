package dev.hubbletls.agent.telemetry;

import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Status;
import dev.hubbletls.agent.probe.ProbeTarget;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.tls.CertificateRole;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes of spans and events: OpenTelemetry's semantic conventions where they name
 * the fact ({@code server.*}, {@code tls.*}, {@code error.type}), {@code hubble_tls.*} for
 * the rest. Built only from findings and certificate facts, which never hold key material.
 */
final class TelemetryAttributes {

    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> TLS_PROTOCOL_NAME =
            AttributeKey.stringKey("tls.protocol.name");
    static final AttributeKey<String> TLS_PROTOCOL_VERSION =
            AttributeKey.stringKey("tls.protocol.version");
    static final AttributeKey<String> TLS_CIPHER = AttributeKey.stringKey("tls.cipher");
    static final AttributeKey<Boolean> TLS_ESTABLISHED = AttributeKey.booleanKey("tls.established");
    static final AttributeKey<String> TLS_NEXT_PROTOCOL =
            AttributeKey.stringKey("tls.next_protocol");
    static final AttributeKey<String> TLS_SERVER_SUBJECT =
            AttributeKey.stringKey("tls.server.subject");
    static final AttributeKey<String> TLS_SERVER_ISSUER =
            AttributeKey.stringKey("tls.server.issuer");
    static final AttributeKey<String> TLS_SERVER_NOT_AFTER =
            AttributeKey.stringKey("tls.server.not_after");
    static final AttributeKey<String> TLS_SERVER_SHA256 =
            AttributeKey.stringKey("tls.server.hash.sha256");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey("event.name");

    static final AttributeKey<String> CHECK = AttributeKey.stringKey("hubble_tls.check");
    static final AttributeKey<String> PROBE_KIND = AttributeKey.stringKey("hubble_tls.probe.kind");
    static final AttributeKey<String> EXPECTED_OUTCOME =
            AttributeKey.stringKey("hubble_tls.probe.expected_outcome");
    static final AttributeKey<String> VERDICT = AttributeKey.stringKey("hubble_tls.verdict");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("hubble_tls.reason");
    static final AttributeKey<String> NODE = AttributeKey.stringKey("hubble_tls.node");
    static final AttributeKey<String> SERVER_NAME =
            AttributeKey.stringKey("hubble_tls.server_name");
    static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("hubble_tls.message");
    static final AttributeKey<String> TRANSITION = AttributeKey.stringKey("hubble_tls.transition");
    static final AttributeKey<String> PREVIOUS_VERDICT =
            AttributeKey.stringKey("hubble_tls.previous.verdict");
    static final AttributeKey<String> PREVIOUS_REASON =
            AttributeKey.stringKey("hubble_tls.previous.reason");
    static final AttributeKey<String> SEVERITY = AttributeKey.stringKey("hubble_tls.severity");
    static final AttributeKey<Long> NOT_OK = AttributeKey.longKey("hubble_tls.checks.not_ok");
    static final AttributeKey<String> FILE = AttributeKey.stringKey("hubble_tls.file");
    static final String DETAIL_PREFIX = "hubble_tls.detail.";

    private TelemetryAttributes() {
    }

    /** Node, server name and address of the pass: on every span and event. */
    static AttributesBuilder target(CheckReport report) {
        AttributesBuilder attributes = node(report);
        report.target().ifPresent(target -> address(attributes, target));
        return attributes;
    }

    /** Only the node: for checks that never talk to the server. */
    static AttributesBuilder node(CheckReport report) {
        AttributesBuilder attributes = Attributes.builder();
        report.node().ifPresent(node -> attributes.put(NODE, node));
        return attributes;
    }

    /** Verdict, reason and, when the outcome is not the expected one, the error type. */
    static void verdict(AttributesBuilder attributes, Finding finding) {
        attributes.put(CHECK, finding.check().id());
        attributes.put(VERDICT, finding.status().label());
        attributes.put(REASON, finding.reason().name());
        if (finding.status() != Status.OK) {
            attributes.put(ERROR_TYPE, finding.reason().name());
        }
    }

    /** The TLS facts a finding's details and the report's certificates hold, by convention. */
    static void tls(AttributesBuilder attributes, Finding finding, CheckReport report) {
        Map<String, String> details = finding.details();
        first(details, "protocol", "tls-protocol").ifPresent(protocol -> protocol(attributes,
                protocol));
        first(details, "cipherSuite", "tls-cipher").ifPresent(cipher -> attributes.put(TLS_CIPHER,
                cipher));
        first(details, "alpn").filter(alpn -> !alpn.startsWith("("))
                .ifPresent(alpn -> attributes.put(TLS_NEXT_PROTOCOL, alpn));
        first(details, "failure").ifPresent(failure -> attributes.put(TLS_ESTABLISHED,
                failure.equals("NONE")));
        Optional<String> sha256 = first(details, "serverSha256", "server-certificate-sha256");
        Optional<CertificateFacts> server = report.certificates().stream()
                .filter(facts -> facts.role() == CertificateRole.SERVER)
                .filter(facts -> sha256.map(facts.sha256()::equalsIgnoreCase).orElse(true))
                .findFirst();
        server.ifPresent(facts -> {
            attributes.put(TLS_SERVER_SUBJECT, facts.subject());
            attributes.put(TLS_SERVER_ISSUER, facts.issuer());
            attributes.put(TLS_SERVER_NOT_AFTER, facts.notAfter().toString());
            attributes.put(TLS_SERVER_SHA256, facts.sha256());
        });
        if (server.isEmpty()) {
            first(details, "serverSubject").ifPresent(s -> attributes.put(TLS_SERVER_SUBJECT, s));
            first(details, "serverIssuer").ifPresent(s -> attributes.put(TLS_SERVER_ISSUER, s));
            sha256.ifPresent(hash -> attributes.put(TLS_SERVER_SHA256, hash));
        }
    }

    /** Every detail of the finding, under {@code hubble_tls.detail.}. */
    static void details(AttributesBuilder attributes, Finding finding) {
        finding.details().forEach((key, value) -> attributes.put(DETAIL_PREFIX + key, value));
    }

    private static void address(AttributesBuilder attributes, ProbeTarget target) {
        attributes.put(SERVER_ADDRESS, target.host());
        attributes.put(SERVER_PORT, (long) target.port());
        attributes.put(SERVER_NAME, target.serverName());
    }

    // JSSE names protocols "TLSv1.3"; the convention splits that into "tls" and "1.3".
    private static void protocol(AttributesBuilder attributes, String protocol) {
        int v = protocol.indexOf('v');
        if (v > 0) {
            attributes.put(TLS_PROTOCOL_NAME, protocol.substring(0, v).toLowerCase(Locale.ROOT));
            attributes.put(TLS_PROTOCOL_VERSION, protocol.substring(v + 1));
        }
    }

    private static Optional<String> first(Map<String, String> details, String... keys) {
        for (String key : keys) {
            String value = details.get(key);
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
