package dev.hubbletls.agent.hostile;

import dev.hubbletls.agent.tls.KeyFormat;
import dev.hubbletls.agent.tls.PemWriter;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises private key material in text: PEM markers, and any 40 characters of the
 * base64 body of the given keys in the formats they are written in, at any offset.
 */
public final class KeyText {

    /** How many characters of a key's base64 body count as a leak. */
    public static final int SLICE = 40;

    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{" + SLICE + ",}");
    private static final Pattern PEM_MARKER = Pattern.compile(
            "-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|KEY)|PRIVATE KEY-----");

    private final Set<String> slices = new HashSet<>();

    private KeyText(List<String> bodies) {
        for (String body : bodies) {
            for (int i = 0; i + SLICE <= body.length(); i++) {
                slices.add(body.substring(i, i + SLICE));
            }
        }
    }

    /** Every slice of the keys' bodies as PEM of {@code formats} and as bare PKCS#8 DER. */
    public static KeyText of(List<PrivateKey> keys) {
        List<String> bodies = new ArrayList<>();
        for (PrivateKey key : keys) {
            bodies.add(Base64.getEncoder().encodeToString(key.getEncoded()));
            for (KeyFormat format : formatsOf(key)) {
                bodies.add(body(PemWriter.privateKey(key, format)));
            }
        }
        return new KeyText(bodies);
    }

    /** Slices of the base64 bodies of the PEM texts given, such as key files read from disk. */
    public static KeyText ofPem(List<String> pemTexts) {
        return new KeyText(pemTexts.stream().map(KeyText::body).toList());
    }

    /** This and {@code other} together. */
    public KeyText and(KeyText other) {
        KeyText both = new KeyText(List.of());
        both.slices.addAll(slices);
        both.slices.addAll(other.slices);
        return both;
    }

    /** How many distinct slices are looked for. */
    public int size() {
        return slices.size();
    }

    /** The first leak in {@code text}, described without repeating it in full. */
    public Optional<String> leakIn(String text) {
        Matcher marker = PEM_MARKER.matcher(text);
        if (marker.find()) {
            return Optional.of("the PEM key marker '" + marker.group() + "' at offset "
                    + marker.start() + " of: " + text.substring(0, Math.min(text.length(),
                    marker.start() + 60)));
        }
        Matcher run = BASE64_RUN.matcher(text.replace("\r", "").replace("\n", ""));
        while (run.find()) {
            String candidate = run.group();
            for (int i = 0; i + SLICE <= candidate.length(); i++) {
                if (slices.contains(candidate.substring(i, i + SLICE))) {
                    return Optional.of("40 characters of a key body near offset "
                            + (run.start() + i) + " (starting "
                            + candidate.substring(i, i + 6) + "...)");
                }
            }
        }
        return Optional.empty();
    }

    private static List<KeyFormat> formatsOf(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> List.of(KeyFormat.PKCS1, KeyFormat.PKCS8);
            case "EC" -> List.of(KeyFormat.SEC1, KeyFormat.PKCS8);
            default -> List.of(KeyFormat.PKCS8);
        };
    }

    private static String body(String pem) {
        return pem.lines().filter(line -> !line.startsWith("-----") && !line.contains(":"))
                .map(String::strip).reduce("", String::concat);
    }
}
