package dev.hubbletls.agent.kubernetes;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes, for what another thread writes. */
final class Eventually {

    private Eventually() {
    }

    static <T> T await(Supplier<T> value, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T last = value.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = value.get();
        }
        return last;
    }
}
