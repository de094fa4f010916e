package dev.hubbletls.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckLoopTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final long WAIT_SECONDS = 10;

    private final AtomicInteger passes = new AtomicInteger();
    private CheckLoop loop;

    @AfterEach
    void stopLoop() throws InterruptedException {
        if (loop != null) {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void runNowWhileAPassRuns_manyRequests_exactlyOneMorePassRightAfter() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        CountDownLatch thirdDone = new CountDownLatch(1);
        AtomicBoolean askedForThird = new AtomicBoolean();
        AtomicBoolean thirdWasAsked = new AtomicBoolean();
        loop = new CheckLoop(() -> {
            int pass = passes.incrementAndGet();
            if (pass == 1) {
                firstRunning.countDown();
                await(releaseFirst);
            } else if (pass == 3) {
                thirdWasAsked.set(askedForThird.get());
            }
            return report();
        }, HOUR, report -> {
            if (passes.get() == 2) {
                secondDone.countDown();
            } else if (passes.get() == 3) {
                thirdDone.countDown();
            }
        }, RandomGenerator.getDefault());

        loop.start();
        assertThat(firstRunning.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
            loop.runNow();
        }
        releaseFirst.countDown();
        assertThat(secondDone.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        askedForThird.set(true);
        loop.runNow();

        assertThat(thirdDone.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(thirdWasAsked).as("the third pass came from the later request, not from"
                + " the five coalesced ones").isTrue();
    }

    @Test
    void runNowWhileWaitingForTheInterval_runsAtOnce() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        loop = new CheckLoop(() -> {
            passes.incrementAndGet();
            return report();
        }, HOUR, report -> {
            first.countDown();
            second.countDown();
        }, RandomGenerator.getDefault());
        loop.start();
        assertThat(first.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        loop.runNow();

        assertThat(second.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(passes).hasValue(2);
    }

    @Test
    void stop_whileWaitingForAnHourLongInterval_returnsPromptly() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        loop = new CheckLoop(CheckLoopTest::report, HOUR, report -> first.countDown(),
                RandomGenerator.getDefault());
        loop.start();
        assertThat(first.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        loop.stop(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CheckReport report() {
        Instant now = Instant.now();
        return new CheckReport(Optional.empty(), Optional.empty(), now, now, List.of(),
                List.of(), Map.of());
    }
}
