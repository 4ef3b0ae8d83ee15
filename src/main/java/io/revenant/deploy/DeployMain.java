package io.revenant.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.protocol.ToolExit;
import io.revenant.stack.StackFiles;
import io.revenant.stack.StackSettings;
import io.revenant.stack.ToolOptions;

/**
 * {@code make deploy} and {@code make rollback}: roll an image onto the running stack, slot by
 * slot, as a socket hand-over inside each slot's network namespace ({@link Rollout}; nginx is
 * never reloaded), then record what ran before as {@code <image-name>:previous}. And the part of
 * {@code make up} that compose cannot do: the app containers, which join their slots' holders.
 *
 * <pre>
 * deploy   --image REF  [stack options]    roll REF (already built) onto the stack
 * rollback              [stack options]    roll &lt;image-name&gt;:previous back
 * up       --image REF  [stack options]    start each slot's app container in its holder (make up)
 * scale    --image REF --compose CMD [stack options]
 *                                          make up on a running stack: add or remove slots until
 *                                          supervisor.containers run; exit 69 when it does not run
 *                                          whole (make up then starts it afresh)
 * stack options: --config FILE --stack-dir target/stack --project revenant --image-name revenant
 *                --engine podman|docker --timeout 60s, and render's --nginx-image --nginx-port
 *                --nginx-template --publish-host --publish-base --healthcheck (as make up used)
 * </pre>
 */
public final class DeployMain {

    /** The rollout stopped: a new container did not take its slot over (the old one still serves). */
    static final int FAILED = ToolExit.FAILED;
    /** Bad command line (sysexits EX_USAGE). */
    static final int USAGE = ToolExit.USAGE;
    /** No running stack in its usual shape, no such image, no engine (sysexits EX_UNAVAILABLE). */
    static final int UNAVAILABLE = ToolExit.UNAVAILABLE;
    /** A file could not be read or written (sysexits EX_IOERR). */
    static final int IO_ERROR = ToolExit.IO_ERROR;
    /** Invalid application.yaml (sysexits EX_CONFIG). */
    static final int CONFIG = ToolExit.CONFIG;

    /** Tag of the image the stack ran before the last deploy or rollback that changed it. */
    static final String PREVIOUS_TAG = "previous";

    private static final Duration ENGINE_TIMEOUT = Duration.ofSeconds(30);

    private final ToolOptions options;
    private final Engine engine;
    private final DeployLog log;

    private DeployMain(ToolOptions options) {
        this.options = options;
        this.engine = new Engine(options.get("engine", ToolOptions.ENGINE));
        this.log = new DeployLog(System.out, startedMillis(options));
    }

