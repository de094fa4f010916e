package dev.hubbletls.agent.hostile;

import dev.hubbletls.agent.check.CheckLoop;
import dev.hubbletls.agent.check.CheckReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a {@link CheckLoop} through a script of faults. Each fault is switched on by the
 * loop's listener right after a pass, before the next is scheduled, so the pass that follows
 * is the first to meet it and no pass ever sees a half-made fault.
 */
final class ScriptedLoop {

    /** Puts the world into a state. */
    @FunctionalInterface
    interface Fault {
        void apply() throws Exception;
    }

    /** One state of the script: a name for messages, and how to get there. */
    record Step(String name, Fault fault) {
    }

    /**
     * The pass that met a step.
     *
     * @param waitedMillis from the end of the fault's switch to the start of this pass
     */
    record Judged(Step step, CheckReport report, long waitedMillis) {
    }

    private ScriptedLoop() {
    }

    /**
     * Runs one pass, then one pass per step, {@code interval} apart (with the loop's
     * jitter), and returns the pass of each step in order.
     *
     * @throws AssertionError when the script does not finish within {@code bound}
     */
    static List<Judged> run(Supplier<CheckReport> pass, Duration interval, List<Step> steps,
                            Duration bound) throws Exception {
        List<Judged> judged = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> broken = new AtomicReference<>();
        Instant[] switched = new Instant[1];
        int[] next = new int[1];
        CheckLoop loop = new CheckLoop(pass, interval, report -> {
            if (done.getCount() == 0) {
                return;
            }
            try {
                if (next[0] > 0) {
                    judged.add(new Judged(steps.get(next[0] - 1), report,
                            Duration.between(switched[0], report.startedAt()).toMillis()));
                }
                if (next[0] == steps.size()) {
                    done.countDown();
                    return;
                }
                steps.get(next[0]++).fault().apply();
                switched[0] = Instant.now();
            } catch (Throwable e) {
                broken.set(e);
                done.countDown();
            }
        }, new SplittableRandom(7));
        try (loop) {
            loop.start();
            if (!done.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the script stopped after " + judged.size() + " of "
                        + steps.size() + " steps within " + bound.toSeconds() + " s");
            }
        }
        if (broken.get() != null) {
            throw new AssertionError("a fault could not be switched on", broken.get());
        }
        return List.copyOf(judged);
    }
}
