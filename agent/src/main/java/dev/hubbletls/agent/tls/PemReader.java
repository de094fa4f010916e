package dev.hubbletls.agent.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Reads certificates and private keys from PEM files the way Go's crypto/tls does, and
 * turns every way a file can be wrong into a {@link MaterialException} naming the file.
 * Symlinks are followed, as projected volumes are symlinks into {@code ..data/}.
 */
public final class PemReader {

    /** Files above this size are refused unread: a bundle of twenty certificates is ~40 KiB. */
    public static final long MAX_BYTES = 1024 * 1024;

    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String ENCRYPTED_PKCS8 = "ENCRYPTED PRIVATE KEY";
    private static final Set<String> KEY_TYPES =
            Set.of("RSA PRIVATE KEY", "EC PRIVATE KEY", PRIVATE_KEY);
    private static final byte DER_SEQUENCE = 0x30;

    private PemReader() {
    }

    /** Every {@code CERTIFICATE} block of {@code file}, in order; other blocks are skipped. */
    public static List<X509Certificate> certificates(Path file) throws MaterialException {
        List<PemObject> blocks = blocks(file);
        List<X509Certificate> certificates = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (CERTIFICATE.equals(blocks.get(i).getType())) {
                certificates.add(certificate(file, blocks.get(i), i + 1));
            }
        }
        if (certificates.isEmpty()) {
            throw new MaterialException(MaterialProblem.WRONG_CONTENT, file, file + " holds "
                    + types(blocks) + " but no CERTIFICATE block" + swapHint(blocks, PRIVATE_KEY)
                    + ": put the PEM certificate(s) in this file");
        }
        return List.copyOf(certificates);
    }

    /**
     * The first private key of {@code file}: PKCS#1 {@code RSA PRIVATE KEY}, SEC1
     * {@code EC PRIVATE KEY} (an {@code EC PARAMETERS} block before it is skipped) or
     * PKCS#8 {@code PRIVATE KEY}, as Go picks the first block whose type ends in
     * {@code PRIVATE KEY}.
     */
    public static PrivateKey privateKey(Path file) throws MaterialException {
        List<PemObject> blocks = blocks(file);
        PemObject block = blocks.stream()
                .filter(candidate -> candidate.getType().endsWith(PRIVATE_KEY))
                .findFirst()
                .orElseThrow(() -> new MaterialException(MaterialProblem.WRONG_CONTENT, file,
                        file + " holds " + types(blocks) + " but no PRIVATE KEY block"
                                + swapHint(blocks, CERTIFICATE)
                                + ": put the PEM private key in this file"));
        if (isEncrypted(block)) {
            throw new MaterialException(MaterialProblem.ENCRYPTED, file, file + " holds an"
                    + " encrypted private key (" + describe(block) + "); Relay has no passphrase"
                    + " for it: store the key unencrypted, for example with"
                    + " `openssl pkey -in <encrypted> -out <plain>`");
        }
        if (!KEY_TYPES.contains(block.getType())) {
            throw new MaterialException(MaterialProblem.WRONG_CONTENT, file, file + " holds a "
                    + block.getType() + " block, a key format Go's TLS cannot read: convert it"
                    + " to PKCS#8 with `openssl pkey -in <key> -out <key.pem>`");
        }
        return key(file, block);
    }

    private static X509Certificate certificate(Path file, PemObject block, int position)
            throws MaterialException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(new X509CertificateHolder(block.getContent()));
        } catch (Exception e) {
            // Corrupt DER makes Bouncy Castle throw checked and unchecked exceptions alike.
            throw corrupt(file, "block " + position + " (CERTIFICATE)", e);
        }
    }

    private static PrivateKey key(Path file, PemObject block) throws MaterialException {
        if (lacksCurve(block)) {
            throw new MaterialException(MaterialProblem.WRONG_CONTENT, file, file + " holds an"
                    + " EC PRIVATE KEY that does not name its curve, which Go's TLS cannot read:"
                    + " rewrite it with `openssl ec -in <key> -out <key.pem>`");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem(block)))) {
            Object parsed = parser.readObject();
            PrivateKeyInfo info = parsed instanceof PEMKeyPair pair
                    ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) parsed;
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (Exception e) {
            // Corrupt DER makes Bouncy Castle throw checked and unchecked exceptions alike.
            throw corrupt(file, "the " + block.getType() + " block", e);
        }
    }

    private static boolean lacksCurve(PemObject block) {
        if (!"EC PRIVATE KEY".equals(block.getType())) {
            return false;
        }
        try {
            return ECPrivateKey.getInstance(block.getContent()).getParametersObject() == null;
        } catch (RuntimeException e) {
            // Undecodable keys are reported as corrupt by the parser that follows.
            return false;
        }
    }

    private static boolean isEncrypted(PemObject block) {
        if (ENCRYPTED_PKCS8.equals(block.getType())) {
            return true;
        }
        List<?> headers = block.getHeaders();
        return headers.stream()
                .map(PemHeader.class::cast)
                .anyMatch(header -> "Proc-Type".equalsIgnoreCase(header.getName())
                        && header.getValue().contains("ENCRYPTED"));
    }

    private static List<PemObject> blocks(Path file) throws MaterialException {
        String text = new String(read(file), StandardCharsets.ISO_8859_1);
        if (text.isBlank()) {
            throw new MaterialException(MaterialProblem.EMPTY, file, file + " holds only"
                    + " whitespace: the secret key behind it is empty; re-create the secret");
        }
        List<PemObject> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (PemObject block = parser.readPemObject(); block != null;
                    block = parser.readPemObject()) {
                blocks.add(block);
            }
        } catch (Exception e) {
            throw corrupt(file, "block " + (blocks.size() + 1), e);
        }
        if (blocks.isEmpty()) {
            throw new MaterialException(MaterialProblem.NOT_PEM, file, file
                    + " holds no PEM block (no -----BEGIN line)" + derHint(text)
                    + ": restore the PEM text from the secret");
        }
        return blocks;
    }

    private static byte[] read(Path file) throws MaterialException {
        if (Files.isDirectory(file)) {
            throw new MaterialException(MaterialProblem.UNREADABLE, file, file + " is a"
                    + " directory, not a file: mount the secret key as a file at this path");
        }
        if (!Files.exists(file)) {
            throw missing(file, null);
        }
        if (!Files.isRegularFile(file)) {
            // Opening a FIFO blocks until a writer appears, and a device never ends: either
            // would stall the pass, so only regular files are opened at all.
            throw new MaterialException(MaterialProblem.UNREADABLE, file, file + " is not a"
                    + " regular file (a FIFO, socket or device), so it was not opened: mount"
                    + " the secret key as a file at this path");
        }
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                return checkSize(file, size, new byte[0]);
            }
            // The stated size is not trusted: some file systems report 0 for files with content.
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            return checkSize(file, bytes.length, bytes);
        } catch (NoSuchFileException e) {
            throw missing(file, e);
        } catch (AccessDeniedException e) {
            throw new MaterialException(MaterialProblem.UNREADABLE, file, file + " cannot be"
                    + " read: permission denied; give the agent's user read access (the"
                    + " volume's defaultMode, or fsGroup)", e);
        } catch (IOException e) {
            throw new MaterialException(MaterialProblem.UNREADABLE, file, file + " cannot be"
                    + " read: " + e, e);
        }
    }

    private static byte[] checkSize(Path file, long size, byte[] bytes) throws MaterialException {
        if (size > MAX_BYTES) {
            throw new MaterialException(MaterialProblem.TOO_LARGE, file, file + " is " + size
                    + " bytes, more than the " + MAX_BYTES + " a certificate bundle or key"
                    + " could need, so it was not read: check what is mounted at this path");
        }
        if (bytes.length == 0) {
            throw new MaterialException(MaterialProblem.EMPTY, file, file + " is empty: the"
                    + " secret key behind it is empty; re-create the secret");
        }
        return bytes;
    }

    private static MaterialException missing(Path file, Exception cause) {
        Optional<String> loop = symlinkLoop(file);
        if (loop.isPresent()) {
            return new MaterialException(MaterialProblem.UNREADABLE, file, file + " is a"
                    + " symlink loop (" + loop.get() + "), so it leads to no file: replace the"
                    + " links with the file, or mount the secret key at this path", cause);
        }
        String link = "";
        try {
            if (Files.isSymbolicLink(file)) {
                link = " (it is a symlink to " + Files.readSymbolicLink(file)
                        + ", which does not exist)";
            }
        } catch (IOException e) {
            link = " (it is a symlink that cannot be followed)";
        }
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            return new MaterialException(MaterialProblem.MISSING, file, file + " does not exist:"
                    + " its directory " + directory + " does not exist either; check that the"
                    + " volume with the relay's certificates is mounted there (--tls-dir)", cause);
        }
        return new MaterialException(MaterialProblem.MISSING, file, file + " does not exist"
                + link + ": check that the secret holds this key and that the volume maps it"
                + " to this file name" + holdings(directory), cause);
    }

    // A secret mounted without its items mapped shows tls.crt where client.crt is expected.
    private static String holdings(Path directory) {
        if (directory == null) {
            return "";
        }
        try (Stream<Path> entries = Files.list(directory)) {
            List<String> names = entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
            if (names.isEmpty()) {
                return "; the directory is empty";
            }
            String shown = String.join(", ", names.subList(0, Math.min(names.size(), 10)));
            return "; the directory holds " + shown + (names.size() > 10 ? ", ..." : "");
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** The links from {@code file} back to one already followed, as {@code a -> b -> a}. */
    private static Optional<String> symlinkLoop(Path file) {
        List<String> hops = new ArrayList<>(List.of(String.valueOf(file.getFileName())));
        Set<Path> followed = new HashSet<>();
        Path current = file;
        try {
            while (Files.isSymbolicLink(current)) {
                if (!followed.add(current.toAbsolutePath().normalize())) {
                    return Optional.of(String.join(" -> ", hops));
                }
                Path target = Files.readSymbolicLink(current);
                hops.add(target.toString());
                current = current.resolveSibling(target);
            }
        } catch (IOException e) {
            // A link that cannot be read is reported as a link that cannot be followed.
            return Optional.empty();
        }
        return Optional.empty();
    }

    // Bouncy Castle quotes the marker it missed ("-----END EC PRIVATE KEY----- not found");
    // a PEM key marker in a log line sets off secret scanners, so only its words are kept.
    private static MaterialException corrupt(Path file, String where, Exception cause) {
        return new MaterialException(MaterialProblem.NOT_PEM, file, file + ": " + where
                + " does not decode (" + cause.getClass().getSimpleName() + ": "
                + String.valueOf(cause.getMessage()).replace("-----", "") + "); the file is"
                + " truncated or corrupted: restore it from the secret", cause);
    }

    private static String types(List<PemObject> blocks) {
        return blocks.stream().map(PemObject::getType).distinct().toList().toString();
    }

    private static String describe(PemObject block) {
        return ENCRYPTED_PKCS8.equals(block.getType())
                ? block.getType() : block.getType() + " with Proc-Type: 4,ENCRYPTED";
    }

    private static String swapHint(List<PemObject> blocks, String typeSuffix) {
        boolean other = blocks.stream().anyMatch(block -> block.getType().endsWith(typeSuffix));
        return other ? " (are the certificate and key files swapped?)" : "";
    }

    private static String derHint(String text) {
        return text.charAt(0) == DER_SEQUENCE
                ? "; it looks like binary DER, which can be converted with"
                        + " `openssl x509 -inform der`"
                : "";
    }

    private static String pem(PemObject block) throws IOException {
        StringWriter text = new StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter writer =
                     new org.bouncycastle.util.io.pem.PemWriter(text)) {
            writer.writeObject(block);
        }
        return text.toString();
    }
}
