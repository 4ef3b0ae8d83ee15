package io.revenant.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import io.revenant.stack.StackFiles;
import io.revenant.stack.StackSettings;

/**
 * {@code make up} on a stack that runs: adds or removes app containers one slot at a time until
 * the stack has {@code supervisor.containers} of them, with nginx reloaded gracefully after each
 * step, and leaves {@code target/stack/} exactly as a fresh {@code make up} with the new count
 * would have rendered it. A stack that does not run whole, or that a fresh {@code make up} with
 * these options would render differently in anything but the count, is not scaled:
 * {@link RunningStack#look} says why, and {@code make up} starts it afresh as before.
 *
 * <p>Adding slot i: its holder from the compose file (compose's own {@code up -d --no-deps appI},
 * so its name, labels, network alias, ports and restart policy are those of a fresh start), its
 * app container as {@code make up} starts it, a wait until every worker is READY, then nginx's
 * file with the slot and a graceful reload, confirmed when nginx's workers are all new and nginx
 * answers from the slot. Removing slot i: nginx's file without it, a graceful reload, a wait
 * until nginx's old workers (the only ones that could still send to it) have finished and exited,
 * then the app container stopped gracefully and removed with its holder. Both reloads are
 * {@link NginxReload}'s; the order of the steps is {@link ScalePlan}'s.
 */
final class ScaleInPlace {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMPOSE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    /** How long the running supervisors get to notice the edited config by themselves (their watcher polls every 0.5 s). */
    private static final Duration CONFIG_NOTICE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(250);

    private final Engine engine;
    private final List<String> compose;
    private final StackSettings desired;
    private final String source;
    private final Path template;
    private final Path stackDir;
    private final Duration readyTimeout;
    private final DeployLog log;

    /**
     * @param compose      the compose command, e.g. {@code podman-compose} or {@code docker compose}
     * @param desired      the stack as the config asks for it now
     * @param source       the config file as {@code make up} names it (the compose file's header)
     * @param readyTimeout how long a new container may take until all its workers are READY
     */
    ScaleInPlace(Engine engine, List<String> compose, StackSettings desired, String source, Path template, Path stackDir,
                 Duration readyTimeout, DeployLog log) {
        this.engine = engine;
        this.compose = List.copyOf(compose);
        this.desired = desired;
        this.source = source;
        this.template = template;
        this.stackDir = stackDir;
        this.readyTimeout = readyTimeout;
        this.log = log;
    }

    /**
     * Carries the plan out on a stack {@link RunningStack#look} found whole.
     *
     * @return whether anything changed
     */
    boolean scale(RunningStack.Running running) throws DeployException, InterruptedException {
        long started = System.nanoTime();
        List<ScalePlan.Step> steps = ScalePlan.of(running.slots(), desired.containers());
        StackSettings target = desired.withImage(running.image());
        if (steps.isEmpty()) {
            log.line("stack " + desired.project() + ": " + running.slots().size() + " container(s) running, as"
                     + " supervisor.containers asks: nothing to do (make deploy rolls out a new version)");
            return false;
        }
        log.event("scale-start", "project", desired.project(), "from", running.slots().size(), "to", desired.containers(),
                  "image", running.image(), "steps", steps.toString(), "s", log.elapsed());
        SortedSet<Integer> live = new TreeSet<>(running.slots());
        Rollout probe = new Rollout(engine, target, readyTimeout, log);
        NginxReload nginx = new NginxReload(engine, target, stackDir, log);
        for (ScalePlan.Step step : steps) {
            long stepStarted = System.nanoTime();
            if (step.kind() == ScalePlan.Kind.ADD) {
                SupervisorStatus status = add(target, probe, nginx, live, step.slot());
                live.add(step.slot());
                log.event("slot-added", "slot", step.slot(), "name", target.containerName(step.slot()), "instance",
                          status.instance(), "workers", status.workers(), "containers", live.size(),
                          "ms", millisSince(stepStarted), "s", log.elapsed());
            } else {
                remove(target, nginx, live, step.slot());
                live.remove(step.slot());
                log.event("slot-removed", "slot", step.slot(), "name", target.containerName(step.slot()),
                          "containers", live.size(), "ms", millisSince(stepStarted), "s", log.elapsed());
            }
        }
        render(target.withContainers(live.size()));
        workersFollowTheCount(target, probe, live);
        log.event("scale-done", "project", desired.project(), "containers", live.size(), "nginx", "reloaded "
                  + steps.size() + " time(s), gracefully", "ms", millisSince(started), "s", log.elapsed());
        return true;
    }

