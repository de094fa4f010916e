package dev.hubbletls.agent.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the relay's three TLS files into a {@link ClientMaterial}, turning every failure
 * into a recorded problem instead of an exception.
 */
public final class MaterialLoader {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CHALLENGE_BYTES = 32;
    /** The link kubelet moves to publish a new generation of a projected volume. */
    private static final String DATA_LINK = "..data";
    /** How often a load is repeated when kubelet swapped the volume while it read. */
    private static final int MAX_READS = 3;

    private MaterialLoader() {
    }

    /**
     * Reads client certificate, key and CA bundle as one generation of the volume; never
     * throws. Each file is opened through its own symlink, so a read that kubelet's
     * {@code ..data} swap overtook may mix two generations (a false key mismatch, say);
     * such a read is repeated, up to {@value #MAX_READS} reads in all. A volume swapped
     * during every one of them still yields the last, possibly mixed, read.
     */
    public static ClientMaterial load(TlsFiles files) {
        ClientMaterial material = null;
        for (int read = 0; read < MAX_READS; read++) {
            Optional<Path> before = generation(files.directory());
            material = loadOnce(files);
            if (before.equals(generation(files.directory()))) {
                break;
            }
        }
        return material;
    }

    /** Where {@code ..data} points; empty when the directory is no projected volume. */
    private static Optional<Path> generation(Path directory) {
        try {
            return Optional.of(Files.readSymbolicLink(directory.resolve(DATA_LINK)));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static ClientMaterial loadOnce(TlsFiles files) {
        List<MaterialException> problems = new ArrayList<>();
        List<X509Certificate> chain =
                attempt(files.certificate(), PemReader::certificates, problems).orElse(List.of());
        Optional<PrivateKey> key = attempt(files.key(), PemReader::privateKey, problems);
        List<X509Certificate> bundle =
                attempt(files.ca(), PemReader::certificates, problems).orElse(List.of());

        Optional<MaterialException> unsupported = chain.isEmpty()
                ? Optional.empty() : unsupportedKey(files, chain.get(0));
        unsupported.ifPresent(problems::add);
        Optional<ClientIdentity> identity = Optional.empty();
        if (!chain.isEmpty() && key.isPresent() && unsupported.isEmpty()) {
            Optional<MaterialException> mismatch = mismatch(files, chain, key.get());
            mismatch.ifPresent(problems::add);
            if (mismatch.isEmpty()) {
                identity = Optional.of(new ClientIdentity(chain, key.get()));
            }
        }
        return new ClientMaterial(files, identity, chain, bundle, problems);
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key. */
    public static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm = signatureAlgorithm(key);
        if (algorithm == null || !family(key.getAlgorithm()).equals(
                family(publicKey.getAlgorithm()))) {
            return false;
        }
        if (key instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey rsaPublic) {
            // The modulus and exponent name an RSA pair exactly, and the signature test below
            // would cost a private-key operation on every pass (docs/benchmarks.md).
            return rsa.getModulus().equals(rsaPublic.getModulus())
                    && rsa.getPublicExponent().equals(rsaPublic.getPublicExponent());
        }
        // A signature made with the key and verified with the certificate proves the pair
        // for every other key type alike, without comparing key internals.
        try {
            byte[] challenge = new byte[CHALLENGE_BYTES];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    // Whether the key matches is moot when Relay cannot use its type at all; the signature
    // test of a match does not even cover every such type.
    private static Optional<MaterialException> unsupportedKey(TlsFiles files,
                                                              X509Certificate certificate) {
        return GoKeyTypes.unsupported(certificate.getPublicKey())
                .map(type -> new MaterialException(MaterialProblem.UNSUPPORTED_KEY,
                        files.certificate(), "the client certificate "
                        + certificate.getSubjectX500Principal().getName() + " in "
                        + files.certificate() + " carries a key of type " + type + ", which Relay"
                        + " cannot use: Go's TLS supports " + GoKeyTypes.SUPPORTED + " keys"
                        + " only; re-issue hubble-relay-client-certs with an RSA or ECDSA"
                        + " P-256 key"));
    }

    private static Optional<MaterialException> mismatch(TlsFiles files,
                                                        List<X509Certificate> chain,
                                                        PrivateKey key) {
        X509Certificate certificate = chain.get(0);
        if (belongsTo(key, certificate)) {
            return Optional.empty();
        }
        for (int i = 1; i < chain.size(); i++) {
            if (belongsTo(key, chain.get(i))) {
                return Optional.of(misordered(files, chain, i));
            }
        }
        return Optional.of(new MaterialException(MaterialProblem.KEY_MISMATCH, files.key(),
                "the " + key.getAlgorithm() + " private key in " + files.key() + " does not"
                        + " belong to the certificate "
                        + certificate.getSubjectX500Principal().getName() + " ("
                        + CertificateFacts.describe(certificate.getPublicKey()) + ", SHA-256 "
                        + CertificateFacts.fingerprint(certificate) + ") in "
                        + files.certificate() + ": they come from different issuances; take"
                        + " both from the same secret version"));
    }

    // Go takes the first certificate of the file as the leaf, whatever follows it.
    private static MaterialException misordered(TlsFiles files, List<X509Certificate> chain,
                                                int leaf) {
        return new MaterialException(MaterialProblem.KEY_MISMATCH, files.key(), "the private"
                + " key in " + files.key() + " belongs to certificate #" + (leaf + 1) + " "
                + chain.get(leaf).getSubjectX500Principal().getName() + " of " + files.certificate()
                + ", but the file starts with "
                + chain.get(0).getSubjectX500Principal().getName() + ", and Relay takes the"
                + " first certificate as its own: the chain is in the wrong order; put the"
                + " client certificate first, then its intermediates");
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> null;
        };
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> algorithm;
        };
    }

    private static <T> Optional<T> attempt(Path file, FileRead<T> read,
                                           List<MaterialException> problems) {
        try {
            return Optional.of(read.from(file));
        } catch (MaterialException e) {
            problems.add(e);
        } catch (RuntimeException e) {
            // The reader turns known failures into MaterialException; anything else still
            // becomes a problem with this file rather than an agent crash.
            problems.add(new MaterialException(MaterialProblem.UNREADABLE, file,
                    file + " could not be read: " + e, e));
        }
        return Optional.empty();
    }

    @FunctionalInterface
    private interface FileRead<T> {
        T from(Path file) throws MaterialException;
    }
}
