package io.revenant.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline; never sleep-then-assert. */
final class Await {

    private static final Duration POLL = Duration.ofMillis(200);

    private Await() {
    }

    /**
     * Polls until {@code condition} holds.
     *
     * @param state what to print when the deadline passes (the last thing seen)
     */
    static void await(String what, Duration deadline, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline.toSeconds() + "s: " + what + "; last seen: "
                                         + state.get());
            }
            Thread.sleep(POLL);
        }
    }
}
