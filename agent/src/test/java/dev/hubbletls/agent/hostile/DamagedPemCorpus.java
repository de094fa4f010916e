package dev.hubbletls.agent.hostile;

import dev.hubbletls.agent.hostile.SeededPki.Extras;
import dev.hubbletls.agent.hostile.SeededPki.Issued;
import dev.hubbletls.agent.tls.KeyFormat;
import dev.hubbletls.agent.tls.PemWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Damaged PEM files and certificates, several thousand of them, generated from one seed:
 * every way the relay's client certificate, key, CA bundle or a server's chain can arrive
 * truncated, bit-flipped, mislabelled, reformatted, padded with binary, oversized,
 * mismatched or misordered. Each case names the file it damages and what the verdict on
 * that file must be.
 */
final class DamagedPemCorpus {

    /** Which file a case damages; the other three stay pristine. */
    enum Slot { CLIENT_CERT, CLIENT_KEY, CA, SERVER_CHAIN }

    /** What the verdict on the damaged file must be. */
    enum Expect {
        /** The check judging the file must not be ok. */
        FAILS,
        /** Some check must not be ok: the damage shows only where the file is used. */
        NOTICED,
        /** Go's crypto/tls reads the file as before, so every check must stay ok. */
        HEALTHY,
        /** Either verdict is defensible; only a finding, and no exception, is required. */
        ANY
    }

    /** One damaged file. */
    record Case(String id, Variant variant, Slot slot, byte[] content, Expect expect) {
    }

    /**
     * The four pristine files of one setup, and every private key they involve.
     *
     * @param name        what the setup is (key type and format, chain shape)
     * @param keys        keys whose text must never appear in any finding
     */
    record Variant(String name, String clientCert, String clientKey, String ca,
                   String serverChain, List<PrivateKey> keys) {

        String pristine(Slot slot) {
            return switch (slot) {
                case CLIENT_CERT -> clientCert;
                case CLIENT_KEY -> clientKey;
                case CA -> ca;
                case SERVER_CHAIN -> serverChain;
            };
        }
    }

    private static final int TRUNCATION_STEP = 9;
    private static final int SINGLE_FLIPS = 40;
    private static final int MULTI_FLIPS = 15;
    private static final int SUBSTITUTIONS = 20;
    private static final String BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final Random random;
    private final List<Variant> variants;
    private final List<Case> cases = new ArrayList<>();
    private final Issued root;
    private final Issued intermediate;
    private final Issued client;
    private final Issued server;
    private final SeededPki pki;

    private DamagedPemCorpus(long seed) {
        random = new Random(seed);
        pki = new SeededPki(seed);
        root = pki.rootAuthority("Cilium CA");
        intermediate = pki.authority("Cilium Intermediate CA", pki.keys("EC"), root,
                Extras.NONE);
        client = pki.leaf(SeededPki.CLIENT_NAME, pki.keys("EC"), root, Extras.NONE);
        server = pki.leaf(SeededPki.SERVER_WILDCARD, pki.keys("EC"), root, Extras.NONE);
        variants = mintVariants();
    }

    /** The corpus of {@code seed}: the same bytes, in the same order, on every run. */
    static DamagedPemCorpus generate(long seed) {
        DamagedPemCorpus corpus = new DamagedPemCorpus(seed);
        for (Variant variant : corpus.variants) {
            for (Slot slot : Slot.values()) {
                corpus.damage(variant, slot);
            }
        }
        corpus.structural(corpus.variants.get(0));
        return corpus;
    }

    List<Variant> variants() {
        return variants;
    }

    List<Case> cases() {
        return List.copyOf(cases);
    }

    private List<Variant> mintVariants() {
        Issued rsa = pki.leaf(SeededPki.CLIENT_NAME, pki.keys("RSA"), root, Extras.NONE);
        Issued ed = pki.leaf(SeededPki.CLIENT_NAME, pki.keys("Ed25519"), root, Extras.NONE);
        Issued chained = pki.leaf(SeededPki.CLIENT_NAME, pki.keys("EC"), intermediate,
                Extras.NONE);
        Issued chainedServer = pki.leaf(SeededPki.SERVER_WILDCARD, pki.keys("EC"),
                intermediate, Extras.NONE);
        return List.of(
                variant("ec-sec1", List.of(client), client, KeyFormat.SEC1, List.of(server)),
                variant("ec-pkcs8", List.of(client), client, KeyFormat.PKCS8, List.of(server)),
                variant("rsa-pkcs1", List.of(rsa), rsa, KeyFormat.PKCS1, List.of(server)),
                variant("ed25519-pkcs8", List.of(ed), ed, KeyFormat.PKCS8, List.of(server)),
                variant("intermediate", List.of(chained, intermediate), chained,
                        KeyFormat.SEC1, List.of(chainedServer, intermediate)));
    }

