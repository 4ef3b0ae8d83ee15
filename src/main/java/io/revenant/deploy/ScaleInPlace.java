package io.revenant.deploy;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revenant.protocol.OneShotHttp;
import io.revenant.stack.ComposeFile;
import io.revenant.stack.NginxConf;
import io.revenant.stack.StackEnv;
import io.revenant.stack.StackFiles;
import io.revenant.stack.StackSettings;
import io.revenant.stack.WorkerReply;

/**
 * {@code make up} on a stack that runs: adds or removes app containers one slot at a time until
 * the stack has {@code supervisor.containers} of them, with nginx reloaded gracefully after each
 * step, and leaves {@code target/stack/} exactly as a fresh {@code make up} with the new count
 * would have rendered it. A stack that does not run whole, or that a fresh {@code make up} with
 * these options would render differently in anything but the count, is not scaled: {@link #look}
 * says why, and {@code make up} starts it afresh as before.
 *
 * <p>Adding slot i: its holder from the compose file (compose's own {@code up -d --no-deps appI},
 * so its name, labels, network alias, ports and restart policy are those of a fresh start), its
 * app container as {@code make up} starts it, a wait until every worker is READY, then nginx's
 * file with the slot and a graceful reload, confirmed when nginx's workers are all new and nginx
 * answers from the slot. Removing slot i: nginx's file without it, a graceful reload, a wait
 * until nginx's old workers (the only ones that could still send to it) have finished and exited,
 * then the app container stopped gracefully and removed with its holder.
 */
final class ScaleInPlace {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMPOSE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** How long the running supervisors get to notice the edited config by themselves (their watcher polls every 0.5 s). */
    private static final Duration CONFIG_NOTICE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(250);
    /**
     * The file in nginx's conf.d whose presence makes every answer close its connection
     * (nginx/revenant.conf.template); not {@code *.conf}, so nginx never reads it as configuration.
     */
    static final String CLOSING_FLAG = "closing-connections";
    /** How long the clients' kept-alive connections get to be closed after an answer before a reload. */
    private static final Duration CLOSING_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern HOLDER = Pattern.compile("-app(\\d+)-net");

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

    /** What runs: the slots, and the image reference their containers run (what new slots run too). */
    record Running(SortedSet<Integer> slots, String image) {
    }

    /** Either the stack runs whole and can be scaled, or why it cannot (then make up starts it afresh). */
    sealed interface Look permits Whole, NotWhole {
    }

    record Whole(Running running) implements Look {
    }

    record NotWhole(String reason) implements Look {
    }

