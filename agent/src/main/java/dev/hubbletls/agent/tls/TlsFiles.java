package dev.hubbletls.agent.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the relay's client material lives: a directory (usually a projected volume) and
 * the three file names in it.
 *
 * @param directory       the TLS directory
 * @param certificateName the client certificate (and any intermediates)
 * @param keyName         the client private key
 * @param caName          the CA bundle trusted for the Hubble server
 */
public record TlsFiles(Path directory, String certificateName, String keyName, String caName) {

    /** Where Hubble Relay's projected volume is mounted. */
    public static final Path RELAY_DIRECTORY = Path.of("/var/lib/hubble-relay/tls");
    public static final String CERTIFICATE_NAME = "client.crt";
    public static final String KEY_NAME = "client.key";
    public static final String CA_NAME = "hubble-server-ca.crt";

    public TlsFiles {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(certificateName, "certificateName");
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(caName, "caName");
    }

    /** The relay's file names in {@code directory}. */
    public static TlsFiles relayLayout(Path directory) {
        return new TlsFiles(directory, CERTIFICATE_NAME, KEY_NAME, CA_NAME);
    }

    public Path certificate() {
        return directory.resolve(certificateName);
    }

    public Path key() {
        return directory.resolve(keyName);
    }

    public Path ca() {
        return directory.resolve(caName);
    }
}
