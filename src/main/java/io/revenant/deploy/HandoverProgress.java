package io.revenant.deploy;

import java.util.Optional;

/**
 * Where a slot's hand-over stands, decided from what the engine shows: the pure part of
 * {@link Rollout#hop}. The new container's supervisor takes the listening socket from the old
 * one (same network namespace), waits until every worker is READY and only then tells the old
 * one to drain; the old container then exits 0. Until the old one has exited, the admin port in
 * the namespace is still the old supervisor's, so a status only counts once the old container is
 * gone and it names another instance.
 */
final class HandoverProgress {

    private HandoverProgress() {
    }

    /** A container as {@code inspect} shows it: running or not, restarts by the policy, last exit code. */
    record State(boolean running, int restarts, int exitCode) {
    }

    /**
     * One look at the slot.
     *
     * @param old          the serving container
     * @param oldInstance  its supervisor's instance id, read before the new container started
     * @param next         the new container
     * @param status       {@code GET /status} on the slot's admin port, asked inside the new container
     * @param pastDeadline the deploy's ready timeout has passed
     */
    record Look(State old, String oldInstance, State next, Optional<SupervisorStatus> status, boolean pastDeadline) {
    }

    sealed interface Verdict permits Wait, Done, Failed {
    }

    record Wait(String seen) implements Verdict {
    }

    record Done(SupervisorStatus status) implements Verdict {
    }

    /** @param slotDown the old container is gone too: nothing serves the slot */
    record Failed(String reason, boolean slotDown) implements Verdict {
    }

    static Verdict decide(Look look) {
        State next = look.next();
        boolean oldGone = !look.old().running();
        if (!next.running() || next.restarts() > 0) {
            String reason = next.restarts() == 0 ? "its supervisor exited with code " + next.exitCode()
                    : "its supervisor exited and was restarted " + next.restarts() + " time(s) by the restart policy"
                      + (next.exitCode() == 0 ? "" : " (last exit code " + next.exitCode() + ")");
            return new Failed(reason, oldGone);
        }
        if (oldGone && look.old().exitCode() != 0) {
            return new Failed("the serving container exited with code " + look.old().exitCode()
                              + " during the hand-over (a clean hand-over ends it with 0)", false);
        }
        Optional<SupervisorStatus> fresh = look.status().filter(status -> !status.instance().equals(look.oldInstance()));
        if (oldGone && fresh.filter(SupervisorStatus::allReady).isPresent()) {
            return new Done(fresh.get());
        }
        String seen = !oldGone ? "the serving container has not handed over yet"
                : fresh.map(status -> status.ready() + " of " + status.workers() + " worker(s) READY"
                                      + (status.stopping() ? ", stopping" : ""))
                        .orElse("no answer from the new supervisor's admin listener yet");
        if (look.pastDeadline()) {
            return new Failed("not handed over in time (" + seen + ")", oldGone);
        }
        return new Wait(seen);
    }
}