    private Variant variant(String name, List<Issued> clientChain, Issued key, KeyFormat format,
                            List<Issued> serverChain) {
        return new Variant(name, pem(clientChain), PemWriter.privateKey(key.privateKey(), format),
                pem(List.of(root)), pem(serverChain),
                List.of(key.privateKey(), root.privateKey(), server.privateKey(),
                        client.privateKey(), intermediate.privateKey()));
    }

    private void damage(Variant variant, Slot slot) {
        String text = variant.pristine(slot);
        truncations(variant, slot, text);
        bitFlips(variant, slot, text);
        substitutions(variant, slot, text);
        headers(variant, slot, text);
        layouts(variant, slot, text);
        binary(variant, slot, text);
    }

    private void truncations(Variant variant, Slot slot, String text) {
        byte[] bytes = ascii(text);
        int firstEnd = text.indexOf("-----", text.indexOf("-----END")) + 5;
        for (int cut = 0; cut < bytes.length; cut += TRUNCATION_STEP) {
            add(variant, slot, "truncated at " + cut, Arrays.copyOf(bytes, cut),
                    cut < firstEnd ? Expect.FAILS : Expect.ANY);
        }
        for (int cut = firstEnd - 12; cut < firstEnd; cut++) {
            add(variant, slot, "truncated in the END line at " + cut,
                    Arrays.copyOf(bytes, cut), Expect.FAILS);
        }
    }

    private void bitFlips(Variant variant, Slot slot, String text) {
        byte[] bytes = ascii(text);
        int bodyStart = text.indexOf('\n') + 1;
        int bodyEnd = text.indexOf("-----END");
        for (int i = 0; i < SINGLE_FLIPS; i++) {
            byte[] flipped = bytes.clone();
            int at = bodyStart + random.nextInt(bodyEnd - bodyStart);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
            add(variant, slot, "bit flipped in the body at " + at, flipped, Expect.ANY);
        }
        for (int i = 0; i < MULTI_FLIPS; i++) {
            byte[] flipped = bytes.clone();
            int flips = 2 + random.nextInt(7);
            for (int flip = 0; flip < flips; flip++) {
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
            }
            add(variant, slot, flips + " bits flipped anywhere, round " + i, flipped,
                    Expect.ANY);
        }
    }

    /** Base64 characters replaced by other base64 characters: the DER changes, not the PEM. */
    private void substitutions(Variant variant, Slot slot, String text) {
        int bodyStart = text.indexOf('\n') + 1;
        int bodyEnd = text.indexOf("-----END");
        for (int i = 0; i < SUBSTITUTIONS; i++) {
            char[] chars = text.toCharArray();
            int at = bodyStart + random.nextInt(bodyEnd - bodyStart);
            while (BASE64.indexOf(chars[at]) < 0) {
                at = bodyStart + random.nextInt(bodyEnd - bodyStart);
            }
            chars[at] = BASE64.charAt(random.nextInt(BASE64.length()));
            add(variant, slot, "base64 character replaced at " + at,
                    ascii(new String(chars)), Expect.ANY);
        }
    }

