package dev.hubbletls.agent.cli;

import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.config.DurationText;
import dev.hubbletls.agent.config.InvalidSettingException;
import dev.hubbletls.agent.hubble.SocketHubbleClient;
import dev.hubbletls.agent.tls.ExpiryThresholds;
import dev.hubbletls.agent.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options {@code check} and {@code run} share: what to probe and how. */
final class TargetOptions {

    @Option(names = "--socket", paramLabel = "PATH|URI",
            description = {"Node-local Hubble socket.", "Default: ${DEFAULT-VALUE}"})
    String socket = SocketHubbleClient.DEFAULT_SOCKET;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "Relay client material directory (default: ${DEFAULT-VALUE}).")
    Path tlsDir = TlsFiles.RELAY_DIRECTORY;

    @Option(names = "--client-cert", paramLabel = "NAME",
            description = "Client certificate file in --tls-dir (default: ${DEFAULT-VALUE}).")
    String clientCert = TlsFiles.CERTIFICATE_NAME;

    @Option(names = "--client-key", paramLabel = "NAME",
            description = "Client key file in --tls-dir (default: ${DEFAULT-VALUE}).")
    String clientKey = TlsFiles.KEY_NAME;

    @Option(names = "--ca-file", paramLabel = "NAME",
            description = "CA bundle trusted for the server, in --tls-dir (default: ${DEFAULT-VALUE}).")
    String caFile = TlsFiles.CA_NAME;

    @Option(names = "--node-name", paramLabel = "NAME", defaultValue = "${env:NODE_NAME}",
            description = "This node's name as Hubble lists it (default: $NODE_NAME).")
    String nodeName;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Probe this address directly, skipping discovery through the socket.")
    String server;

    @Option(names = "--server-name", paramLabel = "NAME",
            description = "TLS server name to expect from --server,"
                    + " e.g. <node>.<cluster>.hubble-grpc.cilium.io.")
    String serverName;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "Bound on each probe (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--warn-days", paramLabel = "DAYS", defaultValue = "30",
            description = "Warn when a certificate has fewer days left (default: ${DEFAULT-VALUE}).")
    int warnDays;

    @Option(names = "--critical-days", paramLabel = "DAYS", defaultValue = "7",
            description = "Critical when a certificate has fewer days left"
                    + " (default: ${DEFAULT-VALUE}).")
    int criticalDays;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "60s",
            description = "Time between passes in run mode (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--server-tls-dir", paramLabel = "DIR",
            description = "Where the Hubble server's tls.crt and ca.crt (hubble-server-certs,"
                    + " never its key) are mounted, e.g. "
                    + "/var/lib/hubble-tls-agent/server-tls. Turns on the server-client-ca and"
                    + " server-reload checks. Unset by default.")
    Path serverTlsDir;

    /** The validated settings; throws {@code InvalidSettingException} naming the bad option. */
    AgentSettings settings() {
        return new AgentSettings(socket,
                new TlsFiles(tlsDir, clientCert, clientKey, caFile),
                Optional.ofNullable(nodeName), Optional.ofNullable(server),
                Optional.ofNullable(serverName),
                DurationText.parse("timeout", timeout),
                thresholds(),
                DurationText.parse("interval", interval),
                Optional.ofNullable(serverTlsDir));
    }

    private ExpiryThresholds thresholds() {
        if (warnDays < 0) {
            throw new InvalidSettingException("warn-days", String.valueOf(warnDays),
                    "must be 0 or more");
        }
        if (criticalDays < 0 || criticalDays > warnDays) {
            throw new InvalidSettingException("critical-days", String.valueOf(criticalDays),
                    "must be between 0 and --warn-days (" + warnDays + ")");
        }
        return new ExpiryThresholds(Duration.ofDays(warnDays), Duration.ofDays(criticalDays));
    }
}
