package io.revenant.supervisor;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * systemd's StartLimitBurst/StartLimitIntervalSec for the whole pool (like Erlang's restart
 * intensity): more than {@code burst} failure restarts within {@code intervalMillis} means the
 * pool cannot stay up, and the supervisor gives up so that the outer restart policy (Docker,
 * Kubernetes, systemd) takes over.
 */
final class StartLimit {

    private final int burst;
    private final long intervalMillis;
    private final Deque<Long> restarts = new ArrayDeque<>();

    StartLimit(int burst, long intervalMillis) {
        this.burst = burst;
        this.intervalMillis = intervalMillis;
    }

    /** Records a restart at {@code nowMillis}; returns true when the limit is now exceeded. */
    boolean recordAndCheck(long nowMillis) {
        restarts.addLast(nowMillis);
        while (!restarts.isEmpty() && restarts.peekFirst() <= nowMillis - intervalMillis) {
            restarts.removeFirst();
        }
        return restarts.size() > burst;
    }

    int recent() {
        return restarts.size();
    }
}