    private void headers(Variant variant, Slot slot, String text) {
        String type = text.substring(11, text.indexOf("-----", 11));
        for (String other : List.of("X509 CERTIFICATE", "TRUSTED CERTIFICATE",
                "CERTIFICATE REQUEST", "PUBLIC KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY",
                "PGP PRIVATE KEY BLOCK", "PKCS7", "X509 CRL", type.toLowerCase(),
                type + " ", " " + type, type.replace(' ', '_'))) {
            if (!other.equals(type)) {
                add(variant, slot, "type " + type + " relabelled " + other,
                        ascii(text.replace("-----BEGIN " + type + "-----",
                                "-----BEGIN " + other + "-----")
                                .replace("-----END " + type + "-----",
                                        "-----END " + other + "-----")), Expect.FAILS);
            }
        }
        String otherKind = type.endsWith("PRIVATE KEY") ? "CERTIFICATE" : "RSA PRIVATE KEY";
        add(variant, slot, "BEGIN " + type + " but END " + otherKind, ascii(text.replace(
                "-----END " + type, "-----END " + otherKind)), Expect.FAILS);
        add(variant, slot, "BEGIN " + otherKind + " but END " + type, ascii(text.replace(
                "-----BEGIN " + type, "-----BEGIN " + otherKind)), Expect.FAILS);
        add(variant, slot, "END line missing", ascii(withoutLine(text, "-----END")),
                Expect.FAILS);
        add(variant, slot, "BEGIN line missing", ascii(withoutLine(text, "-----BEGIN")),
                Expect.FAILS);
        add(variant, slot, "four dashes", ascii(text.replace("-----", "----")), Expect.FAILS);
        add(variant, slot, "BEGIN line twice", ascii(text.replaceFirst("(-----BEGIN [^\n]*\n)",
                "$1$1")), Expect.FAILS);
        add(variant, slot, "END line twice", ascii(text.replaceFirst("(-----END [^\n]*\n)",
                "$1$1")), Expect.ANY);
        add(variant, slot, "six dashes", ascii(text.replace("-----", "------")), Expect.ANY);
        add(variant, slot, "indented BEGIN", ascii("  " + text), Expect.ANY);
        add(variant, slot, "text after the BEGIN marker", ascii(text.replaceFirst(
                "(-----BEGIN [^\n]*-----)", "$1 trailing")), Expect.ANY);
        add(variant, slot, "RFC 1421 header line", ascii(text.replaceFirst(
                "(-----BEGIN [^\n]*\n)", "$1Comment: made by hand\n\n")), Expect.ANY);
        add(variant, slot, "encrypted Proc-Type over a plain body", ascii(text.replaceFirst(
                "(-----BEGIN [^\n]*\n)", "$1Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
                        + "00112233445566778899AABBCCDDEEFF\n\n")),
                // Go reads a certificate's DER whatever the headers say; a key it refuses.
                slot == Slot.CLIENT_KEY ? Expect.FAILS : Expect.HEALTHY);
    }

    private void layouts(Variant variant, Slot slot, String text) {
        String body = text.lines().filter(line -> !line.startsWith("-----"))
                .collect(Collectors.joining());
        String begin = text.lines().findFirst().orElseThrow();
        String end = text.lines().filter(line -> line.startsWith("-----END")).findFirst()
                .orElseThrow();
        boolean single = text.indexOf("-----BEGIN") == text.lastIndexOf("-----BEGIN");
        add(variant, slot, "CRLF line ends", ascii(text.replace("\n", "\r\n")), Expect.HEALTHY);
        add(variant, slot, "no final newline", ascii(text.stripTrailing()), Expect.HEALTHY);
        add(variant, slot, "blank lines around", ascii("\n\n" + text + "\n\n\n"),
                Expect.HEALTHY);
        add(variant, slot, "trailing spaces on every line",
                ascii(text.replace("\n", "  \n")), Expect.HEALTHY);
        add(variant, slot, "openssl Bag Attributes preamble", ascii("Bag Attributes\n"
                + "    friendlyName: relay\nsubject=/CN=relay\n" + text), Expect.HEALTHY);
        if (single) {
            add(variant, slot, "body on one line", ascii(begin + "\n" + body + "\n" + end
                    + "\n"), Expect.HEALTHY);
            add(variant, slot, "body wrapped at 76", ascii(begin + "\n" + wrap(body, 76)
                    + end + "\n"), Expect.HEALTHY);
            add(variant, slot, "body wrapped at 5", ascii(begin + "\n" + wrap(body, 5) + end
                    + "\n"), Expect.ANY);
        }
        add(variant, slot, "CR line ends", ascii(text.replace('\n', '\r')), Expect.ANY);
        add(variant, slot, "UTF-8 byte order mark", concat(new byte[] {(byte) 0xEF,
            (byte) 0xBB, (byte) 0xBF}, ascii(text)), Expect.ANY);
        add(variant, slot, "blank line inside the body", ascii(text.replaceFirst(
                "(-----BEGIN [^\n]*\n[^\n]*\n)", "$1\n")), Expect.ANY);
        add(variant, slot, "tab-indented body", ascii(text.replaceAll("\n([A-Za-z0-9+/])",
                "\n\t$1")), Expect.ANY);
        add(variant, slot, "UTF-16 encoded", text.getBytes(StandardCharsets.UTF_16),
                Expect.FAILS);
    }

