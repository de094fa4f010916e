package dev.hubbletls.agent.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The Hubble server's public TLS files as the chart mounts them from
 * {@code hubble-server-certs}: the server certificate and the client CA bundle, never the key.
 *
 * @param directory the mount directory
 */
public record ServerTlsFiles(Path directory) {

    public static final String CERTIFICATE_NAME = "tls.crt";
    public static final String CLIENT_CA_NAME = "ca.crt";

    public ServerTlsFiles {
        Objects.requireNonNull(directory, "directory");
    }

    /** The server certificate the Hubble server should present. */
    public Path certificate() {
        return directory.resolve(CERTIFICATE_NAME);
    }

    /** The CA bundle the Hubble server verifies client certificates against. */
    public Path clientCa() {
        return directory.resolve(CLIENT_CA_NAME);
    }
}
