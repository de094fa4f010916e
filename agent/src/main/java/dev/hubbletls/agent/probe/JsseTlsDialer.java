package dev.hubbletls.agent.probe;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Dials with the JDK's JSSE the way Relay dials with Go's crypto/tls: TLS 1.3 (1.2 offered
 * too, so a 1.2-only server is named rather than just failing), ALPN {@code h2}, SNI and
 * name check on the server name, trust in the CA bundle only, a fresh session every time.
 */
public final class JsseTlsDialer implements TlsDialer {

    static {
        // Before any TLS context exists: JSSE reads its limits only once per JVM.
        JsseLimits.raise();
    }

    /**
     * Closes sockets whose dial overran its timeout. Socket timeouts bound each read, but a
     * server that trickles bytes would otherwise stretch a handshake without end.
     */
    private static final ScheduledExecutorService DEADLINES =
            Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "tls-dial-deadline");
                thread.setDaemon(true);
                return thread;
            });

    private final Clock clock;

    /** A dialer that judges certificate validity by {@code clock}. */
    public JsseTlsDialer(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public HandshakeOutcome dial(ProbeTarget target, DialSpec spec) {
        DialAttempt attempt = new DialAttempt(target, spec, clock);
        ScheduledFuture<?> deadline = DEADLINES.schedule(attempt::expire,
                spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            return attempt.run();
        } finally {
            deadline.cancel(false);
            attempt.close();
        }
    }
}