    private void binary(Variant variant, Slot slot, String text) {
        byte[] bytes = ascii(text);
        add(variant, slot, "NUL bytes after the END line", concat(bytes, new byte[64]),
                Expect.HEALTHY);
        add(variant, slot, "NUL bytes before the BEGIN line", concat(new byte[16], bytes),
                Expect.ANY);
        for (int i = 0; i < 4; i++) {
            byte[] nul = bytes.clone();
            nul[random.nextInt(nul.length)] = 0;
            add(variant, slot, "NUL byte inside, round " + i, nul, Expect.ANY);
        }
        add(variant, slot, "NUL bytes only", new byte[bytes.length], Expect.FAILS);
        add(variant, slot, "spaces and newlines only", ascii(" \n\t\r\n \n"), Expect.FAILS);
        add(variant, slot, "empty file", new byte[0], Expect.FAILS);
        for (int size : List.of(1, 2, 31, 512, 4096)) {
            byte[] noise = new byte[size];
            random.nextBytes(noise);
            // A noise file that begins with a DER SEQUENCE tag takes the other error path.
            noise[0] = size % 2 == 0 ? 0x30 : noise[0];
            add(variant, slot, size + " random bytes", noise, Expect.FAILS);
        }
        byte[] der = Base64.getMimeDecoder().decode(text.lines()
                .takeWhile(line -> !line.startsWith("-----END"))
                .filter(line -> !line.startsWith("-----")).collect(Collectors.joining()));
        add(variant, slot, "DER instead of PEM", der, Expect.FAILS);
        add(variant, slot, "base64 body without markers",
                ascii(Base64.getMimeEncoder().encodeToString(der)), Expect.FAILS);
        byte[] noise = new byte[300];
        random.nextBytes(noise);
        add(variant, slot, "PEM between binary noise", concat(concat(noise,
                ascii("\n" + text)), noise), Expect.ANY);
    }

    /** Whole-file faults that need certificates of their own. */
    private void structural(Variant base) {
        Issued other = pki.leaf(SeededPki.CLIENT_NAME, pki.keys("EC"), root, Extras.NONE);
        Issued foreignCa = pki.rootAuthority("Cilium CA");
        Issued foreign = pki.leaf(SeededPki.SERVER_WILDCARD, pki.keys("EC"), foreignCa,
                Extras.NONE);
        oversized(base);
        mismatches(base, other);
        orders(base);
        twenty(base, other, foreign);
        add(base, Slot.SERVER_CHAIN, "server certificate from a CA of the same name",
                ascii(pem(List.of(foreign))), Expect.FAILS);
        Issued garbled = pki.leaf(SeededPki.SERVER_WILDCARD, pki.keys("EC"), foreignCa,
                new Extras("", 0, 0, true));
        add(base, Slot.SERVER_CHAIN, "foreign server certificate with garbled key ids",
                ascii(pem(List.of(garbled))), Expect.FAILS);
        Issued garbledCa = pki.authority("Garbled CA", pki.keys("EC"), null,
                new Extras("", 0, 0, true));
        add(base, Slot.CA, "bundle with a CA whose key ids are garbled",
                ascii(base.ca() + pem(List.of(garbledCa))), Expect.ANY);
        add(base, Slot.CA, "bundle of only a CA whose key ids are garbled",
                ascii(pem(List.of(garbledCa))), Expect.NOTICED);
        swaps(base);
        encrypted(base);
        byte[] huge = ascii(base.ca().repeat(1 + (1 << 20) / base.ca().length()));
        add(base, Slot.CA, "CA bundle over 1 MiB", huge, Expect.FAILS);
    }

