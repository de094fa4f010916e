package dev.hubbletls.agent.hubble;

import com.google.common.net.InetAddresses;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a peer's Hubble TLS server listens, as announced in a peer notification.
 *
 * @param host IP address or host name; IPv6 without brackets
 * @param port TCP port
 */
public record PeerAddress(String host, int port) {

    /** Hubble's port when an address carries none, as in notifications before Cilium 1.16. */
    public static final int DEFAULT_PORT = 4244;

    // A DNS name or an IPv4 literal: labels of letters, digits, dashes and underscores.
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?"
                    + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?");
    // Four dotted numbers are an IPv4 literal, never a host name, so they must be valid.
    private static final Pattern DOTTED_QUAD = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
    // An interface name or index after '%', as in fe80::1%eth0.
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]+");

    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
    }

    /**
     * Reads {@code IP}, {@code IP:port}, {@code [IPv6]:port}, a bare IPv6 address or a host
     * name with or without a port; no port means {@value #DEFAULT_PORT}.
     *
     * @throws IllegalArgumentException naming the address when it is none of these
     */
    public static PeerAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("peer address is empty; expected IP or IP:port");
        }
        String text = address.strip();
        if (text.startsWith("[")) {
            return bracketed(address, text);
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && colon != text.lastIndexOf(':')) {
            // More than one colon and no brackets: a bare IPv6 address, which has no port.
            return new PeerAddress(checkedIpv6(address, text), DEFAULT_PORT);
        }
        if (colon < 0) {
            return new PeerAddress(checkedHost(address, text), DEFAULT_PORT);
        }
        String host = checkedHost(address, text.substring(0, colon));
        return new PeerAddress(host, port(address, text.substring(colon + 1)));
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return hostPort();
    }

    private static PeerAddress bracketed(String address, String text) {
        int close = text.indexOf(']');
        if (close < 0) {
            throw invalid(address, "'[' without ']'");
        }
        String host = checkedIpv6(address, text.substring(1, close));
        String rest = text.substring(close + 1);
        if (rest.isEmpty()) {
            return new PeerAddress(host, DEFAULT_PORT);
        }
        if (!rest.startsWith(":")) {
            throw invalid(address, "expected ':port' after ']'");
        }
        return new PeerAddress(host, port(address, rest.substring(1)));
    }

    /** A strict IPv6 literal (at most 8 groups of at most 4 hex digits), maybe with a zone. */
    private static String checkedIpv6(String address, String host) {
        int percent = host.indexOf('%');
        String literal = percent < 0 ? host : host.substring(0, percent);
        if (!literal.contains(":") || !InetAddresses.isInetAddress(literal)) {
            throw invalid(address, "'" + host + "' is not an IPv6 address");
        }
        if (percent >= 0 && !ZONE.matcher(host.substring(percent + 1)).matches()) {
            throw invalid(address, "zone '" + host.substring(percent + 1) + "' of '" + host
                    + "' is not an interface name or index");
        }
        return host;
    }

    private static String checkedHost(String address, String host) {
        boolean validName = HOST_NAME.matcher(host).matches()
                && (!DOTTED_QUAD.matcher(host).matches() || InetAddresses.isInetAddress(host));
        if (!validName) {
            throw invalid(address, "'" + host + "' is not an IP address or host name");
        }
        return host;
    }

    private static int port(String address, String port) {
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw invalid(address, "port '" + port + "' is not a number");
        }
        if (value < 1 || value > 65535) {
            throw invalid(address, "port " + value + " is not in 1..65535");
        }
        return value;
    }

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException(
                "peer address '" + address + "' is not IP, IP:port or [IPv6]:port: " + why);
    }
}
