package io.revenant.supervisor;

import java.time.Duration;
import java.util.function.Consumer;

import io.revenant.protocol.HealthProbe;

/**
 * One HTTP health probe of a worker's loopback admin listener, run on a virtual thread. The
 * answer comes from the worker's request machinery, so a worker that is alive but cannot serve
 * (deadlocked, SIGSTOPped, out of threads) fails it.
 */
final class WatchdogProbe {

    private WatchdogProbe() {
    }

    static void start(long worker, int adminPort, Duration timeout, Consumer<Event> events) {
        Thread.ofVirtual().name("probe-" + worker).start(() -> {
            String detail = HealthProbe.status(adminPort, (int) Math.max(1, timeout.toMillis()));
            events.accept(new Event.ProbeAnswered(worker, detail.equals("200"), detail));
        });
    }
}