    private void oversized(Variant base) {
        Issued wideSubject = pki.leaf(SeededPki.CLIENT_NAME, pki.keys("EC"), root,
                new Extras("x".repeat(64 * 1024), 0, 0, false));
        Issued wideExtension = pki.leaf(SeededPki.CLIENT_NAME, pki.keys("EC"), root,
                new Extras("", 64 * 1024, 0, false));
        Issued manyNames = pki.leaf(SeededPki.SERVER_WILDCARD, pki.keys("EC"), root,
                new Extras("", 0, 2000, false));
        Issued wideCa = pki.authority("Cilium CA", pki.keys("EC"), null,
                new Extras("y".repeat(64 * 1024), 64 * 1024, 0, false));
        for (Issued big : List.of(wideSubject, wideExtension)) {
            String name = big == wideSubject ? "64 KiB subject" : "64 KiB extension";
            Variant own = withClient(base, big);
            add(own, Slot.CLIENT_CERT, "client certificate with a " + name,
                    ascii(own.clientCert()), Expect.HEALTHY);
            add(base, Slot.SERVER_CHAIN, "server chain led by a client certificate with a "
                    + name, ascii(pem(List.of(big))), Expect.FAILS);
        }
        add(base, Slot.SERVER_CHAIN, "server certificate with 2000 more DNS names",
                ascii(pem(List.of(manyNames))), Expect.HEALTHY);
        add(base, Slot.CA, "bundle with a CA of 64 KiB subject and extension",
                ascii(base.ca() + pem(List.of(wideCa))), Expect.HEALTHY);
        add(base, Slot.CA, "bundle of only a same-named CA of 64 KiB subject and extension",
                ascii(pem(List.of(wideCa))), Expect.ANY);
    }

    private void mismatches(Variant base, Issued other) {
        add(base, Slot.CLIENT_KEY, "key of another EC certificate",
                ascii(PemWriter.privateKey(other.privateKey(), KeyFormat.SEC1)), Expect.FAILS);
        add(base, Slot.CLIENT_KEY, "the CA's key", ascii(PemWriter.privateKey(
                root.privateKey(), KeyFormat.PKCS8)), Expect.FAILS);
        add(base, Slot.CLIENT_KEY, "the server's key", ascii(PemWriter.privateKey(
                server.privateKey(), KeyFormat.SEC1)), Expect.FAILS);
        for (Variant variant : variants.subList(2, 4)) {
            add(base, Slot.CLIENT_KEY, "key of the " + variant.name() + " client",
                    ascii(variant.clientKey()), Expect.FAILS);
            add(variant, Slot.CLIENT_KEY, "EC key for a " + variant.name() + " certificate",
                    ascii(base.clientKey()), Expect.FAILS);
        }
        add(base, Slot.CLIENT_KEY, "two keys, the wrong one first", ascii(PemWriter.privateKey(
                other.privateKey(), KeyFormat.SEC1) + base.clientKey()), Expect.FAILS);
        add(base, Slot.CLIENT_KEY, "two keys, the right one first", ascii(base.clientKey()
                + PemWriter.privateKey(other.privateKey(), KeyFormat.SEC1)), Expect.HEALTHY);
    }

    private void orders(Variant base) {
        Variant chained = variants.get(4);
        List<X509Certificate> clientChain = certificates(chained.clientCert());
        List<X509Certificate> serverChain = certificates(chained.serverChain());
        add(chained, Slot.CLIENT_CERT, "client chain with the intermediate first",
                ascii(PemWriter.certificates(clientChain.reversed())), Expect.FAILS);
        add(chained, Slot.CLIENT_CERT, "client chain with the root appended",
                ascii(chained.clientCert() + base.ca()), Expect.HEALTHY);
        add(chained, Slot.SERVER_CHAIN, "server chain with the intermediate first",
                ascii(PemWriter.certificates(serverChain.reversed())), Expect.FAILS);
        add(chained, Slot.SERVER_CHAIN, "server chain without its intermediate",
                ascii(PemWriter.certificates(serverChain.subList(0, 1))), Expect.FAILS);
        add(chained, Slot.SERVER_CHAIN, "server chain: leaf, root, intermediate",
                ascii(PemWriter.certificates(serverChain.subList(0, 1)) + base.ca()
                        + PemWriter.certificates(serverChain.subList(1, 2))), Expect.HEALTHY);
        add(chained, Slot.CA, "bundle of the intermediate instead of the root",
                ascii(PemWriter.certificates(serverChain.subList(1, 2))), Expect.ANY);
        add(chained, Slot.CA, "bundle of the client leaf instead of a CA",
                ascii(PemWriter.certificates(clientChain.subList(0, 1))), Expect.NOTICED);
    }

