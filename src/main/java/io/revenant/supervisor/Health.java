package io.revenant.supervisor;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import io.revenant.protocol.JsonText;

/**
 * The answer of the admin {@code GET /health}, decided from values only so that a table test
 * covers it. A loop that has not turned for {@link #LOOP_STUCK_AFTER_MS} answers 503 STUCK even
 * though its last snapshot counted enough READY workers: that snapshot is stale, and a stuck loop
 * restarts nothing, so a load balancer or an orchestrator must stop trusting it.
 *
 * @param code      the HTTP status: 200 or 503
 * @param status    UP, DOWN (stopping, or too few READY workers) or STUCK (the loop stopped turning)
 * @param reason    why it is not UP; empty when UP
 * @param loopAgeMs milliseconds since the loop last published its snapshot
 */
record Health(int code, String status, String reason, long ready, int minReady, int workers, boolean stopping,
              long loopAgeMs) {

    /**
     * The loop turns at least once a second when idle (its poll timeout), so 5 s is five missed
     * turns: longer than a GC pause or a slow worker spawn on a loaded machine, short enough for
     * a readiness probe that checks every few seconds.
     */
    static final long LOOP_STUCK_AFTER_MS = 5_000;

    static Health of(long ready, int minReady, int workers, boolean stopping, long loopAgeMs) {
        // the stale-snapshot check comes first: a stuck loop's counts and stopping flag are old news
        if (loopAgeMs > LOOP_STUCK_AFTER_MS) {
            return new Health(503, "STUCK", "the supervisor loop has not turned for " + loopAgeMs + " ms (bound "
                              + LOOP_STUCK_AFTER_MS + " ms)", ready, minReady, workers, stopping, loopAgeMs);
        }
        if (stopping) {
            return new Health(503, "DOWN", "stopping", ready, minReady, workers, true, loopAgeMs);
        }
        if (ready < minReady) {
            return new Health(503, "DOWN", ready + " READY workers; min-ready is " + minReady, ready, minReady,
                              workers, false, loopAgeMs);
        }
        return new Health(200, "UP", "", ready, minReady, workers, false, loopAgeMs);
    }

    /** Before the loop published its first snapshot: the admin listener starts just before it. */
    static Health starting() {
        return new Health(503, "DOWN", "starting", 0, 0, 0, false, 0);
    }

    JsonObject json() {
        JsonObjectBuilder json = JsonText.object().add("status", status);
        if (!reason.isEmpty()) {
            json.add("reason", reason);
        }
        return json.add("ready", ready).add("min-ready", minReady).add("workers", workers).add("stopping", stopping)
                .add("loop-age-ms", loopAgeMs).build();
    }
}
