package io.revenant.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revenant.stack.ComposeFile;
import io.revenant.stack.NginxConf;
import io.revenant.stack.StackEnv;
import io.revenant.stack.StackFiles;
import io.revenant.stack.StackSettings;

/**
 * Whether the stack that runs can be scaled in place ({@link ScaleInPlace}): only a stack that
 * is exactly what a fresh {@code make up} with some count would have made, so that adding or
 * removing slots one at a time ends in what a fresh {@code make up} with the new count makes.
 * Anything else (a slot missing, a {@code -next} left by a deploy, mixed images, another config
 * directory, files these options would render differently) is {@link NotWhole}, with a reason a
 * person can act on, and {@code make up} starts the stack afresh. It only looks: it starts,
 * stops and writes nothing.
 */
final class RunningStack {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    /** A holder's name ends so; its number is the slot. */
    private static final Pattern HOLDER = Pattern.compile("-app(\\d+)-net");

    private final Engine engine;
    private final StackSettings desired;
    private final String source;
    private final Path template;
    private final Path stackDir;

    /**
     * @param desired the stack as the config asks for it now
     * @param source  the config file as {@code make up} names it (the compose file's header)
     */
    RunningStack(Engine engine, StackSettings desired, String source, Path template, Path stackDir) {
        this.engine = engine;
        this.desired = desired;
        this.source = source;
        this.template = template;
        this.stackDir = stackDir;
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
            if (!engine.running(name)) {
                return new NotWhole(name + " is not running");
            }
        }
        Set<String> images = new TreeSet<>();
        for (int slot : slots) {
            images.add(engine.inspect(now.containerName(slot), "{{.Image}}"));
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
        // the name stack.env was rendered with, while it still names the image that runs: new slots run the same
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
     * The first line where {@code file} and what would be rendered now differ. Comments aside:
     * the compose file's header names the config as the make up that wrote it was given it.
     */
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

    /** nginx's file as these options render it, or a line that differs from any file when the template cannot be read. */
    private String nginxConf(StackSettings stack) {
        try {
            return NginxConf.render(stack, Files.readString(template, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return "cannot render " + template + ": " + e.getMessage();
        }
    }

    /** The host directory mounted at the config's place in the container, empty when nothing is. */
    private String mountedConfig(String container) throws DeployException, InterruptedException {
        String mounts = engine.inspect(container, "{{range .Mounts}}{{.Destination}}={{.Source}}\n{{end}}");
        return mounts.lines().filter(line -> line.startsWith(StackSettings.CONFIG_MOUNT + "="))
                .map(line -> line.substring(line.indexOf('=') + 1).strip()).findFirst().orElse("");
    }

    /** Image ids compare with or without their {@code sha256:} prefix, whichever an engine prints. */
    private static boolean sameId(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String id) {
        return id.startsWith("sha256:") ? id.substring(7) : id;
    }
}
