package dev.hubbletls.agent.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The relay's client material as read from disk: whatever loaded, and what went wrong
 * with the rest. {@link #toString()} never shows the private key.
 *
 * @param files       where the material was read from
 * @param identity    the client chain and key; present only when both loaded and match
 * @param clientChain the certificates of the client certificate file, even if the key failed
 * @param trustBundle the CAs trusted for the Hubble server
 * @param problems    one entry per file that could not be used, and a key mismatch
 */
public record ClientMaterial(TlsFiles files, Optional<ClientIdentity> identity,
                             List<X509Certificate> clientChain,
                             List<X509Certificate> trustBundle,
                             List<MaterialException> problems) {

    public ClientMaterial {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(identity, "identity");
        clientChain = List.copyOf(clientChain);
        trustBundle = List.copyOf(trustBundle);
        problems = List.copyOf(problems);
    }

    /** The problems with one file, in the order they were found. */
    public List<MaterialException> problemsWith(Path file) {
        return problems.stream().filter(problem -> problem.file().equals(file)).toList();
    }

    /** Whether everything a relay needs loaded without a problem. */
    public boolean complete() {
        return problems.isEmpty() && identity.isPresent() && !trustBundle.isEmpty();
    }

    @Override
    public String toString() {
        return "ClientMaterial[" + files.directory()
                + ", identity=" + identity.map(ClientIdentity::toString).orElse("none")
                + ", clientChain=" + subjects(clientChain)
                + ", trustBundle=" + subjects(trustBundle)
                + ", problems=" + problems.stream().map(MaterialException::problem).toList()
                + "]";
    }

    private static List<String> subjects(List<X509Certificate> certificates) {
        return certificates.stream()
                .map(certificate -> certificate.getSubjectX500Principal().getName())
                .toList();
    }
}
