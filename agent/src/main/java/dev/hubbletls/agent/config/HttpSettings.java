package dev.hubbletls.agent.config;

/**
 * Where the agent serves its endpoints.
 *
 * @param host the address to bind: an IP literal or a host name
 * @param port the TCP port; 0 picks a free one, which only tests use
 */
public record HttpSettings(String host, int port) {

    /** The port the chart names {@code http}. */
    public static final int DEFAULT_PORT = 9244;
    /** Bind address when the configuration names none: every interface. */
    public static final String ANY_ADDRESS = "0.0.0.0";

    public HttpSettings {
        if (host == null || host.isBlank()) {
            throw new InvalidSettingException("http.host", "",
                    "expected an IP address or host name");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidSettingException("http.port", String.valueOf(port),
                    "expected a port from 1 to 65535");
        }
    }
}