    /** {@code --started} (epoch ms, make up's own start) for the elapsed seconds of progress lines; now without it. */
    private static long startedMillis(ToolOptions options) {
        try {
            return Long.parseLong(options.get("started", "").strip());
        } catch (NumberFormatException e) {
            return System.currentTimeMillis();
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        return ToolOptions.dispatch(args, List.of("deploy", "rollback", "up", "scale"), DeployMain::run, DeployMain::usage);
    }

    private static int run(String command, ToolOptions options) {
        if (!command.equals("rollback") && !options.has("image")) {
            return usage(command + " needs --image");
        }
        if (command.equals("scale") && !options.has("compose")) {
            return usage("scale needs --compose (podman-compose or \"docker compose\")");
        }
        try {
            if (command.equals("up")) {
                new DeployMain(options).up();
                return 0;
            }
            if (command.equals("scale")) {
                return new DeployMain(options).scale();
            }
            new DeployMain(options).roll(command);
            return 0;
        } catch (DeployException e) {
            System.err.println("make " + target(command) + ": " + e.getMessage());
            return e.code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("make " + target(command) + ": interrupted");
            return FAILED;
        }
    }

    /** The make target a person typed: scale runs as part of make up. */
    private static String target(String command) {
        return command.equals("scale") ? "up" : command;
    }

    private void roll(String command) throws DeployException, InterruptedException {
        long started = System.nanoTime();
        StackSettings stack = settings(true);
        String imageName = options.get("image-name", ToolOptions.IMAGE_NAME);
        Path stackDir = options.stackDir("stack-dir");
        Duration readyTimeout = seconds("timeout", ToolOptions.DEPLOY_TIMEOUT);

        String image;
        if (command.equals("rollback")) {
            String previous = imageName + ":" + PREVIOUS_TAG;
            String id = imageId(previous).orElseThrow(() -> new DeployException(UNAVAILABLE, "there is no image " + previous
                    + ": no deploy has changed this stack yet, so there is nothing to go back to"));
            image = versionTag(id, imageName).orElse(id);
        } else {
            image = options.get("image", "");
        }
        String target = imageId(image).orElseThrow(() -> new DeployException(UNAVAILABLE, "there is no image " + image
                + " (make deploy builds it; " + engine.command() + " images lists them)"));

        checkShape(stack);
        checkConfigMount(stack, AppContainer.own(stack, 1));
        String before = containerImage(AppContainer.own(stack, stack.containers()));
        Rollout rollout = new Rollout(engine, stack, readyTimeout, log);
        log.event(command + "-start", "project", stack.project(), "image", image, "version", version(target),
                  "from-version", version(before), "containers", stack.containers(), "nginx", "not reloaded (socket hand-over)");

        boolean previousTagged = false;
        for (int slot = 1; slot <= stack.containers(); slot++) {
            try {
                rollout.hop(slot, image);
            } catch (DeployException e) {
                throw new DeployException(e.code(), e.getMessage() + progress(slot, image));
            }
            if (!previousTagged && !before.equals(target)) {
                engine.check(ENGINE_TIMEOUT, "tag", before, imageName + ":" + PREVIOUS_TAG);
                log.event("image-tagged", "tag", imageName + ":" + PREVIOUS_TAG, "version", version(before));
                previousTagged = true;
            }
        }
        rerender(stack, stackDir, image);
        log.event(command + "-done", "project", stack.project(), "image", image, "version", version(target),
                  "previous", before.equals(target) ? "unchanged" : imageName + ":" + PREVIOUS_TAG,
                  "nginx", "not reloaded", "ms", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * {@code make up}, after compose started the holders and nginx: each slot's app container,
     * in its holder's namespace (compose cannot start it there: podman-compose adds network flags
     * that Podman refuses beside {@code network_mode: container:…}).
     */
    private void up() throws DeployException, InterruptedException {
        StackSettings stack = settings(false);
        String image = options.get("image", "");
        for (int slot = 1; slot <= stack.containers(); slot++) {
            AppContainer own = AppContainer.own(stack, slot);
            if (running(own.name()).isPresent()) {
                engine.run(ENGINE_TIMEOUT, "rm", "-f", own.name());
            }
            engine.check(ENGINE_TIMEOUT, own.runArguments(stack, image).toArray(String[]::new));
            log.event("container-start", "slot", slot, "name", own.name(), "image", image, "joins", own.holder(),
                      "s", log.elapsed());
        }
        if (!stack.adminEnabled()) {
            return;
        }
        // a line per slot as it gets ready, so make up is not a silent wait; make up's own check
        // (nginx answers through every container) follows
        Rollout probe = new Rollout(engine, stack, seconds("timeout", ToolOptions.DEPLOY_TIMEOUT), log);
        for (int slot = 1; slot <= stack.containers(); slot++) {
            AppContainer own = AppContainer.own(stack, slot);
            switch (probe.awaitFirstReady(own)) {
                case HandoverProgress.Done done -> log.event("slot-ready", "slot", slot, "name", own.name(),
                        "instance", done.status().instance(), "workers", done.status().workers(), "s", log.elapsed());
                case HandoverProgress.Failed failed -> throw new DeployException(FAILED, own.name()
                        + " did not become ready: " + failed.reason() + probe.lastLogs(own));
                case HandoverProgress.Wait waiting -> throw new IllegalStateException("awaitFirstReady returned Wait");
            }
        }
    }

    /**
     * {@code make up} on a stack that may be running: scales it in place to supervisor.containers
     * ({@link ScaleInPlace}), or says why it does not run whole ({@link RunningStack}) and exits
     * {@link #UNAVAILABLE}, on which make up starts it afresh (render, clean, start).
     */
    private int scale() throws DeployException, InterruptedException {
        StackSettings desired = settings(false);
        Path stackDir = options.stackDir("stack-dir");
        List<String> compose = List.of(options.get("compose", "").strip().split("\\s+"));
        String source = options.config().toString();
        Path template = options.nginxTemplate();
        Duration readyTimeout = seconds("timeout", ToolOptions.DEPLOY_TIMEOUT);
        RunningStack.Look look = new RunningStack(engine, desired, source, template, stackDir).look();
        if (look instanceof RunningStack.NotWhole notWhole) {
            log.line("stack " + desired.project() + ": not running whole (" + notWhole.reason() + "): starting it afresh");
            return UNAVAILABLE;
        }
        RunningStack.Running running = ((RunningStack.Whole) look).running();
        if (!desired.adminEnabled() && running.slots().size() != desired.containers()) {
            throw new DeployException(CONFIG, options.config() + ": admin.enabled: scaling in place asks each new"
                    + " container's supervisor (admin /status) whether all its workers are READY; enable the admin"
                    + " listener, or make down and make up");
        }
        new ScaleInPlace(engine, compose, desired, source, template, stackDir, readyTimeout, log).scale(running);
        return 0;
    }

    /** The stack's settings from the config, exactly as {@code make up} rendered them. */
    private StackSettings settings(boolean needsAdmin) throws DeployException {
        Path configFile = options.config();
        RevenantConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            StringBuilder errors = new StringBuilder();
            for (ConfigError error : e.errors()) {
                errors.append("\n  ").append(error);
            }
            throw new DeployException(CONFIG, e.errors().size() + " configuration error(s); nothing changed:" + errors);
        }
        if (needsAdmin && (!config.admin().enabled() || config.admin().port() == 0)) {
            throw new DeployException(CONFIG, configFile + ": admin.enabled: a deploy asks each new container's"
                    + " supervisor (admin /status) whether all its workers are READY; enable the admin listener");
        }
        try {
            return StackSettings.of(config, configFile, options.hostOptions(options.get("image", "unused")));
        } catch (IllegalArgumentException e) {
            throw new DeployException(USAGE, e.getMessage());
        }
    }

    /**
     * Every slot has its holder and its app container running, and no deploy's new container is
     * left; nginx runs. A deploy interrupted after a slot's hand-over but before the rename (the
     * old container gone, {@code -next} serving) is finished here first. Anything else is not a
     * state a rollout starts from: {@code make up} makes the stack whole again.
     */
    private void checkShape(StackSettings stack) throws DeployException, InterruptedException {
        List<String> problems = new ArrayList<>();
        for (int slot = 1; slot <= stack.containers(); slot++) {
            AppContainer own = AppContainer.own(stack, slot);
            AppContainer next = AppContainer.next(stack, slot);
            Optional<Boolean> holderRunning = running(own.holder());
            Optional<Boolean> ownRunning = running(own.name());
            Optional<Boolean> nextRunning = running(next.name());
            if (ownRunning.isEmpty() && nextRunning.orElse(false)) {
                engine.check(ENGINE_TIMEOUT, "rename", next.name(), own.name());
                log.event("container-renamed", "slot", slot, "from", next.name(), "to", own.name(),
                          "reason", "an interrupted deploy's hand-over had finished");
                ownRunning = Optional.of(true);
                nextRunning = Optional.empty();
            }
            if (!holderRunning.orElse(false) || !ownRunning.orElse(false) || nextRunning.isPresent()) {
                problems.add("slot " + slot + ": " + own.holder() + " " + describe(holderRunning) + ", " + own.name() + " "
                             + describe(ownRunning) + ", " + next.name() + " " + describe(nextRunning));
            }
        }
        if (!running(stack.nginxContainerName()).orElse(false)) {
            problems.add(stack.nginxContainerName() + " " + describe(running(stack.nginxContainerName())));
        }
        if (!problems.isEmpty()) {
            throw new DeployException(UNAVAILABLE, "the stack " + stack.project() + " is not running in a shape a deploy"
                    + " starts from (" + String.join("; ", problems) + "); make up (re)starts it");
        }
    }

    /**
     * New containers mount the config directory of {@code --config}; the running ones must have
     * been started with the same, or the rollout would change the configuration along with the image.
     */
    private void checkConfigMount(StackSettings stack, AppContainer running) throws DeployException, InterruptedException {
        String mounts = engine.check(ENGINE_TIMEOUT, "container", "inspect", "--format",
                "{{range .Mounts}}{{.Destination}}={{.Source}}\n{{end}}", running.name());
        Optional<String> source = mounts.lines().filter(line -> line.startsWith(StackSettings.CONFIG_MOUNT + "="))
                .map(line -> line.substring(line.indexOf('=') + 1).strip()).findFirst();
        if (source.isPresent() && !Path.of(source.get()).equals(stack.configDir())) {
            throw new DeployException(UNAVAILABLE, running.name() + " runs with the config directory " + source.get()
                    + ", not " + stack.configDir() + ": pass the CONFIG that make up was given (make deploy CONFIG="
                    + source.get() + "/application.yaml)");
        }
    }

    private static String describe(Optional<Boolean> running) {
        return running.map(yes -> yes ? "running" : "not running").orElse("absent");
    }

    /** Whether the container runs; empty when there is no such container. */
    private Optional<Boolean> running(String container) throws DeployException, InterruptedException {
        Engine.Result result = engine.run(ENGINE_TIMEOUT, "container", "inspect", "--format", "{{.State.Running}}", container);
        return result.ok() ? Optional.of(result.out().strip().equals("true")) : Optional.empty();
    }

    private String containerImage(AppContainer container) throws DeployException, InterruptedException {
        return engine.check(ENGINE_TIMEOUT, "container", "inspect", "--format", "{{.Image}}", container.name()).strip();
    }

    private Optional<String> imageId(String image) throws DeployException, InterruptedException {
        Engine.Result result = engine.run(ENGINE_TIMEOUT, "image", "inspect", "--format", "{{.Id}}", image);
        return result.ok() ? Optional.of(result.out().strip()) : Optional.empty();
    }

    /** The image's version label (the build arg VERSION), or its short id. */
    private String version(String imageId) throws DeployException, InterruptedException {
        Engine.Result result = engine.run(ENGINE_TIMEOUT, "image", "inspect", "--format",
                "{{index .Config.Labels \"org.opencontainers.image.version\"}}", imageId);
        String version = result.out().strip();
        return result.ok() && !version.isEmpty() && !version.equals("<no value>") ? version : shortId(imageId);
    }

    /** A readable reference of the image: a tag {@code <image-name>:<version>} that still points at it. */
    private Optional<String> versionTag(String imageId, String imageName) throws DeployException, InterruptedException {
        String tags = engine.check(ENGINE_TIMEOUT, "image", "inspect", "--format", "{{range .RepoTags}}{{.}} {{end}}", imageId);
        for (String tag : tags.strip().split(" ")) {
            String repository = tag.substring(0, Math.max(0, tag.lastIndexOf(':')));
            String name = tag.substring(tag.lastIndexOf(':') + 1);
            if ((repository.equals(imageName) || repository.endsWith("/" + imageName))
                    && !name.equals(PREVIOUS_TAG) && !name.equals("latest")) {
                return Optional.of(tag);
            }
        }
        return Optional.empty();
    }

    private static String shortId(String imageId) {
        String hex = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /**
     * Renders target/stack/ again for the new image, so compose.yaml and stack.env say what runs.
     * nginx's file comes out the same: its upstream names the slots' holders, which a deploy keeps.
     */
    private void rerender(StackSettings stack, Path stackDir, String image) throws DeployException {
        try {
            StackFiles.write(stack.withImage(image), options.config().toString(), options.nginxTemplate(), stackDir);
        } catch (IOException | IllegalArgumentException e) {
            throw new DeployException(IO_ERROR, "the new image runs, but rendering " + stackDir + " again failed: "
                    + e.getMessage());
        }
    }

    private static String progress(int slot, String image) {
        return slot == 1 ? "" : "\nSlots 1 to " + (slot - 1) + " already run " + image
                + "; make deploy again, or make rollback to go back to the previous image.";
    }

    private Duration seconds(String key, String otherwise) throws DeployException {
        try {
            return options.seconds(key, otherwise);
        } catch (IllegalArgumentException e) {
            throw new DeployException(USAGE, e.getMessage());
        }
    }

    private static int usage(String problem) {
        System.err.println("revenant-deploy: " + problem);
        System.err.println("usage: DeployMain deploy --image REF [--config FILE] [--stack-dir DIR] [--project NAME]"
                + " [--image-name NAME] [--engine podman|docker] [--timeout 60s] [render options as for make up]");
        System.err.println("       DeployMain rollback [the same options, without --image]");
        System.err.println("       DeployMain up --image REF [the same options]");
        System.err.println("       DeployMain scale --image REF --compose \"podman-compose\" [the same options]");
        return USAGE;
    }
}
