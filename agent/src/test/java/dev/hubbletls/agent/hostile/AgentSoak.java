package dev.hubbletls.agent.hostile;

import dev.hubbletls.agent.check.Agent;
import dev.hubbletls.agent.check.CheckLoop;
import dev.hubbletls.agent.check.CheckPass;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.demo.ClusterPki;
import dev.hubbletls.agent.demo.DemoScenario;
import dev.hubbletls.agent.demo.EmbeddedHubble;
import dev.hubbletls.agent.demo.HubbleSocketServer;
import dev.hubbletls.agent.finding.CheckId;
import dev.hubbletls.agent.finding.Finding;
import dev.hubbletls.agent.finding.Reason;
import dev.hubbletls.agent.hubble.proto.peer.ChangeNotification;
import dev.hubbletls.agent.telemetry.AgentTelemetry;
import dev.hubbletls.agent.tls.CertificateMint;
import dev.hubbletls.agent.tls.KeyKind;
import dev.hubbletls.agent.watch.WatchTiming;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Thousands of passes against the embedded node: a check loop at a short interval, and
 * beside it a whole {@link Agent} watching the relay's projected volume, while the node
 * cycles through every demo fault, a stopped socket server and relay rotations. Threads,
 * file descriptors and heap are taken after a warm-up cycle and again at the end.
 */
final class AgentSoak {

    /** Passes each state of the cycle lasts; the soak profile raises it. */
    static final int STEP_PASSES = Integer.getInteger("soak.stepPasses", 5);

    private static final WatchTiming FAST_WATCH = new WatchTiming(Duration.ofMillis(20),
            Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(50),
            Duration.ofSeconds(5));
    /** The shortest interval the agent's settings allow. */
    private static final Duration AGENT_INTERVAL = Duration.ofSeconds(1);

    /** Threads, open file descriptors and heap after full collections, at one moment. */
    record Resources(int threads, long fileDescriptors, long heapBytes) {

        static Resources now() {
            long heap = Long.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                System.gc();
                heap = Math.min(heap,
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            return new Resources(ManagementFactory.getThreadMXBean().getThreadCount(),
                    openFileDescriptors(), heap);
        }

        private static long openFileDescriptors() {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.count();
            } catch (IOException e) {
                throw new IllegalStateException("cannot count /proc/self/fd", e);
            }
        }
    }

    /**
     * What the soak saw.
     *
     * @param loopPasses    passes of the check loop
     * @param agentPasses   passes of the agent (its interval, and one after each rotation)
     * @param rotations     relay rotations published
     * @param rotationsSeen rotations of single files the agent recorded (a relay rotation
     *                      changes the certificate and the key)
     * @param mismatches    loop passes whose verdict was not the one the state demands
     * @param meanCheckTimes how long each check took on average over the loop passes
     */
    record Numbers(int loopPasses, int agentPasses, int rotations, int rotationsSeen,
                   List<String> mismatches, Duration took, Resources warm, Resources end,
                   Map<CheckId, Duration> meanCheckTimes) {
    }

    /** One state of the cycle: how to enter it and the verdict a pass must reach in it. */
    private record State(String name, CheckId check, Reason expected, Fault fault) {
    }

    @FunctionalInterface
    private interface Fault {
        void apply() throws Exception;
    }

    private final HostileNode hostile;
    private final Path socket;
    private final List<State> cycle;
    private HubbleSocketServer server;
    private ClusterPki relayPki;
    private int rotations;

    private AgentSoak(HostileNode hostile, Path socket) throws IOException {
        this.hostile = hostile;
        this.socket = socket;
        this.relayPki = hostile.node.pki();
        this.server = HubbleSocketServer.start(socket, hostile.clock,
                List.of(hostile.announcement()));
        this.cycle = cycle();
    }

    /**
     * Runs {@code passes} loop passes, {@code interval} apart; {@code passes} is rounded up
     * to whole cycles, and at least two, so that the end is measured in the state the
     * warm-up was.
     */
    static Numbers run(Path root, int passes, Duration interval) throws Exception {
        try (HostileNode hostile = new HostileNode()) {
            AgentSoak soak = new AgentSoak(hostile, root.resolve("hubble.sock"));
            try {
                return soak.soak(passes, interval);
            } finally {
                soak.server.close();
            }
        }
    }