    private SupervisorStatus add(StackSettings target, Rollout probe, NginxReload nginx, SortedSet<Integer> live, int slot)
            throws DeployException, InterruptedException {
        AppContainer app = AppContainer.own(target, slot);
        // the compose file with the new slot; nginx's file keeps the live slots until it is READY
        try {
            StackFiles.writeCompose(target.withContainers(Math.max(slot, live.isEmpty() ? 0 : live.last())), source,
                                    stackDir);
        } catch (IOException e) {
            throw new DeployException(DeployMain.IO_ERROR, "cannot write " + stackDir.resolve("compose.yaml") + ": " + e);
        }
        List<String> up = new ArrayList<>(compose.subList(1, compose.size()));
        up.addAll(List.of("-p", target.project(), "-f", stackDir.resolve("compose.yaml").toString(), "up", "-d",
                          "--no-deps", target.service(slot)));
        Engine.Result holder = new Engine(compose.getFirst()).run(COMPOSE_TIMEOUT, up);
        if (!engine.running(app.holder())) {
            restoreCompose(target, live);
            throw new DeployException(DeployMain.FAILED, "slot " + slot + "'s holder " + app.holder() + " did not start: "
                    + holder.failure() + unchanged(live));
        }
        log.event("holder-start", "slot", slot, "name", app.holder(), "port", target.publishedPort(slot),
                  "s", log.elapsed());
        Engine.Result run = engine.run(RUN_TIMEOUT, app.runArguments(target, target.image()));
        if (!run.ok()) {
            String logs = probe.lastLogs(app);
            discard(target, app, live);
            throw new DeployException(DeployMain.FAILED, app.name() + " did not start: " + run.failure() + unchanged(live)
                    + logs);
        }
        log.event("container-start", "slot", slot, "name", app.name(), "image", target.image(), "joins", app.holder(),
                  "s", log.elapsed());
        SupervisorStatus status = awaitReady(target, probe, app, live);
        log.event("slot-ready", "slot", slot, "instance", status.instance(), "workers", status.workers(),
                  "s", log.elapsed());
        SortedSet<Integer> next = new TreeSet<>(live);
        next.add(slot);
        render(target.withContainers(next.size()));
        nginx.reload("add slot " + slot);
        nginx.awaitAnswerFrom(status.instance(), slot);
        return status;
    }

    /** Waits until the new container's workers are all READY ({@link HandoverProgress}, with no predecessor). */
    private SupervisorStatus awaitReady(StackSettings target, Rollout probe, AppContainer app, SortedSet<Integer> live)
            throws DeployException, InterruptedException {
        switch (probe.awaitFirstReady(app)) {
            case HandoverProgress.Done done -> {
                return done.status();
            }
            case HandoverProgress.Failed failed -> {
                String logs = probe.lastLogs(app);
                discard(target, app, live);
                throw new DeployException(DeployMain.FAILED, app.name() + " did not become ready: " + failed.reason()
                        + "; it was stopped and removed with its holder" + unchanged(live) + logs);
            }
            case HandoverProgress.Wait waiting -> throw new IllegalStateException("awaitFirstReady returned Wait");
        }
    }

