package dev.hubbletls.agent.probe;

import java.util.Objects;

/**
 * The Hubble TLS endpoint a probe dials, and the name Relay would expect it to present.
 *
 * @param host       IP address or host name (IPv6 without brackets)
 * @param port       TCP port, 4244 by default in Cilium
 * @param serverName SNI and the name the server certificate must cover
 */
public record ProbeTarget(String host, int port, String serverName) {

    /** Hubble's port when an address carries none. */
    public static final int DEFAULT_PORT = 4244;

    public ProbeTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(serverName, "serverName");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
    }

    /** {@code host:port}, with IPv6 hosts in brackets. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
