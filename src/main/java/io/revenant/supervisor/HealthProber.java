package io.revenant.supervisor;

import java.time.Duration;

/** Starts one watchdog probe of a worker's admin listener; its answer arrives as {@link Event.ProbeAnswered}. */
@FunctionalInterface
interface HealthProber {

    void probe(long worker, int adminPort, Duration timeout);
}
