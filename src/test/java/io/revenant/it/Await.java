package io.revenant.it;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition with a deadline, polling; never a fixed sleep followed by an assert. */
public final class Await {

    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private Await() {
    }

    /** Polls {@code probe} until it yields a value, or fails the test naming {@code what}. */
    public static <T> T until(String what, Duration deadline, Supplier<Optional<T>> probe) {
        return until(() -> what, deadline, probe);
    }

    /** As above, with the failure message computed only on failure (e.g. to include the latest output). */
    public static <T> T until(Supplier<String> what, Duration deadline, Supplier<Optional<T>> probe) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > end) {
                return fail("not within " + deadline.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    public static void until(String what, Duration deadline, java.util.function.BooleanSupplier condition) {
        until(() -> what, deadline, condition);
    }

    public static void until(Supplier<String> what, Duration deadline, java.util.function.BooleanSupplier condition) {
        until(what, deadline, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
    }
}