    /**
     * Whether the stack runs as the last {@code make up} or {@code make deploy} left it: nginx, and
     * for slots 1 … n (n as stack.env says) a running holder and app container, nothing else of
     * the project; every app container on one image and the config directory of {@code --config};
     * and the stack's files are what these options render for n containers.
     */
    Look look() throws DeployException, InterruptedException {
        Path envFile = stackDir.resolve("stack.env");
        StackEnv env;
        String renderedImage;
        try (Reader in = Files.newBufferedReader(envFile, StandardCharsets.UTF_8)) {
            env = StackEnv.read(envFile);
            Properties values = new Properties();
            values.load(in);
            renderedImage = values.getProperty("IMAGE", "").strip();
        } catch (IOException | IllegalArgumentException e) {
            return new NotWhole("no stack rendered in " + stackDir + " (" + e.getMessage() + ")");
        }
        Engine.Result listed = engine.run(RUN_TIMEOUT, "ps", "-a", "--filter", "label=com.docker.compose.project="
                + desired.project(), "--format", "{{.Names}}");
        if (!listed.ok()) {
            throw new DeployException(DeployMain.UNAVAILABLE, listed.failure());
        }
        Set<String> names = new TreeSet<>(listed.out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        if (names.isEmpty()) {
            return new NotWhole("no container of project " + desired.project() + " exists");
        }
        SortedSet<Integer> slots = new TreeSet<>();
        for (String name : names) {
            Matcher holder = HOLDER.matcher(name);
            if (name.startsWith(desired.project()) && holder.find() && holder.end() == name.length()
                    && name.equals(desired.holderName(Integer.parseInt(holder.group(1))))) {
                slots.add(Integer.parseInt(holder.group(1)));
            }
        }
        StackSettings now = desired.withContainers(Math.max(1, slots.size()));
        Set<String> expected = new HashSet<>(Set.of(desired.nginxContainerName()));
        for (int slot = 1; slot <= slots.size(); slot++) {
            expected.add(now.holderName(slot));
            expected.add(now.containerName(slot));
        }
        if (slots.isEmpty() || slots.last() != slots.size() || !names.equals(expected)) {
            return new NotWhole("its containers are " + names + ", not slots 1 to n and nginx as make up starts them");
        }
        if (slots.size() != env.containers()) {
            return new NotWhole(slots.size() + " slots run, but " + envFile + " says " + env.containers());
        }
        for (String name : expected) {
            if (!running(name)) {
                return new NotWhole(name + " is not running");
            }
        }
        Set<String> images = new TreeSet<>();
        for (int slot : slots) {
            images.add(inspect(now.containerName(slot), "{{.Image}}"));
        }
        if (images.size() != 1) {
            return new NotWhole("its app containers run different images " + images + " (an unfinished make deploy)");
        }
        String mounted = mountedConfig(now.containerName(1));
        if (!mounted.isEmpty() && !Path.of(mounted).equals(desired.configDir())) {
            return new NotWhole("its containers mount the config directory " + mounted + ", not " + desired.configDir());
        }
        String imageId = images.iterator().next();
        Engine.Result named = engine.run(RUN_TIMEOUT, "image", "inspect", "--format", "{{.Id}}", renderedImage);
        String image = named.ok() && sameId(named.out().strip(), imageId) ? renderedImage : imageId;
        StackSettings rendered = now.withImage(image);
        Optional<String> differs = differs(stackDir.resolve("compose.yaml"),
                ComposeFile.render(rendered, source, StackFiles.nginxConfD(stackDir)))
                .or(() -> differs(StackFiles.nginxConfD(stackDir).resolve("default.conf"), nginxConf(rendered)));
        if (differs.isPresent()) {
            return new NotWhole(differs.get() + ": something besides supervisor.containers changed since it was started");
        }
        return new Whole(new Running(slots, image));
    }

    /**
     * Carries the plan out on a stack {@link #look} found whole.
     *
     * @return whether anything changed
     */
    boolean scale(Running running) throws DeployException, InterruptedException {
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
        for (ScalePlan.Step step : steps) {
            long stepStarted = System.nanoTime();
            if (step.kind() == ScalePlan.Kind.ADD) {
                SupervisorStatus status = add(target, probe, live, step.slot());
                live.add(step.slot());
                log.event("slot-added", "slot", step.slot(), "name", target.containerName(step.slot()), "instance",
                          status.instance(), "workers", status.workers(), "containers", live.size(),
                          "ms", millisSince(stepStarted), "s", log.elapsed());
            } else {
                remove(target, live, step.slot());
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

    private SupervisorStatus add(StackSettings target, Rollout probe, SortedSet<Integer> live, int slot)
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
        if (!running(app.holder())) {
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
        reload(target, "add slot " + slot);
        awaitNginxAnswersFrom(target, status.instance(), slot);
        return status;
    }

    /** Waits until the new container's workers are all READY ({@link HandoverProgress}, with no predecessor). */
    private SupervisorStatus awaitReady(StackSettings target, Rollout probe, AppContainer app, SortedSet<Integer> live)
            throws DeployException, InterruptedException {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        HandoverProgress.State none = new HandoverProgress.State(false, 0, 0);
        while (true) {
            HandoverProgress.Look look = new HandoverProgress.Look(none, "", probe.state(app), probe.status(app),
                                                                   System.nanoTime() > deadline);
            switch (HandoverProgress.decide(look)) {
                case HandoverProgress.Done done -> {
                    return done.status();
                }
                case HandoverProgress.Failed failed -> {
                    String logs = probe.lastLogs(app);
                    discard(target, app, live);
                    throw new DeployException(DeployMain.FAILED, app.name() + " did not become ready: " + failed.reason()
                            + "; it was stopped and removed with its holder" + unchanged(live) + logs);
                }
                case HandoverProgress.Wait waiting -> Thread.sleep(POLL);
            }
        }
    }

    private void remove(StackSettings target, SortedSet<Integer> live, int slot) throws DeployException, InterruptedException {
        AppContainer app = AppContainer.own(target, slot);
        SortedSet<Integer> rest = new TreeSet<>(live);
        rest.remove(slot);
        // after the reload the old workers, the only ones that could send to the slot, have exited
        render(target.withContainers(rest.size()));
        reload(target, "remove slot " + slot);
        stop(target, app);
        engine.run(RUN_TIMEOUT, "rm", "-f", app.name());
        engine.run(RUN_TIMEOUT, "rm", "-f", app.holder());
        if (exists(app.name()) || exists(app.holder())) {
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

    /**
     * A graceful reload that fails no request of a client that never retries. A reload's old
     * workers close their idle kept-alive connections at once, which races a client's next
     * request on such a connection (it gets no answer). So first the flag file
     * ({@link #CLOSING_FLAG}, the template's {@code location /} checks it) makes every answer say
     * {@code Connection: close}, and nginx closes each connection after its answer; once the
     * clients' connections open before have all been closed so (or {@link #CLOSING_TIMEOUT}
     * passed: what is left is idle clients that send nothing), {@code nginx -t} and
     * {@code nginx -s reload}; then a wait until every serving worker is new and the old ones have
     * finished what they had in flight and exited, so nothing runs the old configuration any
     * more; then the flag goes.
     */
    private void reload(StackSettings target, String why) throws DeployException, InterruptedException {
        String nginx = target.nginxContainerName();
        Path flag = StackFiles.nginxConfD(stackDir).resolve(CLOSING_FLAG);
        try {
            Files.writeString(flag, "make up is reloading nginx: every answer says Connection: close\n");
        } catch (IOException e) {
            throw new DeployException(DeployMain.IO_ERROR, "cannot write " + flag + ": " + e);
        }
        try {
            Set<Long> open = clientConnections(target);
            long closingDeadline = System.nanoTime() + CLOSING_TIMEOUT.toNanos();
            Set<Long> left = stillOpen(open, clientConnections(target));
            while (!left.isEmpty() && System.nanoTime() < closingDeadline) {
                Thread.sleep(POLL);
                left = stillOpen(open, clientConnections(target));
            }
            log.event("nginx-closing", "reason", why, "client-connections", open.size(), "closed", open.size() - left.size(),
                      "idle-left", left.size(), "s", log.elapsed());
            NginxProcesses before = nginxProcesses(target);
            Engine.Result test = engine.run(EXEC_TIMEOUT, "exec", nginx, "nginx", "-t");
            if (!test.ok()) {
                throw new DeployException(DeployMain.FAILED, "nginx refuses its new configuration, so it was not reloaded"
                        + " and serves on with the old one: " + test.failure());
            }
            engine.check(EXEC_TIMEOUT, "exec", nginx, "nginx", "-s", "reload");
            long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
            NginxProcesses now = nginxProcesses(target);
            while (!now.reloadedSince(before)) {
                if (System.nanoTime() > deadline) {
                    throw new DeployException(DeployMain.FAILED, "nginx did not start new workers within "
                            + RELOAD_TIMEOUT.toSeconds() + "s of its reload (" + why + "): before " + before + ", now " + now);
                }
                Thread.sleep(POLL);
                now = nginxProcesses(target);
            }
            log.event("nginx-reload", "reason", why, "workers", now.serving().toString(), "old-workers",
                      before.serving().toString(), "s", log.elapsed());
            long drainDeadline = System.nanoTime() + target.nextUpstreamTimeout().plusSeconds(10).toNanos();
            while (!now.drainedSince(before) && System.nanoTime() < drainDeadline) {
                Thread.sleep(POLL);
                now = nginxProcesses(target);
            }
            if (now.drainedSince(before)) {
                log.event("nginx-drained", "reason", why, "old-workers", "exited", "s", log.elapsed());
            } else {
                log.event("nginx-drain-timeout", "reason", why, "still-shutting-down", now.shuttingDown().toString(),
                          "message", "going on: a removed slot's container finishes what it has in flight when stopped");
            }
        } finally {
            try {
                Files.deleteIfExists(flag);
            } catch (IOException e) {
                log.event("nginx-flag-left", "file", flag.toString(), "reason", e.getMessage(),
                          "message", "nginx closes every connection after its answer until the file is removed");
            }
        }
    }

    private Set<Long> clientConnections(StackSettings target) throws DeployException, InterruptedException {
        Engine.Result sockets = engine.run(EXEC_TIMEOUT, NginxProcesses.socketsCommand(target.nginxContainerName()));
        // an image without tcp6 still prints tcp: the exit code says only that one file was missing
        return NginxProcesses.clientConnections(sockets.out(), ComposeFile.NGINX_CONTAINER_PORT);
    }

    private static Set<Long> stillOpen(Set<Long> before, Set<Long> now) {
        Set<Long> left = new TreeSet<>(before);
        left.retainAll(now);
        return left;
    }

    private void awaitNginxAnswersFrom(StackSettings target, String instance, int slot)
            throws DeployException, InterruptedException {
        URI nginx = URI.create("http://" + target.publishHost() + ":" + target.nginxPort() + "/");
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        int asked = 0;
        while (System.nanoTime() < deadline) {
            asked++;
            try {
                OneShotHttp.Response answer = OneShotHttp.get(nginx, Map.of("Accept", "application/json"), EXEC_TIMEOUT);
                if (answer.status() == 200 && WorkerReply.parse(answer.body()).map(WorkerReply::instance)
                        .filter(instance::equals).isPresent()) {
                    log.event("nginx-answers", "slot", slot, "instance", instance, "requests", asked, "s", log.elapsed());
                    return;
                }
            } catch (IOException e) {
                // asked again below; the deadline bounds it
            }
            Thread.sleep(50);
        }
        throw new DeployException(DeployMain.FAILED, "nginx was reloaded with slot " + slot + " but did not answer from it"
                + " (instance " + instance + ") in " + asked + " requests within " + ANSWER_TIMEOUT.toSeconds() + "s");
    }

    private NginxProcesses nginxProcesses(StackSettings target) throws DeployException, InterruptedException {
        return NginxProcesses.parse(engine.check(EXEC_TIMEOUT,
                NginxProcesses.command(target.nginxContainerName()).toArray(String[]::new)));
    }

    /** Graceful: the supervisor drains its workers within supervisor.timeout-stop-sec. */
    private void stop(StackSettings target, AppContainer app) throws DeployException, InterruptedException {
        long grace = target.stopGracePeriod().toSeconds();
        Engine.Result stopped = engine.run(target.stopGracePeriod().plusSeconds(30), "stop", "-t", Long.toString(grace),
                                           app.name());
        String code = inspect(app.name(), "{{.State.ExitCode}}");
        log.event("container-stop", "slot", app.slot(), "name", app.name(), "exit", stopped.ok() ? code : stopped.failure(),
                  "s", log.elapsed());
    }

    /** A new slot that did not make it: its container and holder go, the compose file names the live slots again. */
    private void discard(StackSettings target, AppContainer app, SortedSet<Integer> live)
            throws DeployException, InterruptedException {
        if (exists(app.name())) {
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

    private String nginxConf(StackSettings stack) {
        try {
            return NginxConf.render(stack, Files.readString(template, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return "cannot render " + template + ": " + e.getMessage();
        }
    }

    /** The first line where {@code file} and what would be rendered now differ, comments aside. */
    static Optional<String> differs(Path file, String rendered) {
        List<String> have;
        try {
            have = Files.readString(file, StandardCharsets.UTF_8).lines().filter(l -> !l.strip().startsWith("#")).toList();
        } catch (IOException e) {
            return Optional.of(file + " cannot be read (" + e.getMessage() + ")");
        }
        List<String> want = rendered.lines().filter(l -> !l.strip().startsWith("#")).toList();
        for (int i = 0; i < Math.max(have.size(), want.size()); i++) {
            String a = i < have.size() ? have.get(i) : "(end of file)";
            String b = i < want.size() ? want.get(i) : "(end of file)";
            if (!a.equals(b)) {
                return Optional.of(file + " has \"" + a.strip() + "\" where these options render \"" + b.strip() + "\"");
            }
        }
        return Optional.empty();
    }

    private static boolean sameId(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String id) {
        return id.startsWith("sha256:") ? id.substring(7) : id;
    }

    private boolean running(String container) throws DeployException, InterruptedException {
        Engine.Result result = engine.run(EXEC_TIMEOUT, "container", "inspect", "--format", "{{.State.Running}}", container);
        return result.ok() && result.out().strip().equals("true");
    }

    private boolean exists(String container) throws DeployException, InterruptedException {
        return engine.run(EXEC_TIMEOUT, "container", "inspect", "--format", "{{.Id}}", container).ok();
    }

    private String inspect(String container, String format) throws DeployException, InterruptedException {
        return engine.check(EXEC_TIMEOUT, "container", "inspect", "--format", format, container).strip();
    }

    private String mountedConfig(String container) throws DeployException, InterruptedException {
        String mounts = inspect(container, "{{range .Mounts}}{{.Destination}}={{.Source}}\n{{end}}");
        return mounts.lines().filter(line -> line.startsWith(StackSettings.CONFIG_MOUNT + "="))
                .map(line -> line.substring(line.indexOf('=') + 1).strip()).findFirst().orElse("");
    }

    private static String unchanged(SortedSet<Integer> live) {
        return "; slots " + live + " serve on and nginx's file names them; make up again to retry";
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