    private void twenty(Variant base, Issued other, Issued foreign) {
        List<Issued> cas = IntStream.range(0, 19)
                .mapToObj(i -> pki.rootAuthority("Retired CA " + i)).toList();
        String retired = pem(cas);
        add(base, Slot.CA, "bundle of twenty CAs, the right one last",
                ascii(retired + base.ca()), Expect.HEALTHY);
        add(base, Slot.CA, "bundle of twenty CAs, none the right one",
                ascii(retired + pem(List.of(cas.get(0)))), Expect.NOTICED);
        add(base, Slot.CLIENT_CERT, "client file of twenty certificates, the leaf first",
                ascii(base.clientCert() + retired), Expect.ANY);
        add(base, Slot.CLIENT_CERT, "client file of twenty certificates, the leaf last",
                ascii(retired + base.clientCert()), Expect.FAILS);
        add(base, Slot.SERVER_CHAIN, "server chain of twenty certificates",
                ascii(base.serverChain() + retired), Expect.ANY);
        add(base, Slot.SERVER_CHAIN, "server chain of twenty, a foreign leaf first",
                ascii(pem(List.of(foreign)) + retired), Expect.FAILS);
        add(base, Slot.CLIENT_CERT, "client file holding another client certificate",
                ascii(pem(List.of(other))), Expect.FAILS);
    }

    private void swaps(Variant base) {
        add(base, Slot.CLIENT_CERT, "the key in the certificate file", ascii(base.clientKey()),
                Expect.FAILS);
        add(base, Slot.CLIENT_KEY, "the certificate in the key file", ascii(base.clientCert()),
                Expect.FAILS);
        add(base, Slot.CA, "the key in the CA file", ascii(base.clientKey()), Expect.FAILS);
        add(base, Slot.SERVER_CHAIN, "a key as the server chain", ascii(base.clientKey()),
                Expect.FAILS);
        add(base, Slot.CLIENT_CERT, "certificate and key in one file",
                ascii(base.clientCert() + base.clientKey()), Expect.HEALTHY);
    }

    private void encrypted(Variant base) {
        for (Variant variant : variants.subList(0, 4)) {
            PrivateKey key = variant.keys().get(0);
            String pkcs8 = pki.encryptedPkcs8(key);
            add(variant, Slot.CLIENT_KEY, "encrypted PKCS#8", ascii(pkcs8), Expect.FAILS);
            for (int cut = 0; cut < pkcs8.length(); cut += 4 * TRUNCATION_STEP) {
                add(variant, Slot.CLIENT_KEY, "encrypted PKCS#8 truncated at " + cut,
                        Arrays.copyOf(ascii(pkcs8), cut), Expect.FAILS);
            }
        }
        add(base, Slot.CLIENT_KEY, "legacy Proc-Type encrypted key",
                ascii(pki.legacyEncrypted(base.keys().get(0))), Expect.FAILS);
    }

    private Variant withClient(Variant base, Issued leaf) {
        return new Variant(base.name(), pem(List.of(leaf)),
                PemWriter.privateKey(leaf.privateKey(), KeyFormat.SEC1), base.ca(),
                base.serverChain(), concatKeys(base.keys(), leaf.privateKey()));
    }

    private static List<PrivateKey> concatKeys(List<PrivateKey> keys, PrivateKey more) {
        List<PrivateKey> all = new ArrayList<>(keys);
        all.add(more);
        return List.copyOf(all);
    }

    private void add(Variant variant, Slot slot, String what, byte[] content, Expect expect) {
        cases.add(new Case(variant.name() + "/" + slot + "/" + what, variant, slot, content,
                expect));
    }

    private static String withoutLine(String text, String prefix) {
        return text.lines().filter(line -> !line.startsWith(prefix))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String wrap(String body, int width) {
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < body.length(); i += width) {
            wrapped.append(body, i, Math.min(body.length(), i + width)).append('\n');
        }
        return wrapped.toString();
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(ascii(pem)))
                    .stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(List<Issued> issued) {
        return PemWriter.certificates(issued.stream().map(Issued::certificate).toList());
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
