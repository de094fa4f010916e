package dev.hubbletls.agent.tls;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether a certificate's DNS names cover a server name by the rules of Go's
 * crypto/x509, which Hubble Relay verifies with: ASCII case-insensitive, a wildcard only
 * as the whole left-most label matching exactly one non-empty label, and never the CN.
 * IP addresses are matched against IP SANs by Go; this class sees DNS names only.
 */
public final class ServerNameMatcher {

    private static final String WILDCARD = "*";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

    private ServerNameMatcher() {
    }

    /** Whether any of {@code dnsNames} covers {@code serverName}. */
    public static boolean covers(List<String> dnsNames, String serverName) {
        return dnsNames.stream().anyMatch(name -> matches(name, serverName));
    }

    /** Whether one DNS name, possibly a wildcard, covers {@code serverName}. */
    public static boolean matches(String dnsName, String serverName) {
        String host = lower(serverName);
        // Go falls back to an exact comparison when either side is not a valid name, so a
        // partial wildcard such as f*.example.com matches only the literal string.
        if (validName(host, false) && validName(dnsName, true)) {
            return matchesLabels(lower(dnsName), trimDot(host));
        }
        return !isBlankName(dnsName) && !isBlankName(host) && lower(dnsName).equals(host);
    }

    private static boolean matchesLabels(String pattern, String host) {
        if (pattern.isEmpty() || host.isEmpty()) {
            return false;
        }
        String[] patternLabels = pattern.split("\\.", -1);
        String[] hostLabels = host.split("\\.", -1);
        if (patternLabels.length != hostLabels.length) {
            return false;
        }
        for (int i = 0; i < patternLabels.length; i++) {
            boolean wildcard = i == 0 && WILDCARD.equals(patternLabels[i]);
            if (!wildcard && !patternLabels[i].equals(hostLabels[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean validName(String name, boolean pattern) {
        String candidate = pattern ? name : trimDot(name);
        if (candidate.isEmpty() || WILDCARD.equals(candidate)) {
            return false;
        }
        String[] labels = candidate.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            boolean wildcard = pattern && i == 0 && WILDCARD.equals(labels[i]);
            if (!wildcard && !LABEL.matcher(labels[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlankName(String name) {
        return name.isEmpty() || ".".equals(name);
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    // Go lower-cases ASCII only, so a non-ASCII letter never matches its upper-case form.
    private static String lower(String name) {
        StringBuilder lower = new StringBuilder(name.length());
        name.chars().forEach(c -> lower.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c)));
        return lower.toString();
    }
}
