package dev.hubbletls.agent.cli;

import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that the command carries out itself and
 * that ends with exit code 0. Shutdown hooks cannot do that: the JVM exits with 143
 * (128 + SIGTERM) whatever they do, and java.util.logging drops every record logged while
 * they run. The cost is a compiler warning: {@code sun.misc.Signal} is the JDK's only way
 * to handle a signal, kept in {@code jdk.unsupported} for that purpose.
 */
final class GracefulStop {

    private static final Logger LOG = Logger.getLogger(GracefulStop.class.getName());

    private final CountDownLatch requested = new CountDownLatch(1);

    private GracefulStop() {
    }

    /** Handles SIGTERM and SIGINT from now on. */
    static GracefulStop install() {
        GracefulStop stop = new GracefulStop();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                LOG.info("SIG" + name + " received: stopping");
                stop.requested.countDown();
            });
        }
        return stop;
    }

    /** Blocks until a stop signal arrives. */
    void awaitRequest() throws InterruptedException {
        requested.await();
    }
}
