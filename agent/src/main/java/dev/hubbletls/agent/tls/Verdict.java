package dev.hubbletls.agent.tls;

import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.finding.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Gathers the concerns and details of one check and turns them into its finding: the
 * worst concern (the first of equals) gives status, reason and lead message; the others
 * are named after it. Used by one thread for one check.
 */
final class Verdict {

    private final CheckId check;
    private final List<Concern> concerns = new ArrayList<>();
    private final Map<String, String> details = new LinkedHashMap<>();

    Verdict(CheckId check) {
        this.check = check;
    }

    void add(Concern concern) {
        concerns.add(concern);
    }

    boolean hasConcerns() {
        return !concerns.isEmpty();
    }

    void detail(String key, String value) {
        details.put(key, value);
    }

    /** The details of {@code facts} under {@code prefix}, which is empty or ends in a dot. */
    void facts(String prefix, CertificateFacts facts, Instant now) {
        detail(prefix + "subject", facts.subject());
        detail(prefix + "issuer", facts.issuer());
        detail(prefix + "notBefore", TimeText.at(facts.notBefore()));
        detail(prefix + "notAfter", TimeText.at(facts.notAfter()));
        detail(prefix + "daysLeft", String.valueOf(facts.daysLeft(now)));
        detail(prefix + "sha256", facts.sha256());
        detail(prefix + "key", facts.key());
        detail(prefix + "signatureAlgorithm", facts.signatureAlgorithm());
        detail(prefix + "dnsNames", String.join(",", facts.dnsNames()));
        detail(prefix + "extendedKeyUsages", String.join(",", facts.extendedKeyUsages()));
    }

    Finding finding(String healthyMessage) {
        if (concerns.isEmpty()) {
            return new Finding(check, Status.OK, Reason.OK, healthyMessage, details);
        }
        Concern worst = concerns.get(0);
        for (Concern concern : concerns) {
            if (concern.status().ordinal() > worst.status().ordinal()) {
                worst = concern;
            }
        }
        List<Concern> others = new ArrayList<>(concerns);
        others.remove(worst);
        String message = sentence(worst.text());
        if (!others.isEmpty()) {
            message += " Also: " + others.stream().map(other -> sentence(other.text()))
                    .collect(Collectors.joining(" Also: "));
            detail("otherReasons", others.stream()
                    .map(other -> other.reason() + " (" + other.status().label() + ")")
                    .collect(Collectors.joining(",")));
        }
        return new Finding(check, worst.status(), worst.reason(), message, details);
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }
}
