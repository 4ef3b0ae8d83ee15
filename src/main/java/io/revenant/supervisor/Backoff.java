package io.revenant.supervisor;

import java.time.Duration;

/**
 * Restart delay of one slot, systemd v254 style: {@code RestartSec} for the first failure, then
 * exponential growth over {@code RestartSteps} steps up to {@code RestartMaxDelaySec}.
 */
final class Backoff {

    private Backoff() {
    }

    /**
     * @param first     restart-sec
     * @param max       restart-max-delay-sec
     * @param steps     restart-steps; 0 keeps every delay at {@code first}
     * @param failures  consecutive failures of the slot, counting this one (1 = first)
     */
    static Duration delay(Duration first, Duration max, int steps, int failures) {
        if (failures <= 1 || steps == 0 || max.compareTo(first) <= 0) {
            return first;
        }
        int step = Math.min(failures - 1, steps);
        // growth needs a non-zero base; a zero restart-sec grows from 1 ms
        double base = Math.max(1, first.toMillis());
        double ratio = max.toMillis() / base;
        long millis = Math.round(base * Math.pow(ratio, (double) step / steps));
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