    private Numbers soak(int passes, Duration interval) throws Exception {
        int cyclePasses = cycle.size() * STEP_PASSES;
        int total = Math.max(2, (passes + cyclePasses - 1) / cyclePasses) * cyclePasses;
        AtomicInteger agentPasses = new AtomicInteger();
        AtomicInteger rotationsSeen = new AtomicInteger();
        AtomicReference<Resources> warm = new AtomicReference<>();
        AtomicReference<Resources> end = new AtomicReference<>();
        AtomicReference<Throwable> broken = new AtomicReference<>();
        List<String> mismatches = new ArrayList<>();
        Map<CheckId, Duration> checkTimes = new EnumMap<>(CheckId.class);
        CountDownLatch done = new CountDownLatch(1);
        int[] pass = new int[1];
        long started = System.nanoTime();
        try (AgentTelemetry telemetry = AgentTelemetry.fromEnvironment(hostile.clock,
                AgentTelemetry.DEFAULT_EVENT_REPEAT, Optional.of(EmbeddedHubble.NODE));
             CheckPass checks = CheckPass.create(hostile.settings(socket,
                     hostile.node.relayFiles()), hostile.clock);
             Agent agent = Agent.create(hostile.settings(socket, hostile.node.relayFiles(),
                     AGENT_INTERVAL), hostile.clock, new Agent.Timing(FAST_WATCH,
                     Duration.ofMillis(200), Duration.ofSeconds(30)), new SplittableRandom(3),
                     report -> agentPasses.incrementAndGet())) {
            agent.rotations().subscribe(rotation -> {
                rotationsSeen.incrementAndGet();
                telemetry.recordRotation(rotation.file().toString());
            });
            CheckLoop loop = new CheckLoop(checks::run, interval, report -> {
                if (done.getCount() == 0) {
                    return;
                }
                try {
                    telemetry.record(report);
                    report.timings().forEach((check, span) -> checkTimes.merge(check,
                            span.duration(), Duration::plus));
                    int index = pass[0]++;
                    judge(cycle.get((index / STEP_PASSES) % cycle.size()), report, index,
                            mismatches);
                    if (pass[0] % STEP_PASSES == 0) {
                        enter(cycle.get((pass[0] / STEP_PASSES) % cycle.size()));
                    }
                    if (pass[0] == cyclePasses) {
                        warm.set(Resources.now());
                    }
                    if (pass[0] == total) {
                        end.set(Resources.now());
                        done.countDown();
                    }
                } catch (Throwable e) {
                    broken.set(e);
                    done.countDown();
                }
            }, new SplittableRandom(11));
            try (loop) {
                agent.start();
                loop.start();
                if (!done.await(total * 2L + 600, TimeUnit.SECONDS)) {
                    throw new AssertionError("the soak stalled after " + pass[0] + " passes");
                }
            }
            if (broken.get() != null) {
                throw new AssertionError("the soak broke after " + pass[0] + " passes",
                        broken.get());
            }
            Map<CheckId, Duration> means = new EnumMap<>(CheckId.class);
            checkTimes.forEach((check, sum) -> means.put(check, sum.dividedBy(total)));
            return new Numbers(total, agentPasses.get(), rotations, rotationsSeen.get(),
                    mismatches,
                    Duration.ofNanos(System.nanoTime() - started), warm.get(), end.get(), means);
        }
    }

    private static void judge(State state, CheckReport report, int index,
                              List<String> mismatches) {
        Reason actual = report.finding(state.check()).map(Finding::reason).orElse(null);
        if (actual != state.expected()) {
            mismatches.add("pass " + index + " in '" + state.name() + "': " + state.check().id()
                    + " said " + actual + ", expected " + state.expected() + "; "
                    + report.finding(state.check()).map(Finding::message).orElse(""));
        }
    }

    private void enter(State state) throws Exception {
        hostile.node.restoreHealthy();
        if (server == null) {
            server = HubbleSocketServer.start(socket, hostile.clock,
                    List.of(hostile.announcement()));
        }
        state.fault().apply();
        boolean tls = !hostile.node.setup().plaintext();
        if (server != null) {
            ChangeNotification announced = hostile.announcement();
            server.publish(List.of(tls ? announced : announced.toBuilder().clearTls().build()));
        }
    }

    private List<State> cycle() {
        List<State> states = new ArrayList<>();
        for (DemoScenario scenario : DemoScenario.all()) {
            states.add(new State(scenario.title(), scenario.check(), scenario.expected(),
                    () -> scenario.fault().apply(hostile.node, hostile.clock)));
        }
        states.add(new State("relay client certificate rotated", CheckId.MTLS_HANDSHAKE,
                Reason.OK, this::rotateRelay));
        states.add(new State("socket server stopped", CheckId.DISCOVERY,
                Reason.SOCKET_UNREACHABLE, () -> {
                    server.close();
                    server = null;
                }));
        return List.copyOf(states);
    }

    // Each rotation issues a fresh relay certificate from the cluster CA and swaps it in the
    // way kubelet does; the node trusts the CA, so the next pass must stay healthy.
    private void rotateRelay() throws IOException {
        relayPki = relayPki.withRelayClient(CertificateMint.issue(ClusterPki.relayClientSpec(
                hostile.clock.instant()).withKeyKind(KeyKind.EC_P256), relayPki.ca()));
        hostile.node.relayVolume().publish(relayPki.relayClientFiles());
        rotations++;
    }
}
