package dev.hubbletls.agent.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.tls.CertificateFacts;
import dev.hubbletls.agent.watch.FileVersion;
import dev.hubbletls.agent.watch.Rotation;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The JSON form of a {@link CheckReport}: what {@code check --output json} prints and the
 * status endpoint serves. Field names are a contract; they are only ever added to.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    /** The report as a JSON tree; days left are counted from {@code now}. */
    public static ObjectNode tree(CheckReport report, Instant now) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("status", report.status().label());
        root.put("exitCode", report.status().exitCode());
        report.node().ifPresent(node -> root.put("node", node));
        report.target().ifPresent(target -> {
            ObjectNode node = root.putObject("target");
            node.put("address", target.address());
            node.put("serverName", target.serverName());
        });
        root.put("startedAt", report.startedAt().toString());
        root.put("finishedAt", report.finishedAt().toString());
        root.put("durationMillis", report.duration().toMillis());
        ArrayNode checks = root.putArray("checks");
        report.findings().forEach(finding -> checks.add(check(finding)));
        ArrayNode certificates = root.putArray("certificates");
        report.certificates().forEach(facts -> certificates.add(certificate(facts, now)));
        if (!report.rotations().isEmpty()) {
            root.set("rotationsSincePreviousPass", rotations(report.rotations()));
        }
        return root;
    }

    /**
     * Rotations as JSON, oldest first: file, when, and the version before and after, each
     * with the file's SHA-256 and, for a certificate file, serial, subject, NotAfter and the
     * certificate's SHA-256. The status endpoint serves the rotation log in this form.
     */
    public static ArrayNode rotations(List<Rotation> rotations) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Rotation rotation : rotations) {
            ObjectNode node = array.addObject();
            node.put("file", rotation.file().toString());
            node.put("detectedAt", rotation.detectedAt().toString());
            rotation.before().ifPresent(before -> node.set("before", version(before)));
            node.set("after", version(rotation.after()));
        }
        return array;
    }

    private static ObjectNode version(FileVersion version) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("sha256", version.sha256());
        version.serial().ifPresent(serial -> node.put("serial", serial));
        version.subject().ifPresent(subject -> node.put("subject", subject));
        version.notAfter().ifPresent(notAfter -> node.put("notAfter", notAfter.toString()));
        version.certificateSha256().ifPresent(sha -> node.put("certificateSha256", sha));
        return node;
    }

    /** The report as indented JSON text. */
    public static String text(CheckReport report, Instant now) {
        try {
            return MAPPER.writeValueAsString(tree(report, now));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode check(Finding finding) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", finding.check().id());
        node.put("status", finding.status().label());
        node.put("reason", finding.reason().name());
        node.put("message", finding.message());
        ObjectNode details = node.putObject("details");
        finding.details().forEach(details::put);
        return node;
    }

    private static ObjectNode certificate(CertificateFacts facts, Instant now) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("role", facts.role().label());
        node.put("source", facts.source());
        node.put("subject", facts.subject());
        node.put("issuer", facts.issuer());
        node.put("serial", facts.serial());
        node.put("notBefore", facts.notBefore().toString());
        node.put("notAfter", facts.notAfter().toString());
        node.put("daysLeft", facts.daysLeft(now));
        node.put("sha256", facts.sha256());
        node.put("key", facts.key());
        node.put("signatureAlgorithm", facts.signatureAlgorithm());
        ArrayNode dnsNames = node.putArray("dnsNames");
        facts.dnsNames().forEach(dnsNames::add);
        ArrayNode usages = node.putArray("extendedKeyUsages");
        facts.extendedKeyUsages().forEach(usages::add);
        node.put("ca", facts.ca());
        return node;
    }
}
