package io.revenant.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition with a deadline, polling; never a fixed sleep followed by an assert. */
public final class Await {

    /** For cheap conditions: a log line, a load counter, a local request. */
    private static final Duration POLL = Duration.ofMillis(20);
    /** For conditions that run a command or go through containers (podman exec, nginx). */
    private static final Duration SLOW_POLL = Duration.ofMillis(200);

    private Await() {
    }

    /** Polls {@code probe} until it yields a value, or fails the test naming {@code what}. */
    public static <T> T until(String what, Duration deadline, Supplier<Optional<T>> probe) {
        return until(() -> what, deadline, POLL, probe);
    }

    /** As above, with the failure message computed only on failure (e.g. to include the latest output). */
    public static <T> T until(Supplier<String> what, Duration deadline, Supplier<Optional<T>> probe) {
        return until(what, deadline, POLL, probe);
    }

    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        until(() -> what, deadline, condition);
    }

    public static void until(Supplier<String> what, Duration deadline, BooleanSupplier condition) {
        until(what, deadline, POLL, asProbe(condition));
    }

    /**
     * Polls {@code condition} every 200 ms; on failure names {@code what} and {@code lastSeen}
     * (the last thing the condition saw, e.g. the container's log).
     */
    public static void slowly(String what, Duration deadline, BooleanSupplier condition, Supplier<String> lastSeen) {
        until(() -> what + "; last seen: " + lastSeen.get(), deadline, SLOW_POLL, asProbe(condition));
    }

    private static Supplier<Optional<Boolean>> asProbe(BooleanSupplier condition) {
        return () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty();
    }

    private static <T> T until(Supplier<String> what, Duration deadline, Duration poll, Supplier<Optional<T>> probe) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > end) {
                return fail("not within " + deadline.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(poll.toNanos());
        }
    }
}