    private void remove(StackSettings target, NginxReload nginx, SortedSet<Integer> live, int slot)
            throws DeployException, InterruptedException {
        AppContainer app = AppContainer.own(target, slot);
        SortedSet<Integer> rest = new TreeSet<>(live);
        rest.remove(slot);
        // after the reload the old workers, the only ones that could send to the slot, have exited
        render(target.withContainers(rest.size()));
        nginx.reload("remove slot " + slot);
        stop(target, app);
        engine.run(RUN_TIMEOUT, "rm", "-f", app.name());
        engine.run(RUN_TIMEOUT, "rm", "-f", app.holder());
        if (engine.exists(app.name()) || engine.exists(app.holder())) {
            throw new DeployException(DeployMain.FAILED, "slot " + slot + " no longer gets traffic, but " + app.name()
                    + " or " + app.holder() + " could not be removed; make up again removes them");
        }
    }

    /**
     * Every supervisor reads the one mounted config and notices the edit by itself within a
     * second ({@code ConfigWatcher}), re-working out {@code workers: auto} with the new
     * {@code supervisor.containers}. Waits until each says so and has all its workers READY; one
     * that has not noticed in {@link #CONFIG_NOTICE} is sent SIGHUP, the same reload.
     */
    private void workersFollowTheCount(StackSettings target, Rollout probe, SortedSet<Integer> live)
            throws DeployException, InterruptedException {
        for (int slot : live) {
            AppContainer app = AppContainer.own(target, slot);
            long started = System.nanoTime();
            boolean hupped = false;
            while (true) {
                Optional<SupervisorStatus> status = probe.status(app);
                if (status.filter(s -> s.containers() == desired.containers() && s.allReady()).isPresent()) {
                    log.event("slot-workers", "slot", slot, "workers", status.get().workers(), "containers",
                              status.get().containers(), "reloaded", hupped ? "SIGHUP" : "by its config watcher",
                              "s", log.elapsed());
                    break;
                }
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                if (!hupped && waited.compareTo(CONFIG_NOTICE) > 0) {
                    engine.check(EXEC_TIMEOUT, "kill", "--signal", "HUP", app.name());
                    log.event("slot-reload", "slot", slot, "signal", "HUP", "seen", status.map(Object::toString).orElse("none"));
                    hupped = true;
                    started = System.nanoTime();
                } else if (hupped && waited.compareTo(readyTimeout) > 0) {
                    throw new DeployException(DeployMain.FAILED, "the stack has " + live.size() + " container(s), but "
                            + app.name() + " does not run its workers for supervisor.containers " + desired.containers()
                            + " with all of them READY (" + status.map(Object::toString).orElse("no status") + ")");
                }
                Thread.sleep(POLL);
            }
        }
    }

    /** Graceful: the supervisor drains its workers within supervisor.timeout-stop-sec. */
    private void stop(StackSettings target, AppContainer app) throws DeployException, InterruptedException {
        long grace = target.stopGracePeriod().toSeconds();
        Engine.Result stopped = engine.run(target.stopGracePeriod().plusSeconds(30), "stop", "-t", Long.toString(grace),
                                           app.name());
        String code = engine.inspect(app.name(), "{{.State.ExitCode}}");
        log.event("container-stop", "slot", app.slot(), "name", app.name(), "exit", stopped.ok() ? code : stopped.failure(),
                  "s", log.elapsed());
    }

    /** A new slot that did not make it: its container and holder go, the compose file names the live slots again. */
    private void discard(StackSettings target, AppContainer app, SortedSet<Integer> live)
            throws DeployException, InterruptedException {
        if (engine.exists(app.name())) {
            stop(target, app);
        }
        engine.run(RUN_TIMEOUT, "rm", "-f", app.name());
        engine.run(RUN_TIMEOUT, "rm", "-f", app.holder());
        restoreCompose(target, live);
    }

    private void restoreCompose(StackSettings target, SortedSet<Integer> live) throws DeployException {
        if (!live.isEmpty()) {
            render(target.withContainers(live.size()));
        }
    }

    private void render(StackSettings stack) throws DeployException {
        try {
            StackFiles.write(stack, source, template, stackDir);
        } catch (IOException | IllegalArgumentException e) {
            throw new DeployException(DeployMain.IO_ERROR, "cannot render " + stackDir + ": " + e.getMessage());
        }
    }

    private static String unchanged(SortedSet<Integer> live) {
        return "; slots " + live + " serve on and nginx's file names them; make up again to retry";
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
