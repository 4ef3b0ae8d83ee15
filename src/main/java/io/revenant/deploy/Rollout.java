package io.revenant.deploy;

import java.time.Duration;
import java.util.Optional;

import io.revenant.stack.StackSettings;

/**
 * The steps of a rollout on one slot: a socket hand-over inside the slot's network namespace. The
 * new version's container joins the slot's holder, its supervisor takes the listening socket
 * from the serving one, and once every worker is READY the old supervisor drains and exits 0. The
 * socket, its queue, the published port and nginx's upstream address never change, so nginx is
 * neither touched nor reloaded.
 */
final class Rollout {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(250);
    /** Log lines of a failed new container quoted in the message. */
    static final int LOG_LINES = 30;

    private final Engine engine;
    private final StackSettings stack;
    private final Duration readyTimeout;
    private final DeployLog log;

    /** @param readyTimeout how long a new container may take to have taken over with all its workers READY */
    Rollout(Engine engine, StackSettings stack, Duration readyTimeout, DeployLog log) {
        this.engine = engine;
        this.stack = stack;
        this.readyTimeout = readyTimeout;
        this.log = log;
    }

    /**
     * Waits until {@code app}, a container with no predecessor in its slot (make up, an added
     * slot), has all its workers READY, or the ready timeout passes.
     *
     * @return {@link HandoverProgress.Done} or {@link HandoverProgress.Failed}, never Wait
     */
    HandoverProgress.Verdict awaitFirstReady(AppContainer app) throws DeployException, InterruptedException {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        HandoverProgress.State none = new HandoverProgress.State(false, 0, 0);
        while (true) {
            HandoverProgress.Verdict verdict = HandoverProgress.decide(new HandoverProgress.Look(none, "", state(app),
                    status(app), System.nanoTime() > deadline));
            if (!(verdict instanceof HandoverProgress.Wait)) {
                return verdict;
            }
            Thread.sleep(POLL);
        }
    }

    /**
     * Replaces the container serving {@code slot} by one started from {@code image}.
     *
     * @return the new container's status once it serves alone
     */
    SupervisorStatus hop(int slot, String image) throws DeployException, InterruptedException {
        long started = System.nanoTime();
        AppContainer current = AppContainer.own(stack, slot);
        AppContainer next = AppContainer.next(stack, slot);
        String oldInstance = status(current).map(SupervisorStatus::instance).orElseThrow(() -> new DeployException(
                DeployMain.UNAVAILABLE, current.name() + " does not answer on its admin port; make up restarts the stack"));
        log.event("container-start", "slot", slot, "name", next.name(), "image", image, "joins", next.holder(),
                  "replaces", current.name());
        Engine.Result run = engine.run(RUN_TIMEOUT, next.runArguments(stack, image));
        if (!run.ok()) {
            String logs = lastLogs(next);
            remove(next);
            throw new DeployException(DeployMain.FAILED, next.name() + " did not start: " + run.failure() + unchanged(current)
                    + logs);
        }
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (true) {
            HandoverProgress.Look look = new HandoverProgress.Look(state(current), oldInstance, state(next), status(next),
                                                                   System.nanoTime() > deadline);
            switch (HandoverProgress.decide(look)) {
                case HandoverProgress.Done done -> {
                    engine.run(RUN_TIMEOUT, "rm", "-f", current.name());
                    engine.check(RUN_TIMEOUT, "rename", next.name(), current.name());
                    log.event("container-handed-over", "slot", slot, "name", current.name(), "instance",
                              done.status().instance(), "version", done.status().version(), "workers",
                              done.status().workers(), "from-instance", oldInstance, "old-exit", 0, "nginx", "unchanged",
                              "ms", (System.nanoTime() - started) / 1_000_000);
                    return done.status();
                }
                case HandoverProgress.Failed failed -> fail(current, next, image, failed);
                case HandoverProgress.Wait waiting -> Thread.sleep(POLL);
            }
        }
    }

    /**
     * The new container did not take over: its last log lines, then it is stopped gracefully (its
     * workers may have served from the shared socket; the old supervisor was never told to drain,
     * so its copy of the socket and its workers serve on) and removed.
     */
    private void fail(AppContainer current, AppContainer next, String image, HandoverProgress.Failed failed)
            throws DeployException, InterruptedException {
        String logs = lastLogs(next);
        engine.run(stack.stopGracePeriod().plusSeconds(30), "stop", "-t",
                   Long.toString(stack.stopGracePeriod().toSeconds()), next.name());
        remove(next);
        throw new DeployException(DeployMain.FAILED, next.name() + " (image " + image + ") did not take over: "
                + failed.reason() + "; it was stopped and removed"
                + (failed.slotDown() ? "; " + current.name() + " had already exited: slot " + current.slot()
                                       + " serves nothing, make deploy again or make up" : unchanged(current))
                + logs);
    }

    HandoverProgress.State state(AppContainer container) throws DeployException, InterruptedException {
        Engine.Result state = engine.run(EXEC_TIMEOUT, "inspect", "--format",
                "{{.State.Running}} {{.RestartCount}} {{.State.ExitCode}}", container.name());
        String[] fields = state.out().strip().split(" ");
        if (!state.ok() || fields.length != 3) {
            return new HandoverProgress.State(false, 0, -1);
        }
        return new HandoverProgress.State(fields[0].equals("true"), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]));
    }

    /** The slot's admin {@code GET /status}, asked from inside {@code container}. */
    Optional<SupervisorStatus> status(AppContainer container) throws DeployException, InterruptedException {
        Engine.Result answer = engine.run(EXEC_TIMEOUT, SupervisorStatus.command(container.name(), stack.adminPort()));
        return answer.ok() ? SupervisorStatus.parse(answer.out()) : Optional.empty();
    }

    /** The end of a container's log, as a block for a message. */
    String lastLogs(AppContainer container) throws InterruptedException {
        try {
            Engine.Result logs = engine.run(EXEC_TIMEOUT, "logs", "--tail", Integer.toString(LOG_LINES), container.name());
            String text = (logs.out() + logs.err()).strip();
            return "\n--- last " + LOG_LINES + " log lines of " + container.name() + ":\n"
                   + (text.isEmpty() ? "(none)" : text);
        } catch (DeployException e) {
            return "\n--- no logs of " + container.name() + ": " + e.getMessage();
        }
    }

    private void remove(AppContainer container) throws InterruptedException {
        try {
            engine.run(RUN_TIMEOUT, "rm", "-f", container.name());
            log.event("container-removed", "slot", container.slot(), "name", container.name());
        } catch (DeployException e) {
            log.event("container-remove-failed", "name", container.name(), "reason", e.getMessage());
        }
    }

    private static String unchanged(AppContainer current) {
        return "; " + current.name() + " serves on, with the same socket; nginx was not touched";
    }
}
